"""The logged-in member, as the token mapping describes them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

# Member or a subclass of it (Flask-Login's user is one).
M = TypeVar("M", bound="Member")


@dataclass(frozen=True)
class Member:
    """An Ipernity member logged in to the site.

    Known from the token mapping ``auth.getToken`` returned: reading it costs
    no API call.
    """

    #: The member's Ipernity user id.
    user_id: str
    #: Their username (the name in their profile's address).
    username: str
    #: Their real name, possibly empty.
    realname: str = ""

    @property
    def display_name(self) -> str:
        """The real name if the member gave one, else the username."""
        return self.realname or self.username

    @classmethod
    def from_token(cls: type[M], token: Mapping[str, Any]) -> M:
        """Build the member from a token mapping's ``user``.

        :param token: a token mapping (``token``, ``permissions``, ``user``).
        """
        user = token.get("user") or {}
        return cls(
            user_id=str(user.get("user_id", "")),
            username=str(user.get("username", "")),
            realname=str(user.get("realname") or ""),
        )
