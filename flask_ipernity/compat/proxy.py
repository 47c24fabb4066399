"""Flask-Ipernity 0.1's ``ipernity`` object: the current extension, as 0.1 spoke it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..extension import Ipernity, current_extension
from .deprecation import deprecated
from .methods import LegacyMethods, forget_session_values

if TYPE_CHECKING:
    from ipernity import IpernityAPI

# Methods that warn themselves when called.
_LEGACY_NAMES = frozenset(name for name in vars(LegacyMethods) if not name.startswith("_"))


class LegacyIpernity:
    """An :class:`~flask_ipernity.Ipernity` extension seen through 0.1's name.

    Every attribute is the extension's; reading one warns once with the name to
    use now (``ipernity.api`` is :data:`flask_ipernity.api`, ``ipernity.logout()``
    is ``current_extension().logout()``).

    :param extension: the extension to show; by default, the current
        application's, found at each use (0.1's ``ipernity`` object).
    """

    def __init__(self, extension: Ipernity | None = None) -> None:
        self._shown = extension

    @property
    def _extension(self) -> Ipernity:
        return self._shown if self._shown is not None else current_extension()

    @property
    def api(self) -> IpernityAPI:
        """The current request's client: :data:`flask_ipernity.api`."""
        # Read at most lines that use 0.1's names: its own property, not __getattr__'s detour.
        extension = self._extension
        deprecated("ipernity.api", "flask_ipernity.api")
        return extension.api

    def logout(self) -> bool:
        """Log out, and remove every session value with 0.1's prefix, as 0.1 did.

        :return: whether a member was logged in.
        """
        extension = self._extension
        deprecated("ipernity.logout()", "current_extension().logout()")
        was_logged_in = extension.logout()
        forget_session_values()
        return was_logged_in

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        extension = self._extension
        if name not in _LEGACY_NAMES:
            deprecated(f"ipernity.{name}", f"current_extension().{name}")
        return getattr(extension, name)


#: 0.1's ``ipernity``: the current application's extension.
ipernity = LegacyIpernity()
