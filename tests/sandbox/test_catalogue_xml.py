"""Every method of the catalogue answers in XML too, in the shape of its sample.

The table (``catalogue_world.py``) makes each method's call with ``/xml``; every
answer must parse as XML with ``<api status="ok">`` around it. Where the
catalogue has a ``response_xml`` sample, the answer's element tree must show
the sample's elements and attributes, each where the sample has it (an
attribute as an attribute, an element's text as an element). Methods that only
read answer the same content in both formats. And every method's refusals
(no key, unsigned, no token, no parameters) are XML errors too.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest

from ipernity import catalogue
from ipernity.sandbox import App, Sandbox, User
from tests.sandbox.catalogue_world import (
    CALLS,
    NOT_ANSWERED,
    SAMPLED,
    Element,
    TableCaller,
    sample_elements,
)
from tests.sandbox.conftest import Caller
from tests.sandbox.wire import parse_xml

#: The members that may be their element's own text in XML: ``content`` or
#: ``description`` of an element the sample shows with attributes and text, and
#: ``_value``, the service's JSON name for an element's text.
TEXT_MEMBERS = ("content", "description", "_value")
#: Read-only methods whose second call differs from the first, and why.
CHANGES_BETWEEN_CALLS = {"explore.groups.getRandom": "a random pick each time"}


def parsed(table: TableCaller, method: str) -> ET.Element:
    """The root of the XML answer to the table's call of ``method``."""
    response = table.raw(method, fmt="xml")
    assert response.headers["Content-Type"].startswith("text/xml")
    return parse_xml(response.content)


def misplaced(sample: Element, found: list[ET.Element], path: str) -> list[str]:
    """The paths of what ``sample`` shows that the elements ``found`` (every
    occurrence of one element) lack, or have in the wrong place."""
    problems = []
    for name in sorted(sample.attributes):
        if not any(name in element.attrib for element in found):
            problems.append(f"{path}@{name}")
        if name not in sample.children and any(
            element.find(name) is not None for element in found
        ):
            problems.append(f"{path}@{name} (an element)")
    for name, child in sample.children.items():
        children = [item for element in found for item in element.findall(name)]
        if name not in sample.attributes and any(name in element.attrib for element in found):
            problems.append(f"{path}/{name} (an attribute)")
        elif not children:
            problems.append(f"{path}/{name}")
        else:
            problems += misplaced(child, children, f"{path}/{name}")
    return problems


@pytest.mark.parametrize("method", sorted(CALLS))
def test_every_method_answers_parsable_xml_around_an_ok(method: str, table: TableCaller) -> None:
    root = parsed(table, method)
    assert root.tag == "api"
    assert root.get("status") == "ok", ET.tostring(root)
    assert root.get("at", "").isdigit()


@pytest.mark.parametrize("method", SAMPLED)
def test_every_xml_answer_has_the_elements_and_attributes_of_its_sample(
    method: str, table: TableCaller
) -> None:
    root = parsed(table, method)
    problems = []
    for name, element in sample_elements(catalogue.get(method).response_xml).items():
        problems += (
            misplaced(element, root.findall(name), name) if root.find(name) is not None else [name]
        )
    assert [p for p in problems if p not in NOT_ANSWERED.get(method, {})] == []


def differences(element: ET.Element, value: dict[str, Any], path: str) -> list[str]:
    """Where XML ``element`` does not hold the JSON object ``value``."""
    problems = []
    attributes = dict(element.attrib)
    for name, item in value.items():
        where = f"{path}/{name}"
        children = element.findall(name)
        if isinstance(item, list):
            if len(children) != len(item):
                problems.append(f"{where}: {len(children)} elements for {len(item)} items")
            for child, one in zip(children, item, strict=False):
                problems += _compare(child, one, where)
        elif isinstance(item, dict):
            problems += _compare(children[0], item, where) if children else [where]
        elif item not in _texts(element, name, attributes):
            problems.append(f"{where}: {item!r} missing")
    problems += [f"{path}@{name}: not in the JSON answer" for name in attributes]
    return problems


def _texts(element: ET.Element, name: str, attributes: dict[str, str]) -> list[str]:
    """Where string member ``name`` may be in ``element``: its attribute (taken
    out of ``attributes``), its child element's text, or its own text."""
    found = [attributes.pop(name)] if name in attributes else []
    found += [child.text or "" for child in element.findall(name)]
    if name in TEXT_MEMBERS:
        found.append(element.text or "")
    return found


def _compare(element: ET.Element, value: Any, path: str) -> list[str]:
    if isinstance(value, dict):
        return differences(element, value, path)
    return [] if (element.text or "") == value else [f"{path}: {element.text!r} != {value!r}"]


READ_ONLY = sorted(
    name for name in CALLS if catalogue.get(name).read_only and name not in CHANGES_BETWEEN_CALLS
)


@pytest.mark.parametrize("method", READ_ONLY)
def test_a_reading_method_answers_the_same_content_in_both_formats(
    method: str, table: TableCaller
) -> None:
    in_json = table.answer(method)
    root = parsed(table, method)
    del in_json["api"]
    root.attrib.clear()  # the status, already compared, and the time
    assert differences(root, in_json, "") == []


#: How a call can be refused before its method runs, and after: without a key,
#: unsigned, without a token, and with a token but none of its parameters.
REFUSALS = ("no key", "unsigned", "no token", "no parameters")


@pytest.mark.parametrize("refusal", REFUSALS)
def test_every_methods_refusals_are_parsable_xml_errors(
    refusal: str, sandbox: Sandbox, call: Callable[..., Caller], desktop_app: App, alice: User
) -> None:
    token = sandbox.grant(alice, desktop_app, {"doc": "delete", "blog": "delete"})
    caller = call(desktop_app, token if refusal == "no parameters" else None)
    codes: set[str] = set()
    for method in catalogue.names():
        if refusal == "no key":
            answer = caller.session.get(f"{sandbox.api_url}{method}/xml", timeout=30)
        else:
            answer = caller.raw(method, fmt="xml", sign=False if refusal == "unsigned" else None)
        root = parse_xml(answer.content)
        assert root.tag == "api", method
        if root.get("status") == "error":
            # An error is an empty element: its code and message, nothing else.
            assert set(root.attrib) == {"status", "code", "message"}, method
            assert root.get("code", "").isdigit(), method
            assert root.get("message"), method
            assert list(root) == [], method
            codes.add(root.get("code", ""))
        else:
            assert root.get("status") == "ok", method
    assert codes, "no method refused the call"
