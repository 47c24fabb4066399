"""How walkers read page counts and item lists from the shapes answers come in."""

import pytest

from ipernity.paging import item_path, page_count


def test_pages_is_taken_when_present() -> None:
    assert page_count({"pages": "7", "total": "1000", "per_page": "10"}, 10) == 7


def test_pages_is_computed_from_total_and_per_page() -> None:
    assert page_count({"total": "17", "per_page": "5"}, None) == 4
    assert page_count({"total": "15", "per_page": "5"}, None) == 3


def test_the_older_perpage_spelling_is_understood() -> None:
    assert page_count({"total": "101", "perpage": "50"}, None) == 3


def test_the_requested_page_size_is_used_when_the_answer_has_none() -> None:
    assert page_count({"total": "250"}, 100) == 3


def test_an_empty_listing_has_no_further_page() -> None:
    assert page_count({"total": "0", "per_page": "100"}, 100) == 0
    assert page_count({}, 100) == 1


@pytest.mark.parametrize(
    ("method", "elem_name", "path"),
    [
        ("doc.getList", None, ("docs", "doc")),
        ("album.docs.getList", None, ("album", "docs", "doc")),
        ("doc.getList", "doc", ("docs", "doc")),
        ("doc.getList", "result.items.item", ("result", "items", "item")),
        ("post.getList", None, ("posts", "post")),
    ],
)
def test_item_paths(method: str, elem_name: str | None, path: tuple[str, ...]) -> None:
    assert item_path(method, elem_name) == path
