"""Write ``pyipernity/ipernity/_methods.pyi``, the typed method tree, from the catalogue.

Type checkers and editors read the stub instead of the run-time method tree
(:class:`ipernity.method.MethodTree`): one class per namespace (``api.doc``,
``api.doc.tags``, …), one method per catalogued method, taking the catalogue's
parameters as keyword arguments typed by their kind (:mod:`ipernity.parameters`)
and carrying the method's docstring (:mod:`ipernity.method_docs`).

Usage::

    python scripts/generate_method_stubs.py          # rewrite the stub
    python scripts/generate_method_stubs.py --check  # exit 1 if it is out of date
    python scripts/generate_method_stubs.py --stdout # print it

Run it after changing the catalogue or the derivation of kinds; a test fails
while the checked-in stub differs from what this writes. The output is already
in the layout ``ruff format`` gives stubs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from ipernity import catalogue, method_docs

STUB = Path(__file__).resolve().parents[1] / "pyipernity" / "ipernity" / "_methods.pyi"
#: The line length ``ruff format`` keeps to (pyproject.toml).
LINE_LENGTH = 99
#: ``api.auth`` is the authentication handler, which has the ``auth.*`` methods itself.
LEFT_TO_THE_CLIENT = frozenset({"auth"})

HEADER = '''"""The API's methods, typed, for type checkers and editors.

Generated from the catalogue by scripts/generate_method_stubs.py: do not edit.
``IpernityAPI`` has the namespaces of :class:`MethodTree` (``api.doc``,
``api.album``, ...); each method takes the catalogue's parameters as keyword
arguments typed by their kind (see ``ipernity.parameters``) and answers the
parsed JSON. A parameter the catalogue does not list is sent with
``api.call("doc.search", name=value)``, which checks no parameter.
"""

from typing import Any

from .parameters import Flag, Id, Ids, Integers, Texts, Upload
from .signing import ParamValue
'''


def class_name(namespace: str) -> str:
    """``doc.tags`` -> ``DocTagsNamespace``."""
    return "".join(part[:1].upper() + part[1:] for part in namespace.split(".")) + "Namespace"


def namespaces() -> dict[str, tuple[list[str], list[str]]]:
    """Each namespace: its sub-namespaces' and its methods' last name parts."""
    tree: dict[str, tuple[list[str], list[str]]] = {}
    for name in catalogue.names():
        if name.split(".")[0] in LEFT_TO_THE_CLIENT:
            continue
        parts = name.split(".")
        for depth in range(1, len(parts) - 1):
            parent = ".".join(parts[:depth])
            children = tree.setdefault(parent, ([], []))[0]
            if parts[depth] not in children:
                children.append(parts[depth])
        tree.setdefault(".".join(parts[:-1]), ([], []))[1].append(parts[-1])
    return dict(sorted(tree.items()))


def signature_lines(name: str, parameters: list[str], returns: str) -> list[str]:
    """``def name(self, …) -> returns:`` in the layout ``ruff format`` gives it."""
    indent = " " * 4
    one_line = f"{indent}def {name}({', '.join(parameters)}) -> {returns}:"
    if len(one_line) <= LINE_LENGTH:
        return [one_line]
    inner = f"{indent * 2}{', '.join(parameters)}"
    if len(inner) <= LINE_LENGTH:
        return [f"{indent}def {name}(", inner, f"{indent}) -> {returns}:"]
    return [
        f"{indent}def {name}(",
        *(f"{indent * 2}{parameter}," for parameter in parameters),
        f"{indent}) -> {returns}:",
    ]


def docstring_lines(text: str, indent: str) -> list[str]:
    """``text`` as a docstring, indented; backslashes and quotes kept literal."""
    lines = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').splitlines()
    body = [f"{indent}{line}".rstrip() for line in lines[1:]]
    return [f'{indent}"""{lines[0]}', *body, f'{indent}"""']


def method_lines(method_name: str) -> list[str]:
    """One method of a namespace class: its signature and docstring."""
    parameters = ["self", *method_docs.declared_parameters(method_name)]
    short = method_name.rpartition(".")[2]
    doc = docstring_lines(method_docs.docstring(method_name), " " * 8)
    return [*signature_lines(short, parameters, "dict[str, Any]"), *doc]


def property_lines(name: str, returns: str) -> list[str]:
    """A read-only attribute leading to a namespace."""
    return ["    @property", f"    def {name}(self) -> {returns}: ..."]


def class_lines(name: str, doc: str, members: list[list[str]]) -> Iterator[str]:
    """A class of the stub: its docstring, then its members one after the other."""
    yield f"class {name}:"
    yield f'    """{doc}"""'
    yield ""
    for number, member in enumerate(members):
        # ruff format separates a member with a docstring from the next one by a blank line.
        if number and any('"""' in line for line in members[number - 1]):
            yield ""
        yield from member


def render() -> str:
    """The whole stub, as it should be checked in."""
    tree = namespaces()
    top = [prefix for prefix in tree if "." not in prefix]
    blocks = [
        "\n".join(
            class_lines(
                "MethodTree",
                "The API's namespaces, as IpernityAPI reaches them: ``api.doc``, ...",
                [property_lines(prefix, class_name(prefix)) for prefix in top],
            )
        )
    ]
    for namespace, (children, methods) in tree.items():
        members = [property_lines(child, class_name(f"{namespace}.{child}")) for child in children]
        members += [method_lines(f"{namespace}.{method}") for method in methods]
        doc = f"The ``{namespace}.*`` methods."
        blocks.append("\n".join(class_lines(class_name(namespace), doc, members)))
    return HEADER + "\n" + "\n\n".join(blocks) + "\n"


def main(argv: list[str]) -> int:
    """Write the stub, or with ``--check`` tell whether it is up to date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--check", action="store_true", help="exit 1 if the stub is out of date")
    action.add_argument("--stdout", action="store_true", help="print the stub instead")
    parser.add_argument("--stub", type=Path, default=STUB, help=f"the stub's path ({STUB.name})")
    options = parser.parse_args(argv)
    text = render()
    if options.stdout:
        sys.stdout.write(text)
        return 0
    if options.check:
        current = options.stub.read_text(encoding="utf-8") if options.stub.exists() else ""
        if current != text:
            print(f"{options.stub} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    options.stub.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
