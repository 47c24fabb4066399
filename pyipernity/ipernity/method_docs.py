"""Each method's own documentation and signature, written from the catalogue.

``help(api.doc.search)``, ``inspect.signature``, IPython's ``?``, an editor's
hover (through the stub ``ipernity/_methods.pyi``), the shell's ``help
doc.search`` and the documentation's method reference all show what is built
here, from :func:`ipernity.parameters.arguments`.
"""

from __future__ import annotations

import inspect
import keyword
import textwrap
from functools import cache
from typing import Any

from . import catalogue
from .parameters import Argument, arguments, lists_parameters

#: The width docstrings are wrapped to.
WIDTH = 79
#: Said of methods taking lists (texts, ids, integers).
LISTS_JOINED = "A list or tuple given for texts, ids or integers is sent joined with commas."


def needs(method: catalogue.Method) -> str:
    """How the method is sent and what it needs, e.g. ``POST, signed, needs a token, …``."""
    granted = ", ".join(f"{target}={level}" for target, level in method.permissions.items())
    return (
        f"{'POST' if method.post else 'GET'}, "
        f"{'signed' if method.sign else 'not signed'}, "
        f"{'needs a token' if method.token else 'no token needed'}, "
        f"permissions: {granted or 'none'}"
    )


def describe_argument(argument: Argument) -> str:
    """An argument's description, with what the service does when it is left out."""
    if argument.token_stands_in:
        return f"Left out, with a token: the token's member. {argument.description}".rstrip()
    return argument.description


def parameter_table(method: catalogue.Method, width: int = WIDTH) -> list[str]:
    """The method's parameters, one entry each (``*`` marks those required), wrapped.

    Each entry is ``mark name kind description``, in columns; no lines for a
    method whose parameters the catalogue does not list.
    """
    listed = arguments(method.name)
    if not listed:
        return []
    name_width = max(len(a.name) for a in listed)
    kind_width = max(len(a.kind.name) for a in listed)
    lines = []
    for argument in listed:
        mark = "*" if argument.must_be_given else " "
        head = f"{mark} {argument.name:<{name_width}}  {argument.kind.name:<{kind_width}}  "
        text = textwrap.fill(
            describe_argument(argument),
            max(width, len(head) + 20),
            initial_indent=head,
            subsequent_indent=" " * len(head),
            break_on_hyphens=False,
            break_long_words=False,
        )
        lines.extend(text.splitlines() or [head.rstrip()])
    return lines


def notes(method: catalogue.Method) -> list[str]:
    """The service's notes on the method, in plain text, one paragraph each."""
    return [catalogue.plain_text(note) for note in method.notes]


@cache
def docstring(method_name: str) -> str:
    """The docstring of the method ``method_name``: its title, needs, parameters and notes.

    :raises KeyError: for a method that is not in the catalogue.
    """
    method = catalogue.methods()[method_name]
    parts = [catalogue.plain_text(method.title) or method.name, needs(method)]
    if lists_parameters(method):
        table = "\n".join(f"  {line}" for line in parameter_table(method, WIDTH - 2))
        parts.append(f"Parameters (* required):\n{table}")
    else:
        parts.append("Parameters: the catalogue lists none; those given are sent as they are.")
    parts += [
        textwrap.fill(f"Note: {note}", WIDTH, break_on_hyphens=False, break_long_words=False)
        for note in notes(method)
    ]
    if any(a.kind.is_list for a in arguments(method_name)):
        parts.append(LISTS_JOINED)
    parts.append(
        textwrap.fill(
            f'Other parameters: api.call("{method.name}", name=value) sends them as given. '
            f"The service's page: {catalogue.HELP_URL}{method.name}",
            WIDTH,
            break_on_hyphens=False,
            break_long_words=False,
        )
    )
    return "\n\n".join(parts)


def python_name(argument: Argument) -> bool:
    """Whether the argument can be a keyword argument (``async`` cannot: it is a keyword)."""
    return argument.name.isidentifier() and not keyword.iskeyword(argument.name)


def declared_parameters(method_name: str) -> list[str]:
    """The method's parameters as the stub declares them, for type checkers.

    ``["*", "doc_id: Id", "extra: Texts | None = None", …]``: keyword-only, those
    that must be given without a default, and no ``**params`` (a misspelled
    parameter is an error); ``["**params: ParamValue"]`` for a method whose
    parameters the catalogue does not describe.
    """
    listed = arguments(method_name)
    if not listed:
        return ["**params: ParamValue"]
    return ["*", *(_declared(a) for a in listed if python_name(a))]


def _declared(argument: Argument) -> str:
    if argument.must_be_given:
        return f"{argument.name}: {argument.kind.annotation}"
    return f"{argument.name}: {argument.kind.annotation} | None = None"


#: ``(**params)``: the signature of a name the catalogue does not describe.
ANY_PARAMETERS = inspect.Signature(
    [inspect.Parameter("params", inspect.Parameter.VAR_KEYWORD)], return_annotation=dict[str, Any]
)


@cache
def signature(method_name: str) -> inspect.Signature:
    """The call signature of the method: keyword-only parameters named as catalogued.

    Those that must be given have no default; the others default to ``None``
    (left out of the call). It ends with ``**params``: parameters the
    catalogue does not list are sent as well.

    :raises KeyError: for a method that is not in the catalogue.
    """
    parameters = [
        inspect.Parameter(
            argument.name,
            inspect.Parameter.KEYWORD_ONLY,
            default=inspect.Parameter.empty if argument.must_be_given else None,
            annotation=(
                argument.kind.python_type
                if argument.must_be_given
                else argument.kind.python_type | None
            ),
        )
        for argument in arguments(method_name)
        if python_name(argument)
    ]
    return ANY_PARAMETERS.replace(parameters=[*parameters, *ANY_PARAMETERS.parameters.values()])
