"""Every method of the catalogue answers, with the service's JSON conventions,
laid out as the service writes it, and with the names of its sample.

The table (``catalogue_world.py``) gives each method a successful call in a
small world of records; each answer must be an ``ok`` envelope whose values
are all strings and whose collection items are lists, written compact with the
answer first and ``api`` last. Where the catalogue has a ``response_xml``
sample, the answer must mirror it as PROTOCOL.md says: its elements as
members, their attributes as string members, text-only children as strings,
collection items as lists.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from ipernity import catalogue
from ipernity.sandbox.methods import registered
from tests.sandbox.catalogue_world import (
    CALLS,
    NOT_ANSWERED,
    SAMPLED,
    Element,
    TableCaller,
    sample_elements,
)
from tests.sandbox.wire import whitespace_outside_strings


@pytest.fixture
def answer_to(table: TableCaller) -> Callable[[str], dict[str, Any]]:
    """``answer_to(method)``: the parsed answer to the table's call of ``method``."""
    return table.answer


def test_the_table_covers_the_whole_catalogue() -> None:
    assert set(CALLS) == set(catalogue.names())
    assert registered() == set(catalogue.names())


def well_formed(value: Any, parent: str = "") -> list[str]:
    """Problems with the service's conventions found in ``value``."""
    problems = []
    if isinstance(value, dict):
        for key, item in value.items():
            if parent == key + "s" and not isinstance(item, list):
                problems.append(f"{parent}.{key} is not a list")
            problems += well_formed(item, key)
    elif isinstance(value, list):
        for item in value:
            problems += well_formed(item, parent)
    elif not isinstance(value, str):
        problems.append(f"{parent} = {value!r} is not a string")
    return problems


@pytest.mark.parametrize("method", sorted(CALLS))
def test_every_method_answers_with_string_values_and_lists(method: str, answer_to) -> None:
    answer = answer_to(method)
    assert answer["api"]["status"] == "ok", answer
    assert well_formed(answer) == []


# -- the layout on the wire ----------------------------------------------------


@pytest.mark.parametrize("method", sorted(CALLS))
def test_every_answer_is_compact_with_the_answer_first_and_api_last(
    method: str, table: TableCaller
) -> None:
    text = table.raw(method).text
    members = list(json.loads(text))
    assert whitespace_outside_strings(text) == ""
    assert members[-1] == "api"
    samples = sample_elements(catalogue.get(method).response_xml or "")
    if samples:
        assert members[0] == next(iter(samples))


# -- the names of the samples --------------------------------------------------


def missing_names(sample: Element, values: list[Any], path: str) -> list[str]:
    """The paths of what ``sample`` shows that no item of ``values`` has.

    ``values`` are the answer's occurrences of the element (every item of a
    list): a name counts as present if one of them has it.
    """
    if not sample.attributes and not sample.children:
        # Text becomes a string; of an element shown empty, only its presence tells.
        if sample.text and not all(isinstance(v, str) for v in values):
            return [f"{path} (not a string)"]
        return []
    if not all(isinstance(v, dict) for v in values):
        return [f"{path} (not an object)"]
    problems = [
        f"{path}@{name}"
        for name in sorted(sample.attributes)
        if not any(isinstance(v.get(name), str) for v in values)
    ]
    for name, child in sample.children.items():
        found = [v[name] for v in values if name in v]
        if not found:
            problems.append(f"{path}/{name}")
        elif name not in sample.lists and any(isinstance(v, list) for v in found):
            problems.append(f"{path}/{name} (a list)")
        elif name in sample.lists and not all(isinstance(v, list) for v in found):
            problems.append(f"{path}/{name} (not a list)")
        else:
            items = [item for v in found for item in v] if name in sample.lists else found
            problems += missing_names(child, items, f"{path}/{name}")
    return problems


def test_the_sample_reader_sees_the_names_of_doc_get_tags() -> None:
    tags = sample_elements(catalogue.get("doc.get").response_xml)["doc"].children["tags"]
    assert tags.lists == {"tag"}
    assert {"tag_id", "type", "keyword", "member_id", "title"} <= tags.children["tag"].attributes


@pytest.mark.parametrize("method", SAMPLED)
def test_every_answer_has_the_names_of_its_sample(method: str, answer_to) -> None:
    answer = answer_to(method)
    assert answer["api"]["status"] == "ok", answer
    problems = []
    for name, element in sample_elements(catalogue.get(method).response_xml).items():
        if name in answer:
            problems += missing_names(element, [answer[name]], name)
        else:
            problems.append(name)
    assert [p for p in problems if p not in NOT_ANSWERED.get(method, {})] == []
