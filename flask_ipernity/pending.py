"""Signed records of pending logins, kept in the visitor's session.

Both login flows (:mod:`.login_state` for frobs, :mod:`.oauth_state` for OAuth)
keep what ``/login`` started as a list of records signed with
:mod:`itsdangerous`, one per browser tab that started a login. This is what
they share: reading the list back (dropping records signed with another key or
salt), telling whether a record is still live, and storing the list.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, Protocol, TypeVar

from flask import current_app, session
from itsdangerous import BadSignature, URLSafeSerializer


class PendingRecord(Protocol):
    """What a pending login must tell: how long ago it started."""

    def age(self) -> float:
        """Return the seconds since the login started."""
        ...


Record = TypeVar("Record", bound=PendingRecord)


class SignedRecords(Generic[Record]):
    """The signed records of one kind in the current request's session.

    :param timeout: seconds a record stays usable.
    """

    #: The session key of the list of signed records.
    session_key: ClassVar[str]
    #: The signatures' salt: one kind's records never read as another's.
    salt: ClassVar[str]

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout

    def _encode(self, record: Record) -> dict[str, Any]:
        raise NotImplementedError

    def _decode(self, data: Any) -> Record:
        raise NotImplementedError

    def _is_live(self, record: Record) -> bool:
        return 0 <= record.age() <= self.timeout

    def _records(self) -> list[tuple[str, Record]]:
        serializer = self._serializer()
        records = []
        for signed in session.get(self.session_key) or []:
            try:
                records.append((signed, self._decode(serializer.loads(signed))))
            except (BadSignature, KeyError, TypeError, ValueError):
                # Signed with an older secret key, or not ours: it cannot be used.
                continue
        return records

    def _sign(self, record: Record) -> str:
        return self._serializer().dumps(self._encode(record))

    def _store(self, signed: list[str]) -> None:
        if signed:
            session[self.session_key] = signed
        else:
            session.pop(self.session_key, None)

    def _serializer(self) -> URLSafeSerializer:
        return URLSafeSerializer(current_app.secret_key or "", salt=self.salt)
