"""Uploads: send the file, then poll its ticket until the document exists."""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any

from .exceptions import UploadError, UploadTimeout

if TYPE_CHECKING:
    from .api import IpernityAPI
    from .signing import ParamValue

#: Shortest pause between two ``upload.checkTickets`` polls, whatever ``eta`` says.
MIN_POLL = 0.25


def upload_and_wait(
    api: IpernityAPI, method_name: str, source: Any, timeout: float, **fields: ParamValue
) -> str:
    """Call ``upload.file`` or ``upload.replace`` and wait for the ticket's document.

    :return: the new (or replaced) document's ``doc_id``.
    """
    filename = _display_name(source)
    answer = api.call(method_name, file=source, **fields)
    ticket = _ticket_id(answer.get("ticket"))
    if not ticket:
        raise UploadError(filename, None, f"{method_name} gave no ticket for {filename}")
    return wait_for_ticket(api, ticket, filename, timeout)


def wait_for_ticket(api: IpernityAPI, ticket: str, filename: str, timeout: float) -> str:
    """Poll ``upload.checkTickets`` as its ``eta`` says until ``ticket`` is done.

    :raises UploadError: when the service says the ticket is invalid.
    :raises UploadTimeout: when it is not done within ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        status = _ticket_status(api, ticket, filename)
        if int(status.get("invalid") or 0):
            raise UploadError(filename, ticket, f"Upload of {filename} failed: ticket invalid")
        if int(status.get("done") or 0) and status.get("doc_id"):
            return str(status["doc_id"])
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise UploadTimeout(
                filename, ticket, f"Upload of {filename} not done after {timeout:g} s"
            )
        time.sleep(min(max(float(status.get("eta") or 0), MIN_POLL), remaining))


def _ticket_status(api: IpernityAPI, ticket: str, filename: str) -> dict[str, Any]:
    tickets = api.call("upload.checkTickets", tickets=ticket).get("tickets") or {}
    listed = tickets.get("ticket") or []
    for status in [listed] if isinstance(listed, dict) else listed:
        if str(status.get("id")) == ticket:
            return dict(status)
    raise UploadError(filename, ticket, f"upload.checkTickets did not report ticket {ticket}")


def _ticket_id(value: Any) -> str | None:
    # Documented as {"ticket": "<id>"}; tolerate the {"ticket": {"id": ...}} spelling.
    if isinstance(value, dict):
        value = value.get("id") or value.get("_content")
    return str(value) if value else None


def _display_name(source: Any) -> str:
    if isinstance(source, str | os.PathLike):
        return os.path.basename(os.fspath(source))
    return os.path.basename(str(getattr(source, "name", "") or "upload"))
