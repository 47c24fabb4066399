"""Attribute chaining: ``api.doc.tags.add(...)`` is ``api.call("doc.tags.add", ...)``.

At run time any name is reached and sent; a method the catalogue knows also
carries its own ``__doc__`` and ``__signature__`` (see :mod:`ipernity.method_docs`),
read when asked for, so ``help()``, :func:`inspect.signature` and IPython's ``?``
show the method. Type checkers and editors see the generated stub of the
method tree instead (``ipernity/_methods.pyi``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from . import catalogue

if TYPE_CHECKING:
    import inspect

    from .signing import ParamValue

T = TypeVar("T")


class Caller(Protocol):
    """What a method object calls through: the client."""

    def call(self, method_name: str | None = None, /, **params: ParamValue) -> dict[str, Any]:
        """Call the API method ``method_name`` with ``params``; return the answer."""
        ...


class _PerName(Generic[T]):
    """A class attribute whose value, on a method object, comes from the object's name.

    :param derive: computes the value from the dotted name (cached by the callee).
    :param on_class: the value on the class itself.
    """

    def __init__(self, derive: Callable[[str], T], on_class: T) -> None:
        self._derive = derive
        self._on_class = on_class

    def __get__(self, instance: IpernityMethod | None, owner: type | None = None) -> T:
        if instance is None:
            return self._on_class
        return self._derive(instance._name)


def _doc(name: str) -> str:
    if catalogue.get(name) is not None:
        # Imported when first asked for: `import ipernity` stays cheap.
        from . import method_docs

        return method_docs.docstring(name)
    if catalogue.names(name + "."):
        return f"The {name}.* methods of the API: dir() lists them, help() describes each."
    return _CLASS_DOC


def _signature(name: str) -> inspect.Signature:
    from . import method_docs

    if catalogue.get(name) is not None:
        return method_docs.signature(name)
    return method_docs.ANY_PARAMETERS


_CLASS_DOC = """A (partial) method name bound to a client; calling it calls the API.

    :param api: the client that sends the call.
    :param name: the dotted name so far, e.g. ``"doc"`` or ``"doc.tags"``.
    """


class IpernityMethod:
    __slots__ = ("_api", "_name")

    # What help(), inspect and IPython read: the method's own words and signature.
    __doc__ = _PerName(_doc, _CLASS_DOC)
    __signature__: _PerName[inspect.Signature | None] = _PerName(_signature, None)
    __name__ = _PerName(lambda name: name.rpartition(".")[2], "IpernityMethod")

    def __init__(self, api: Caller, name: str) -> None:
        self._api = api
        self._name = name

    def __getattr__(self, name: str) -> IpernityMethod:
        if name.startswith("_"):
            raise AttributeError(name)
        return IpernityMethod(self._api, f"{self._name}.{name}")

    def __call__(self, **params: ParamValue) -> dict[str, Any]:
        """Call the method with ``params`` and return the parsed answer."""
        return self._api.call(self._name, **params)

    def __get__(self, instance: object, owner: type | None = None) -> IpernityMethod:
        # A method object is never a class attribute; having __get__ makes pydoc
        # and inspect treat it as a routine, so help() shows its signature.
        return self

    def __dir__(self) -> list[str]:
        # The next name parts the catalogue knows, for interactive completion.
        prefix = self._name + "."
        return sorted({n[len(prefix) :].split(".")[0] for n in catalogue.names(prefix)})

    def __repr__(self) -> str:
        return f"<Ipernity method {self._name}>"


class MethodTree:
    """The API's methods as attributes of the client: ``api.doc`` reaches ``doc.*``.

    Any name is reached at run time. For type checkers and editors, the
    generated ``MethodTree`` of ``ipernity/_methods.pyi`` stands in for this
    class and lists the catalogue's namespaces and methods, with their
    parameters.
    """

    __slots__ = ()

    if TYPE_CHECKING:

        def call(
            self, method_name: str | None = None, /, **params: ParamValue
        ) -> dict[str, Any]: ...

    def __getattr__(self, name: str) -> IpernityMethod:
        if name.startswith("_"):
            raise AttributeError(name)
        return IpernityMethod(self, name)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | catalogue.prefixes())
