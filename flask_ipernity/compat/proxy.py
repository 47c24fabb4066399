"""Flask-Ipernity 0.1's ``ipernity`` object: the current extension, as 0.1 spoke it."""

from __future__ import annotations

from typing import Any, cast

from werkzeug.local import LocalProxy

from ..extension import Ipernity, current_extension
from .deprecation import deprecated
from .methods import LegacyMethods, forget_session_values

# Methods that warn themselves when called.
_LEGACY_NAMES = frozenset(name for name in vars(LegacyMethods) if not name.startswith("_"))

# What replaces the extension's other names when reached through ``ipernity``.
_NEW_WAY = {
    "api": "flask_ipernity.api",
}


class LegacyIpernity:
    """The current application's :class:`~flask_ipernity.Ipernity`, seen through 0.1's name.

    Every attribute is the extension's; reading one warns once with the name to
    use now (``ipernity.api`` is :data:`flask_ipernity.api`, ``ipernity.logout()``
    is ``current_extension().logout()``).

    :param extension: the extension of the current application.
    """

    def __init__(self, extension: Ipernity) -> None:
        self._extension = extension

    def logout(self) -> bool:
        """Log out, and remove every session value with 0.1's prefix, as 0.1 did.

        :return: whether a member was logged in.
        """
        deprecated("ipernity.logout()", "current_extension().logout()")
        was_logged_in = self._extension.logout()
        forget_session_values()
        return was_logged_in

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in _LEGACY_NAMES:
            deprecated(f"ipernity.{name}", _NEW_WAY.get(name, f"current_extension().{name}"))
        return getattr(self._extension, name)


#: 0.1's ``ipernity``: the current application's extension.
ipernity = cast(LegacyIpernity, LocalProxy(lambda: LegacyIpernity(current_extension())))
