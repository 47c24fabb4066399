"""The shell's own error: a command line it cannot run."""

from __future__ import annotations

from ipernity.exceptions import IpernityError


class CommandError(IpernityError):
    """A command line the shell cannot run: bad syntax, unknown command, wrong use.

    Like every :class:`~ipernity.IpernityError`, its message is one line fit to
    show to the user as it is.
    """
