"""Signals the extension sends; the sender is always the application.

Connect with ``logged_in.connect(receiver)`` (blinker); receivers get the
application and the keyword arguments named below.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: A member logged in; ``member`` (a :class:`~flask_ipernity.Member`) is who.
logged_in = _signals.signal("ipernity-logged-in")

#: A member logged out (or their token was dropped); ``member`` is who.
logged_out = _signals.signal("ipernity-logged-out")

#: A login did not complete; ``reason`` says why, e.g. ``"no_pending_login"``.
login_failed = _signals.signal("ipernity-login-failed")
