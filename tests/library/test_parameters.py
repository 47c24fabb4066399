"""Each parameter's kind is read from the catalogue's names and words, in one place."""

from __future__ import annotations

import pytest

from ipernity import catalogue
from ipernity.parameters import (
    DECIMAL,
    FILE,
    FLAG,
    ID,
    ID_OR_ALIAS,
    IDS,
    INTEGER,
    INTEGERS,
    KINDS,
    TEXT,
    TEXTS,
    Argument,
    Kind,
    arguments,
    kind_of,
)
from ipernity.signing import ParamValue


def argument(method: str, name: str) -> Argument:
    return next(a for a in arguments(method) if a.name == name)


@pytest.mark.parametrize(
    ("method", "name", "kind"),
    [
        ("doc.get", "doc_id", ID),  # "_id"
        ("tags.docs.getList", "id", ID),  # the tag's id
        ("user.get", "user_id", ID_OR_ALIAS),  # "The User ID (or User Alias)"
        ("album.docs.add", "doc_id", IDS),  # "A document ID or a comma separated list…"
        ("album.orderList", "album_ids", IDS),
        ("doc.tags.add", "members", TEXTS),  # "member IDs or member Web aliases"
        ("doc.search", "license", INTEGERS),  # "a comma separated list of licenses"
        ("doc.checkMD5", "md5", TEXTS),  # "a comma seperated list"
        ("upload.checkTickets", "tickets", TEXTS),  # "A comma delimited list"
        ("doc.setPerms", "is_public", FLAG),  # "is_"
        ("doc.comments.add", "preview", FLAG),  # "Set this flag to 1"
        ("network.autocomplete", "anywhere", FLAG),  # "Setting anywhere to 1"
        ("upload.file", "async", FLAG),  # "Wait (0) or don't wait (1)"
        ("doc.setGeo", "lat", DECIMAL),
        ("doc.search", "dist", DECIMAL),  # "in meters"
        ("doc.search", "per_page", INTEGER),  # "The number of docs"
        ("doc.search", "posted_min", INTEGER),  # "timestamp"
        ("doc.notes.add", "w", INTEGER),  # "The width of the note"
        ("album.docs.getContext", "next", INTEGER),  # "Value is from 1 to 50"
        ("network.getList", "relation", INTEGER),  # "<li>0: everyone</li>…"
        ("upload.file", "perm_comment", INTEGER),  # coded in other methods
        ("doc.search", "created_min", TEXT),  # "YYYY-MM-DD HH:MM:SS"
        ("album.get", "thumbsize", TEXT),  # "75x, 100, 240…"
        ("doc.tags.add", "keywords", TEXT),  # quoted words: not a plain list
        ("upload.file", "file", FILE),
    ],
)
def test_the_kind_comes_from_the_name_and_the_words(method: str, name: str, kind: Kind) -> None:
    assert argument(method, name).kind == kind


def test_every_catalogued_parameter_gets_a_kind_and_every_kind_is_used() -> None:
    used = {
        kind_of(p.name, p.description)
        for method in catalogue.methods().values()
        for p in method.parameters
    }
    assert used == set(KINDS)


def test_the_client_adds_the_api_key_so_no_method_takes_it() -> None:
    assert all(a.name != "api_key" for m in catalogue.names() for a in arguments(m))


def test_user_id_required_by_the_catalogue_is_left_to_a_token() -> None:
    user_id = argument("user.get", "user_id")
    assert (user_id.required, user_id.token_stands_in, user_id.must_be_given) == (
        True,
        True,
        False,
    )


def test_a_required_parameter_whose_default_is_documented_is_optional() -> None:
    assert not argument("tags.user.getList", "type").required
    assert argument("doc.tags.remove", "type").required


def test_a_method_whose_parameters_are_not_catalogued_has_none() -> None:
    assert arguments("post.get") == ()
    assert [a.name for a in arguments("test.hello")] == ["lg"]


def test_descriptions_are_plain_text() -> None:
    relation = argument("network.getList", "relation").description
    assert "<li>" not in relation
    assert "• 0: everyone • 1: just family" in relation


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (INTEGER, "5"),
        (INTEGER, 5),
        (ID, "394926"),
        (ID, 394926),
        (IDS, [1, "2", 3]),
        (IDS, "1,2, 3"),
        (INTEGERS, (1, 3, 7)),
        (FLAG, True),
        (FLAG, 0),
        (FLAG, "1"),
        (DECIMAL, -999),
        (DECIMAL, "6.9234"),
        (DECIMAL, 1e-05),
        (TEXT, "anything at all, even <b>this</b>"),
        (TEXTS, ["blue", "sky"]),
        (ID_OR_ALIAS, "alice"),
    ],
)
def test_a_kind_accepts_its_values(kind: Kind, value: ParamValue) -> None:
    assert kind.accepts(value)


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (INTEGER, "abc"),
        (INTEGER, "-1"),
        (INTEGER, "²"),  # a digit to str.isdigit(), not to int()
        (INTEGER, "٣"),
        (INTEGER, "9" * 30),
        (INTEGER, ""),
        (INTEGER, 5.5),
        (ID, [1, 2]),  # one id, not a list
        (ID, "12a"),
        (IDS, "1,a"),
        (IDS, "1,,2"),
        (FLAG, 2),
        (FLAG, "yes"),
        (DECIMAL, "north"),
        (DECIMAL, "nan"),
    ],
)
def test_a_kind_refuses_what_cannot_be_of_it(kind: Kind, value: ParamValue) -> None:
    assert not kind.accepts(value)


def test_a_value_that_cannot_be_sent_at_all_is_refused() -> None:
    assert not INTEGER.accepts({"page": 1})  # type: ignore[arg-type]
