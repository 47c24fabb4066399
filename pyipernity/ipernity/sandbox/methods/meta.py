"""``test.*`` and ``api.methods.*``: checking the connection, reading the catalogue."""

from __future__ import annotations

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


@handler("api.methods.getList")
def method_list(ctx: Context) -> Answer:
    """List every method of the catalogue."""
    entries = [catalogue.listing_entry(name) for name in catalogue.names()]
    return {"methods": {"total": len(entries), "method": entries}}


@handler("api.methods.get")
def method_info(ctx: Context) -> Answer:
    """Describe one method as the catalogue does, in the sample's shape.

    The catalogue keeps neither a method's errors nor its change log, so the
    answer has no ``errors`` or ``changelog``.
    """
    name = ctx.require("method")
    entry = catalogue.raw_catalogue().get(name)
    if entry is None:
        raise MethodError(1, "Method not found")
    parameters = [
        {"name": p["name"], "required": p.get("required", 0), "description": p.get("description")}
        for p in entry.get("parameters", [])
    ]
    return {
        "method": {
            **catalogue.listing_entry(name),
            "parameters": {"param": parameters},
            "response": entry.get("response_xml"),
            "notes": entry.get("notes"),
        }
    }
