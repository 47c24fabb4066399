"""``test.*`` and ``api.methods.*``: checking the connection, reading the catalogue."""

from __future__ import annotations

from typing import Any

from ipernity import catalogue

from .registry import Answer, Context, MethodError, handler

#: Parameters that belong to the request, not to what ``test.echo`` echoes.
_PROTOCOL_PARAMS = frozenset({"api_key", "api_sig", "auth_token"})


@handler("test.echo")
def echo(ctx: Context) -> Answer:
    """Echo every parameter given (``echo`` is the usual one)."""
    return {name: value for name, value in ctx.params.items() if name not in _PROTOCOL_PARAMS}


@handler("test.hello")
def hello(ctx: Context) -> Answer:
    """Say hello."""
    return {"hello": "hello world!"}


def _summary(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": entry["name"],
        "service": _service(entry["name"]),
        "title": entry.get("title", ""),
        "authentication": entry.get("authentication", {}),
        "permissions": entry.get("permissions", {}),
    }


def _service(name: str) -> str:
    """The service a method belongs to, derived as the samples show it: the
    name without its last part, in the singular (``api.methods.get`` is in
    ``api.method``, ``doc.delete`` in ``doc``)."""
    return name.rsplit(".", 1)[0].removesuffix("s")


@handler("api.methods.getList")
def method_list(ctx: Context) -> Answer:
    """List every method of the catalogue."""
    entries = [_summary(dict(catalogue.raw_catalogue()[name])) for name in catalogue.names()]
    return {"methods": {"total": len(entries), "method": entries}}


@handler("api.methods.get")
def method_info(ctx: Context) -> Answer:
    """Describe one method as the catalogue does, in the sample's shape.

    The catalogue keeps neither a method's errors nor its change log, so the
    answer has no ``errors`` or ``changelog``.
    """
    entry = catalogue.raw_catalogue().get(ctx.require("method"))
    if entry is None:
        raise MethodError(1, "Method not found")
    parameters = [
        {"name": p["name"], "required": p.get("required", 0), "description": p.get("description")}
        for p in entry.get("parameters", [])
    ]
    return {
        "method": {
            **_summary(dict(entry)),
            "parameters": {"param": parameters},
            "response": entry.get("response_xml"),
            "notes": entry.get("notes"),
        }
    }
