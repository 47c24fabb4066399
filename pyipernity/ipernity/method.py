"""Attribute chaining: ``api.doc.tags.add(...)`` is ``api.call("doc.tags.add", ...)``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import catalogue

if TYPE_CHECKING:
    from .api import IpernityAPI
    from .signing import ParamValue


class IpernityMethod:
    """A (partial) method name bound to a client; calling it calls the API.

    :param api: the client that sends the call.
    :param name: the dotted name so far, e.g. ``"doc"`` or ``"doc.tags"``.
    """

    __slots__ = ("_api", "_name")

    def __init__(self, api: IpernityAPI, name: str) -> None:
        self._api = api
        self._name = name

    def __getattr__(self, name: str) -> IpernityMethod:
        if name.startswith("_"):
            raise AttributeError(name)
        return IpernityMethod(self._api, f"{self._name}.{name}")

    def __call__(self, **params: ParamValue) -> dict[str, Any]:
        """Call the method with ``params`` and return the parsed answer."""
        return self._api.call(self._name, **params)

    def __dir__(self) -> list[str]:
        # The next name parts the catalogue knows, for interactive completion.
        prefix = self._name + "."
        return sorted({n[len(prefix) :].split(".")[0] for n in catalogue.names(prefix)})

    def __repr__(self) -> str:
        return f"<Ipernity method {self._name}>"
