"""``.. ipernity-methods::``: the reference of every API method, written from the catalogue.

Each method becomes a Python-domain entry (``IpernityAPI.doc.search``), so the
documentation's index and search find all of them, with the signature the
method has at run time, its parameters (kind, required or not, the service's
description), how it is sent, what it needs and the service's notes. Nothing
here is written by hand: it is :mod:`ipernity.parameters` and
:mod:`ipernity.method_docs` over the catalogue, as ``help()`` shows it.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

from ipernity import catalogue, method_docs
from ipernity.parameters import arguments

# Characters with a meaning in reStructuredText inline markup.
_MARKUP = re.compile(r"([\\`*_|])")
#: How the namespaces' titles are underlined (below the page's sections).
UNDERLINE = "~"


def escaped(text: str) -> str:
    """``text`` as literal reStructuredText."""
    return _MARKUP.sub(r"\\\1", text)


def entry(method_name: str) -> list[str]:
    """The reStructuredText of one method's entry."""
    method = catalogue.methods()[method_name]
    # The signature type checkers see (the stub's), on one line.
    parameters = ", ".join(method_docs.declared_parameters(method_name))
    lines = [
        f".. py:method:: IpernityAPI.{method_name}({parameters}) -> dict[str, Any]",
        "",
        f"   {escaped(catalogue.plain_text(method.title) or method_name)}",
        "",
        f"   {escaped(method_docs.needs(method))}.",
        "",
    ]
    listed = arguments(method_name)
    if not listed:
        lines += ["   The catalogue lists no parameters; those given are sent as they are.", ""]
    for argument in listed:
        required = "required; " if argument.must_be_given else ""
        description = escaped(method_docs.describe_argument(argument))
        lines += [
            f"   :param {argument.name}: {required}{description}",
            f"   :type {argument.name}: {argument.kind.name}",
        ]
    lines += [""]
    for note in method_docs.notes(method):
        lines += [f"   Note: {escaped(note)}", ""]
    lines += [
        f"   `The service's page <{catalogue.HELP_URL}{method_name}>`__",
        "",
    ]
    return lines


def reference() -> list[str]:
    """Every method, grouped by the first part of its name."""
    lines: list[str] = [".. py:currentmodule:: ipernity", ""]
    for prefix in sorted(catalogue.prefixes()):
        title = f"``{prefix}.*``"
        lines += [title, UNDERLINE * len(title), ""]
        for name in catalogue.names(prefix + "."):
            lines += entry(name)
    return lines


class MethodReference(SphinxDirective):
    """The directive: it takes no arguments and no content."""

    def run(self) -> list[nodes.Node]:
        """Parse the generated reference as if it were written in the page."""
        container = nodes.section()
        nested_parse_with_titles(self.state, StringList(reference(), "<catalogue>"), container)
        return container.children


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive."""
    app.add_directive("ipernity-methods", MethodReference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
