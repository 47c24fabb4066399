"""A streamed ``multipart/form-data`` body, so uploads never sit in memory.

``requests`` builds multipart bodies in memory; this body is a file-like object
with a known length that reads the file in blocks as the socket takes them.
"""

from __future__ import annotations

import io
import os
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import IO, Any

from .exceptions import IpernityError


class MultipartBody:
    """``fields`` as text parts, then ``fileobj`` as the part named ``file_field``.

    :param fields: the form fields (already encoded as text).
    :param file_field: the name of the file part.
    :param filename: the file name sent with it.
    :param fileobj: an open binary file positioned where the upload starts.
    """

    def __init__(
        self, fields: Mapping[str, str], file_field: str, filename: str, fileobj: IO[bytes]
    ) -> None:
        self.boundary = "ipernity-" + secrets.token_hex(16)
        self._file = fileobj
        self._head = self._encode_head(fields, file_field, filename)
        self._tail = f"\r\n--{self.boundary}--\r\n".encode()
        self._file_size = _remaining_size(fileobj)
        self._stage = 0
        self._offset = 0

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header value, boundary included."""
        return f"multipart/form-data; boundary={self.boundary}"

    def __len__(self) -> int:
        return len(self._head) + self._file_size + len(self._tail)

    def read(self, size: int = -1) -> bytes:
        """Return up to ``size`` bytes of the body (all that is left for -1)."""
        if size is None or size < 0:
            size = len(self)
        out = bytearray()
        while len(out) < size and self._stage < 3:
            want = size - len(out)
            if self._stage == 1:
                chunk = self._file.read(want)
                if not chunk:
                    self._stage = 2
                out += chunk
                continue
            part = self._head if self._stage == 0 else self._tail
            chunk = part[self._offset : self._offset + want]
            out += chunk
            self._offset += len(chunk)
            if self._offset >= len(part):
                self._stage += 1
                self._offset = 0
        return bytes(out)

    def _encode_head(self, fields: Mapping[str, str], file_field: str, filename: str) -> bytes:
        lines: list[str] = []
        for name, value in fields.items():
            lines += [
                f"--{self.boundary}",
                f'Content-Disposition: form-data; name="{_quote(name)}"',
                "",
                value,
            ]
        lines += [
            f"--{self.boundary}",
            f'Content-Disposition: form-data; name="{_quote(file_field)}"; '
            f'filename="{_quote(filename)}"',
            "Content-Type: application/octet-stream",
            "",
            "",
        ]
        return "\r\n".join(lines).encode("utf-8")


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def _remaining_size(fileobj: IO[bytes]) -> int:
    try:
        return os.fstat(fileobj.fileno()).st_size - fileobj.tell()
    except (AttributeError, OSError, ValueError):
        pass
    try:
        here = fileobj.tell()
        end = fileobj.seek(0, os.SEEK_END)
        fileobj.seek(here)
        return end - here
    except (AttributeError, OSError, ValueError):
        raise IpernityError(
            "the file to upload must be a path or a seekable binary file"
        ) from None


@contextmanager
def open_upload(source: Any) -> Iterator[tuple[str, IO[bytes]]]:
    """Yield ``(filename, binary file)`` for a path or an already open file.

    A path is opened here and closed afterwards; a file object is left open.
    """
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        try:
            handle = open(path, "rb")  # noqa: SIM115 -- closed below, after the upload
        except OSError as exc:
            raise IpernityError(f"cannot read {path}: {exc.strerror}") from None
        with handle:
            yield os.path.basename(path), handle
        return
    if not hasattr(source, "read") or isinstance(source, io.TextIOBase):
        raise IpernityError("file must be a path or a file object opened in binary mode")
    name = os.path.basename(str(getattr(source, "name", "") or "upload"))
    yield name, source
