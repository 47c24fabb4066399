"""Writing into a backup directory so that a final name only ever holds a whole file.

Every file is written in ``DIR/.incoming`` (on the same file system), flushed
to the disk, then renamed to its final name: a rename is atomic, so Ctrl-C, a
crash or a full disk leaves a complete old file or a complete new one, never
part of one. Any error of the file system ends the run as one
:class:`~ipernity.backup.BackupError` naming the path and the cause.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from . import layout
from .results import BackupError


@contextmanager
def disk_errors(path: Path) -> Iterator[None]:
    """Turn a file system error on ``path`` into a :class:`BackupError`."""
    try:
        yield
    except OSError as exc:
        cause = exc.strerror or type(exc).__name__
        raise BackupError(f"Cannot write {path}: {cause}") from None


class BackupDirectory:
    """The backup directory: safe writes, renames and reads under it.

    :param root: the directory; it is created if needed.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.incoming = root / layout.INCOMING

    def prepare(self) -> None:
        """Create the directory, empty ``.incoming`` of what a stopped run left,
        and make sure a file can be written.

        :raises BackupError: when the directory cannot be used.
        """
        with disk_errors(self.root):
            if self.root.exists() and not self.root.is_dir():
                raise NotADirectoryError(20, "Not a directory")
            self.incoming.mkdir(parents=True, exist_ok=True)
            for leftover in self.incoming.iterdir():
                leftover.unlink()
        self.write_json("probe", {"probe": True}, keep=False, durable=False)

    def path(self, relative: str) -> Path:
        """The absolute path of a relative one (POSIX style, as the manifest keeps them).

        :raises BackupError: for a path that would leave the directory (a
            manifest edited by hand, say).
        """
        parts = relative.split("/")
        if relative.startswith("/") or any(part in ("", ".", "..") for part in parts):
            raise BackupError(f"{relative!r} is not a path inside the backup directory")
        return self.root.joinpath(*parts)

    def temporary(self) -> Path:
        """A fresh name in ``.incoming`` for a file being written."""
        return self.incoming / f"{uuid.uuid4().hex}.part"

    @contextmanager
    def writing(self, *, durable: bool = True) -> Iterator[tuple[Path, BinaryIO]]:
        """Open a temporary file for writing; it is removed unless :meth:`place`\\ d.

        Yields the temporary path and the open file, which is flushed to the
        disk when the block ends without error (unless not ``durable``: the
        rename alone is atomic, the flush makes it survive a power cut). Wrap writes in
        :func:`disk_errors`: only the opening and the flush are wrapped here, so
        that the block's other errors (a download's) keep their meaning.
        """
        temp = self.temporary()
        with disk_errors(temp):
            stream = open(temp, "wb")  # noqa: SIM115 (closed below)
        try:
            try:
                yield temp, stream
                with disk_errors(temp):
                    stream.flush()
                    if durable:
                        os.fsync(stream.fileno())
            finally:
                # Closing writes what is still buffered: it can find the disk full too.
                with disk_errors(temp):
                    stream.close()
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    def place(self, temp: Path, relative: str) -> None:
        """Rename the complete ``temp`` file to ``relative``, replacing what was there."""
        final = self.path(relative)
        with disk_errors(final):
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, final)

    def write_json(
        self, relative: str, data: Any, *, keep: bool = True, durable: bool = True
    ) -> None:
        """Write ``data`` as indented UTF-8 JSON to ``relative``, safely.

        :param keep: ``False`` writes and removes the file (a probe of the disk).
        :param durable: ``False`` skips the flush to the disk, for files the
            next run can write again (a document's or album's metadata).
        """
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        with self.writing(durable=durable) as (temp, stream), disk_errors(temp):
            stream.write(text.encode("utf-8"))
        if keep:
            self.place(temp, relative)
        else:
            temp.unlink()

    def read_json(self, relative: str) -> Any:
        """The JSON in ``relative``, or ``None`` when there is no such file."""
        path = self.path(relative)
        try:
            return json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise BackupError(f"Cannot read {path}: {exc}") from None

    def size(self, relative: str) -> int | None:
        """The size of a file, or ``None`` when it is not there."""
        try:
            return self.path(relative).stat().st_size
        except OSError:
            return None

    def move(self, source: str, target: str) -> None:
        """Rename a file within the directory (nothing happens if it is not there)."""
        origin = self.path(source)
        if source == target or not origin.exists():
            return
        final = self.path(target)
        with disk_errors(final):
            final.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(origin, final)

    def remove(self, relative: str) -> None:
        """Delete a file if it is there."""
        path = self.path(relative)
        with disk_errors(path):
            path.unlink(missing_ok=True)

    def same_text(self, relative: str, data: Any) -> bool:
        """Whether ``relative`` already holds ``data`` as :meth:`write_json` writes it."""
        return bool(self.read_json(relative) == data)
