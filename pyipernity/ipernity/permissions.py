"""Permission levels and the arithmetic on them.

A permission set maps a target (``doc``, ``blog``, ``post``, ``network``,
``profile``) to a level; levels are ordered ``none < read < write < delete``.
Keys may be written ``doc`` or ``perm_doc``.
"""

from __future__ import annotations

from collections.abc import Mapping

LEVELS = ("none", "read", "write", "delete")
TARGETS = ("doc", "blog", "post", "network", "profile")

Permissions = Mapping[str, str]


def target_name(key: str) -> str:
    """Return the target named by ``key`` (``perm_doc`` and ``doc`` both give ``doc``)."""
    return key.removeprefix("perm_")


def rank(level: str) -> int:
    """Return the position of ``level`` in ``none < read < write < delete``.

    :raises ValueError: for anything that is not a level.
    """
    try:
        return LEVELS.index(level)
    except ValueError:
        raise ValueError(
            f"unknown permission level {level!r}; use one of {', '.join(LEVELS)}"
        ) from None


def normalize(perms: Permissions | None) -> dict[str, str]:
    """Return ``perms`` with plain target names, checking every level."""
    result: dict[str, str] = {}
    for key, level in (perms or {}).items():
        if level not in LEVELS:
            rank(level)  # raises the error that names the levels
        result[key.removeprefix("perm_")] = level  # target_name(), inlined: called per request
    return result


def satisfies(granted: Permissions | None, needed: Permissions | None) -> bool:
    """Tell whether ``granted`` reaches every level in ``needed``.

    A target missing from ``granted`` counts as ``none``.
    """
    have = normalize(granted)
    return all(rank(level) <= rank(have.get(t, "none")) for t, level in normalize(needed).items())


def merge(*sets: Permissions | None) -> dict[str, str]:
    """Combine permission sets, keeping the highest level asked for each target.

    Targets whose highest level is ``none`` are left out.
    """
    result: dict[str, str] = {}
    for perms in sets:
        for target, level in normalize(perms).items():
            if rank(level) > rank(result.get(target, "none")):
                result[target] = level
    return result


def link_params(perms: Permissions | None) -> dict[str, str]:
    """Return the ``perm_<target>=<level>`` parameters of an authorization link."""
    return {"perm_" + target: level for target, level in normalize(perms).items()}
