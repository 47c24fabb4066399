"""Permission levels compare as none < read < write < delete."""

import pytest

from ipernity import permissions


def test_a_higher_level_satisfies_a_lower_one() -> None:
    assert permissions.satisfies({"doc": "delete"}, {"doc": "write"})
    assert not permissions.satisfies({"doc": "read"}, {"doc": "write"})


def test_perm_prefixed_keys_are_the_same_target() -> None:
    assert permissions.satisfies({"perm_doc": "write"}, {"doc": "read"})
    assert permissions.satisfies({"doc": "write"}, {"perm_doc": "write"})


def test_a_missing_target_counts_as_none() -> None:
    assert not permissions.satisfies({"doc": "write"}, {"network": "read"})
    assert permissions.satisfies({}, {"network": "none"})


def test_merge_keeps_the_highest_level_per_target() -> None:
    merged = permissions.merge({"doc": "read"}, {"doc": "write", "blog": "none"}, None)
    assert merged == {"doc": "write"}


def test_unknown_levels_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown permission level 'admin'"):
        permissions.satisfies({"doc": "admin"}, {"doc": "read"})


def test_link_params_are_perm_prefixed() -> None:
    assert permissions.link_params({"doc": "write", "perm_blog": "read"}) == {
        "perm_doc": "write",
        "perm_blog": "read",
    }
