"""Each method object says what it is: its own signature and docstring, from the catalogue."""

from __future__ import annotations

import inspect
import pydoc
import subprocess
import sys

from ipernity import IpernityAPI, catalogue
from ipernity.method import IpernityMethod
from ipernity.method_docs import needs
from ipernity.sandbox import App, Sandbox

KEY = "6fa87ba500002712bd4eed6020f3bd72"
SECRET = "e9a599f0cf6ce193"

api = IpernityAPI(KEY, SECRET)


def parameters_of(method: IpernityMethod) -> dict[str, inspect.Parameter]:
    return dict(inspect.signature(method).parameters)


def test_a_method_has_keyword_only_parameters_named_as_in_the_catalogue() -> None:
    method = catalogue.get("doc.search")
    assert method is not None
    listed = [p.name for p in method.parameters if p.name != "api_key"]
    parameters = parameters_of(api.doc.search)
    assert list(parameters)[: len(listed)] == listed
    kinds = {p.kind for name, p in parameters.items() if name != "params"}
    assert kinds == {inspect.Parameter.KEYWORD_ONLY}


def test_required_parameters_have_no_default_and_the_others_default_to_none() -> None:
    parameters = parameters_of(api.doc.notes.add)
    required = {name for name, p in parameters.items() if p.default is inspect.Parameter.empty}
    assert required == {"doc_id", "content", "x", "y", "w", "h", "params"}
    assert parameters["member_id"].default is None


def test_the_signature_ends_with_params_for_what_the_catalogue_does_not_list() -> None:
    last = list(parameters_of(api.doc.get).values())[-1]
    assert (last.name, last.kind) == ("params", inspect.Parameter.VAR_KEYWORD)


def test_every_method_takes_the_language_of_its_answer() -> None:
    assert parameters_of(api.test.hello)["lg"].default is None


def test_the_types_come_from_the_kinds_of_the_parameters() -> None:
    parameters = parameters_of(api.doc.search)
    assert parameters["per_page"].annotation == int | None
    assert parameters["lat"].annotation == float | None
    assert parameters["text"].annotation == str | None
    assert list[int] in parameters_of(api.album.docs.add)["doc_id"].annotation.__args__


def test_user_id_left_to_a_token_is_optional_though_the_catalogue_requires_it() -> None:
    assert parameters_of(api.user.get)["user_id"].default is None


def test_a_parameter_named_by_a_python_keyword_is_left_to_params() -> None:
    parameters = parameters_of(api.upload.file)
    assert "async" not in parameters
    assert parameters["file"].default is inspect.Parameter.empty


def test_a_method_whose_parameters_are_not_catalogued_takes_any() -> None:
    assert str(inspect.signature(api.post.get)) == "(**params) -> dict[str, typing.Any]"


def test_the_docstring_has_the_title_needs_parameters_and_notes() -> None:
    doc = api.doc.search.__doc__
    assert doc is not None
    method = catalogue.get("doc.search")
    assert method is not None
    title, how, parameters, *rest = doc.split("\n\n")
    assert title == method.title
    assert how == needs(method) == "GET, not signed, no token needed, permissions: doc=read"
    assert parameters.startswith("Parameters (* required):\n")
    assert "  per_page     integer   The number of docs to return on each page." in parameters
    assert any(part.startswith("Note: You may not combine all search parameters") for part in rest)
    assert rest[-1].startswith('Other parameters: api.call("doc.search", name=value)')


def test_the_docstring_marks_required_parameters_and_token_and_post_needs() -> None:
    doc = api.doc.delete.__doc__
    assert doc is not None
    assert "POST, signed, needs a token, permissions: doc=delete" in doc
    assert "\n  * doc_id  id" in doc


def test_help_shows_the_method_signature_and_docstring() -> None:
    shown = pydoc.render_doc(api.doc.get, renderer=pydoc.plaintext)
    assert "get(*, doc_id: int | str, extra: " in shown
    assert "Get details about document." in shown
    assert "* doc_id  id" in shown


def test_a_namespace_says_what_it_holds() -> None:
    assert api.doc.tags.__doc__ is not None
    assert api.doc.tags.__doc__.startswith("The doc.tags.* methods of the API")
    assert str(inspect.signature(api.doc)) == "(**params) -> dict[str, typing.Any]"


def test_the_class_keeps_its_own_docstring() -> None:
    assert IpernityMethod.__doc__ is not None
    assert IpernityMethod.__doc__.startswith("A (partial) method name bound to a client")


def test_a_parameter_the_catalogue_does_not_list_is_still_sent(
    sandbox: Sandbox, desktop_app: App
) -> None:
    client = IpernityAPI(desktop_app.api_key, desktop_app.api_secret, url=sandbox.api_url)
    assert client.test.echo(echo="hi", not_catalogued="sent")["echo"] == "hi"
    [call] = [c for c in sandbox.calls if c.params.get("api_key") == desktop_app.api_key]
    assert call.params["not_catalogued"] == "sent"


def test_importing_the_library_reads_no_catalogue_and_builds_no_signature() -> None:
    code = (
        "import sys, ipernity\n"
        "api = ipernity.IpernityAPI('k', 's')\n"
        "method = api.doc.search\n"
        "from ipernity import catalogue\n"
        "print(catalogue.raw_catalogue.cache_info().currsize,"
        " sorted(m for m in ('ipernity.parameters', 'ipernity.method_docs',"
        " 'ipernity.validation') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.split() == ["0", "[]"]
