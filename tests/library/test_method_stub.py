"""The stub of the method tree (``ipernity/_methods.pyi``) is the catalogue's, and up to date."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from ipernity import IpernityAPI, catalogue, method_docs

ROOT = Path(__file__).resolve().parents[2]
STUB = ROOT / "pyipernity" / "ipernity" / "_methods.pyi"
GENERATOR = ROOT / "scripts" / "generate_method_stubs.py"

api = IpernityAPI("key", "secret")


@cache
def namespace_paths() -> dict[str, str]:
    """Each namespace class of the stub, and its path from the client (``doc.tags``)."""
    classes = {node.name: node for node in stub().body if isinstance(node, ast.ClassDef)}
    paths: dict[str, str] = {}

    def visit(class_name: str, path: str) -> None:
        for function in classes[class_name].body:
            # A namespace is a property returning its class; a method returns a dict.
            if isinstance(function, ast.FunctionDef) and isinstance(function.returns, ast.Name):
                child = f"{path}.{function.name}".lstrip(".")
                paths[function.returns.id] = child
                visit(function.returns.id, child)

    visit("MethodTree", "")
    return paths


@cache
def stub_methods() -> dict[str, ast.FunctionDef]:
    """Every method of the stub by its API name: ``DocTagsNamespace.add`` is ``doc.tags.add``."""
    return {
        f"{namespace_paths()[node.name]}.{function.name}": function
        for node in stub().body
        if isinstance(node, ast.ClassDef) and node.name != "MethodTree"
        for function in node.body
        if isinstance(function, ast.FunctionDef) and isinstance(function.returns, ast.Subscript)
    }


@cache
def stub() -> ast.Module:
    return ast.parse(STUB.read_text(encoding="utf-8"))


def generate(*options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(GENERATOR), *options],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_the_checked_in_stub_is_what_the_generator_writes() -> None:
    generated = generate("--stdout")
    assert generated.returncode == 0, generated.stderr
    assert generated.stdout == STUB.read_text(encoding="utf-8"), (
        "the stub is out of date: run python scripts/generate_method_stubs.py"
    )


def test_the_generator_tells_a_stale_stub_from_a_fresh_one(tmp_path: Path) -> None:
    stale = tmp_path / "_methods.pyi"
    stale.write_text(STUB.read_text(encoding="utf-8").replace("def search(", "def serach("))
    assert generate("--check", "--stub", str(stale)).returncode == 1
    assert generate("--check", "--stub", str(STUB)).returncode == 0


def test_the_stub_has_every_method_but_those_of_the_authentication_handler() -> None:
    expected = {name for name in catalogue.names() if not name.startswith("auth.")}
    assert set(stub_methods()) == expected


def test_each_stub_method_carries_the_methods_docstring_for_the_editor() -> None:
    for name, function in stub_methods().items():
        assert ast.get_docstring(function) == method_docs.docstring(name), name


def test_each_stub_method_takes_what_its_run_time_signature_takes() -> None:
    for name, function in stub_methods().items():
        runtime = inspect.signature(getattr_path(name)).parameters
        if function.args.kwarg is not None:  # parameters the catalogue does not describe
            assert list(runtime) == ["params"], name
            continue
        declared = [arg.arg for arg in function.args.kwonlyargs]
        assert declared == [p for p in runtime if p != "params"], name
        required = [
            arg.arg
            for arg, default in zip(
                function.args.kwonlyargs, function.args.kw_defaults, strict=True
            )
            if default is None
        ]
        assert required == [
            p.name
            for p in runtime.values()
            if p.default is inspect.Parameter.empty and p.name != "params"
        ], name


@pytest.mark.parametrize("name", ["doc.search", "album.docs.add", "upload.file"])
def test_a_stub_method_takes_keyword_arguments_only_and_answers_a_dict(name: str) -> None:
    function = stub_methods()[name]
    assert [arg.arg for arg in function.args.args] == ["self"]
    assert ast.unparse(function.returns) == "dict[str, Any]"


def getattr_path(name: str) -> object:
    target: object = api
    for part in name.split("."):
        target = getattr(target, part)
    return target
