"""Writing into a backup directory: whole files only, private, never through a link.

Every file is written in ``DIR/.incoming`` (on the same file system), flushed
to the disk, then renamed to its final name: a rename is atomic, so Ctrl-C, a
crash or a full disk leaves a complete old file or a complete new one, never
part of one. Any error of the file system ends the run as one
:class:`~ipernity.backup.BackupError` naming the path and the cause.

No symbolic link inside ``DIR`` is followed: each folder of a path is opened
relative to the one before without following links (``dir_fd`` and
``O_NOFOLLOW``), so a link planted in ``DIR`` (``documents`` → elsewhere) can
neither receive a write nor lead a rename or a deletion out; a path through one
is an error. ``DIR`` itself may be a link: whoever runs the backup named it.
Where the system has no ``dir_fd`` (Windows), each folder is checked with
``lstat`` before it is used instead.

Folders are created 0700 and files 0600, whatever the umask, unless the
directory is ``shared`` (then the umask decides, as for any program).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from . import layout
from .results import BackupError

#: Modes of what a private backup creates (the owner alone reads them).
PRIVATE_FOLDER_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
# What a shared backup asks for: the umask then takes away what it takes away.
_SHARED_FOLDER_MODE = 0o777
_SHARED_FILE_MODE = 0o666

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)
# Opening a FIFO planted in DIR for reading must not block the run.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW | _CLOEXEC
_READ_FLAGS = os.O_RDONLY | _CLOEXEC | _NONBLOCK
_NEW_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | _BINARY
#: Whether folders can be held open and used as the base of each operation.
_DIR_FD = {os.open, os.mkdir, os.stat, os.unlink, os.rename} <= os.supports_dir_fd and (
    os.scandir in os.supports_fd
)
#: Bytes read at a time when hashing a file.
_BLOCK = 1024 * 1024
# Names Windows gives another meaning, whatever their extension.
_DEVICE_NAME = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
# The errors of a lock another process holds.
_LOCK_HELD = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, getattr(errno, "EDEADLOCK", -1)}


@contextmanager
def disk_errors(path: Path, action: str = "write") -> Iterator[None]:
    """Turn a file system error on ``path`` into a :class:`BackupError`.

    :param action: what failed, in the message: ``"Cannot write …"``.
    """
    try:
        yield
    except OSError as exc:
        cause = exc.strerror or type(exc).__name__
        raise BackupError(f"Cannot {action} {path}: {cause}") from None


def checked_parts(relative: str) -> tuple[str, ...]:
    """The names along a relative path (POSIX style, as the manifest keeps them).

    :raises BackupError: for a path that could name something outside the
        directory on some system: absolute, empty parts, ``.`` or ``..``
        (with the trailing dots and spaces Windows ignores), backslashes, drive
        letters and other colons, device names.
    """
    parts = tuple(relative.split("/"))
    if any(not _plain_name(part) for part in parts):
        raise BackupError(f"{relative!r} is not a path inside the backup directory")
    return parts


def _plain_name(part: str) -> bool:
    if not part or part.endswith((".", " ")) or _DEVICE_NAME.match(part):
        return False
    return not any(char in part for char in ("\\", ":", "\0"))


@dataclass
class _Folder:
    """A folder of the backup, opened without following a link (``fd``), or
    only checked where the system has no ``dir_fd`` (``fd`` is ``None``)."""

    path: Path
    fd: int | None

    def at(self, name: str) -> tuple[str, int | None]:
        """``name`` in this folder, as the ``path, dir_fd`` of an ``os`` call."""
        if self.fd is None:
            return str(self.path / name), None
        return name, self.fd

    def close(self) -> None:
        """Let the folder go."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class BackupDirectory:
    """The backup directory: safe writes, renames and reads under it.

    Open it (:meth:`open`) before use and close it after, or use it in a
    ``with`` block once opened.

    :param root: the directory.
    :param shared: let the umask decide the modes of what is created, instead
        of 0700 for folders and 0600 for files.
    """

    def __init__(self, root: Path, *, shared: bool = False) -> None:
        self.root = root
        self.incoming = root / layout.INCOMING
        self._folder_mode = _SHARED_FOLDER_MODE if shared else PRIVATE_FOLDER_MODE
        self._file_mode = _SHARED_FILE_MODE if shared else PRIVATE_FILE_MODE
        self._exact_modes = not shared
        self._root: _Folder | None = None
        self._incoming: _Folder | None = None
        self._lock_fd: int | None = None

    # -- opening and closing -------------------------------------------------

    def open(self, *, create: bool = True) -> BackupDirectory:
        """Open the directory, creating it (0700 unless shared) if ``create``.

        Without ``create`` a missing directory stays missing: every read then
        finds nothing (a dry run).

        :raises BackupError: when it is not a directory or cannot be created.
        """
        with disk_errors(self.root):
            created = False
            if create:
                self.root.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.mkdir(self.root, self._folder_mode)
                    created = True
                except FileExistsError:
                    pass
            if not os.path.isdir(self.root):
                if os.path.lexists(self.root):
                    raise NotADirectoryError(errno.ENOTDIR, "Not a directory")
                return self
            fd = os.open(self.root, _FOLDER_FLAGS & ~_NOFOLLOW) if _DIR_FD else None
            self._root = _Folder(self.root, fd)
            if created:
                self._set_mode(self._root, self._folder_mode)
        return self

    def close(self) -> None:
        """Let go of the directory and of its lock."""
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # which releases the lock
            self._lock_fd = None
        for folder in (self._incoming, self._root):
            if folder is not None:
                folder.close()
        self._incoming = self._root = None

    def __enter__(self) -> BackupDirectory:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def lock(self) -> None:
        """Hold ``DIR/.lock`` until :meth:`close` (or the process ends).

        :raises BackupError: when another backup holds it.
        """
        root = self._opened_root()
        fd = self._open_file(root, layout.LOCK, os.O_RDWR | os.O_CREAT | _CLOEXEC)
        try:
            self._set_file_mode(fd)
            _try_lock(fd)
        except OSError as exc:
            os.close(fd)
            if exc.errno in _LOCK_HELD:
                raise BackupError(
                    f"Another backup is running in {self.root} (it holds {layout.LOCK}); "
                    "wait for it to end"
                ) from None
            raise BackupError(f"Cannot lock {self.root / layout.LOCK}: {exc.strerror}") from None
        self._lock_fd = fd

    def prepare(self) -> None:
        """Make sure the folders are no links, empty ``.incoming`` of the
        ``*.part`` files a stopped run left, and make sure a file can be written.

        :raises BackupError: when the directory cannot be used.
        """
        root = self._opened_root()
        for name in (layout.DOCUMENTS, layout.ALBUMS, layout.DELETED):
            folder = self._open_folder(root, name, create=False)
            if folder is not None:
                folder.close()
        self._incoming = self._made_folder(root, layout.INCOMING)
        self._clear_incoming()
        self.write_json("probe", {"probe": True}, keep=False, durable=False)

    def _clear_incoming(self) -> None:
        incoming = self._opened_incoming()
        with disk_errors(self.incoming):
            for entry in list(
                os.scandir(incoming.fd if incoming.fd is not None else self.incoming)
            ):
                # Only what a run writes there: a link or a folder is left alone.
                if entry.name.endswith(".part") and entry.is_file(follow_symlinks=False):
                    target, dir_fd = incoming.at(entry.name)
                    os.unlink(target, dir_fd=dir_fd)

    # -- paths ---------------------------------------------------------------

    def path(self, relative: str) -> Path:
        """The absolute path of a relative one (POSIX style, as the manifest keeps them).

        :raises BackupError: for a path that would leave the directory (a
            manifest edited by hand, say), see :func:`checked_parts`.
        """
        return self.root.joinpath(*checked_parts(relative))

    @contextmanager
    def _existing_parent(self, relative: str) -> Iterator[tuple[_Folder | None, str]]:
        """The folder holding ``relative`` (``None`` if missing) and the file's name."""
        parts = checked_parts(relative)
        opened: list[_Folder] = []
        folder = self._root
        try:
            for name in parts[:-1]:
                if folder is None:
                    break
                folder = self._open_folder(folder, name, create=False)
                if folder is not None:
                    opened.append(folder)
            yield folder, parts[-1]
        finally:
            for each in opened:
                each.close()

    @contextmanager
    def _made_parent(self, relative: str) -> Iterator[tuple[_Folder, str]]:
        """The folder holding ``relative``, created if need be, and the file's name."""
        parts = checked_parts(relative)
        opened: list[_Folder] = []
        folder = self._opened_root()
        try:
            for name in parts[:-1]:
                folder = self._made_folder(folder, name)
                opened.append(folder)
            yield folder, parts[-1]
        finally:
            for each in opened:
                each.close()

    def _made_folder(self, parent: _Folder, name: str) -> _Folder:
        folder = self._open_folder(parent, name, create=True)
        if folder is None:  # removed between its creation and its opening
            raise BackupError(f"Cannot write {parent.path / name}: it vanished meanwhile")
        return folder

    def _open_folder(self, parent: _Folder, name: str, *, create: bool) -> _Folder | None:
        path = parent.path / name
        target, dir_fd = parent.at(name)
        with disk_errors(path):
            info = _lstat(target, dir_fd)
            created = False
            if info is None and create:
                # Another thread may create it meanwhile: then it is simply there.
                with suppress(FileExistsError):
                    os.mkdir(target, self._folder_mode, dir_fd=dir_fd)
                    created = True
                info = _lstat(target, dir_fd)
            if info is None:
                return None
            if _is_link(info):
                raise _link_error(path)
            if not stat.S_ISDIR(info.st_mode):
                raise BackupError(f"{path} is not a folder")
            # Opened without following: a folder swapped for a link meanwhile fails here.
            folder = _Folder(
                path, os.open(target, _FOLDER_FLAGS, dir_fd=dir_fd) if _DIR_FD else None
            )
            if created:
                self._set_mode(folder, self._folder_mode)
        return folder

    def _open_file(self, folder: _Folder, name: str, flags: int, action: str = "write") -> int:
        """Open a regular file of ``folder`` without following a link.

        :raises BackupError: for a link or anything but a regular file.
        """
        path = folder.path / name
        target, dir_fd = folder.at(name)
        with disk_errors(path, action):
            if not _NOFOLLOW:
                _refuse_link(path, target, dir_fd)
            try:
                fd = os.open(target, flags | _NOFOLLOW | _BINARY, self._file_mode, dir_fd=dir_fd)
            except OSError:
                _refuse_link(path, target, dir_fd)
                raise
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                os.close(fd)
                raise BackupError(f"{path} is not a regular file")
        return fd

    def _set_mode(self, folder: _Folder, mode: int) -> None:
        # The umask only takes bits away: a mode set afterwards is exact.
        if not self._exact_modes:
            return
        if folder.fd is not None:
            os.fchmod(folder.fd, mode)
        else:
            os.chmod(folder.path, mode)

    def _set_file_mode(self, fd: int) -> None:
        # Windows has no fchmod before Python 3.13, nor modes beyond read-only.
        if self._exact_modes and hasattr(os, "fchmod"):
            os.fchmod(fd, self._file_mode)

    def _opened_root(self) -> _Folder:
        if self._root is None:
            raise BackupError(f"{self.root} is not open")
        return self._root

    def _opened_incoming(self) -> _Folder:
        if self._incoming is None:
            raise BackupError(f"{self.incoming} is not prepared")
        return self._incoming

    # -- writing -------------------------------------------------------------

    @contextmanager
    def writing(self, *, durable: bool = True) -> Iterator[tuple[str, BinaryIO]]:
        """Open a new temporary file for writing; it is removed unless :meth:`place`\\ d.

        Yields the temporary file's name (in ``.incoming``) and the open file,
        which is flushed to the disk when the block ends without error (unless
        not ``durable``: the rename alone is atomic, the flush makes it survive
        a power cut). Wrap writes in :func:`disk_errors`: only the opening and
        the flush are wrapped here, so that the block's other errors (a
        download's) keep their meaning.
        """
        incoming = self._opened_incoming()
        temp = f"{uuid.uuid4().hex}.part"
        target, dir_fd = incoming.at(temp)
        with disk_errors(self.incoming / temp):
            fd = os.open(target, _NEW_FILE_FLAGS, self._file_mode, dir_fd=dir_fd)
            self._set_file_mode(fd)
            stream = os.fdopen(fd, "wb")
        try:
            try:
                yield temp, stream
                with disk_errors(self.incoming / temp):
                    stream.flush()
                    if durable:
                        os.fsync(stream.fileno())
            finally:
                # Closing writes what is still buffered: it can find the disk full too.
                with disk_errors(self.incoming / temp):
                    stream.close()
        except BaseException:
            self.discard(temp)
            raise

    def discard(self, temp: str) -> None:
        """Remove a temporary file of :meth:`writing` (if it is still there)."""
        target, dir_fd = self._opened_incoming().at(temp)
        try:
            os.unlink(target, dir_fd=dir_fd)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise BackupError(f"Cannot remove {self.incoming / temp}: {exc.strerror}") from None

    def place(self, temp: str, relative: str) -> None:
        """Rename the complete ``temp`` file to ``relative``, replacing what was there."""
        source, source_fd = self._opened_incoming().at(temp)
        with self._made_parent(relative) as (folder, name), disk_errors(self.path(relative)):
            target, target_fd = folder.at(name)
            os.replace(source, target, src_dir_fd=source_fd, dst_dir_fd=target_fd)

    def write_json(
        self, relative: str, data: Any, *, keep: bool = True, durable: bool = True
    ) -> None:
        """Write ``data`` as indented UTF-8 JSON to ``relative``, safely.

        :param keep: ``False`` writes and removes the file (a probe of the disk).
        :param durable: ``False`` skips the flush to the disk, for files the
            next run can write again (a document's or album's metadata).
        """
        with self.writing(durable=durable) as (temp, stream), disk_errors(self.incoming / temp):
            stream.write(_json_bytes(data))
        if keep:
            self.place(temp, relative)
        else:
            self.discard(temp)

    def move(self, source: str, target: str) -> None:
        """Rename a file within the directory (nothing happens if it is not there)."""
        if source == target:
            return
        with self._existing_parent(source) as (origin, name):
            if origin is None or _lstat(*origin.at(name)) is None:
                return
            with self._made_parent(target) as (folder, new_name), disk_errors(self.path(target)):
                old, old_fd = origin.at(name)
                new, new_fd = folder.at(new_name)
                os.replace(old, new, src_dir_fd=old_fd, dst_dir_fd=new_fd)

    def remove(self, relative: str) -> None:
        """Delete a file if it is there (a link is removed, not what it leads to)."""
        with self._existing_parent(relative) as (folder, name), disk_errors(self.path(relative)):
            if folder is None:
                return
            target, dir_fd = folder.at(name)
            with suppress(FileNotFoundError):
                os.unlink(target, dir_fd=dir_fd)

    # -- reading -------------------------------------------------------------

    @contextmanager
    def _reading(self, relative: str) -> Iterator[BinaryIO | None]:
        """The regular file ``relative`` open for reading, or ``None`` if it is not there."""
        with self._existing_parent(relative) as (folder, name):
            if folder is None or _lstat(*folder.at(name)) is None:
                yield None
                return
            fd = self._open_file(folder, name, _READ_FLAGS, "read")
            with os.fdopen(fd, "rb") as stream:
                yield stream

    def read_json(self, relative: str) -> Any:
        """The JSON in ``relative``, or ``None`` when there is no such file."""
        path = self.path(relative)
        try:
            with self._reading(relative) as stream:
                return None if stream is None else json.loads(stream.read().decode("utf-8"))
        except (OSError, ValueError) as exc:
            raise BackupError(f"Cannot read {path}: {exc}") from None

    def md5(self, relative: str) -> str | None:
        """The md5 of a regular file, or ``None`` when it is not there."""
        digest = hashlib.md5(usedforsecurity=False)
        with disk_errors(self.path(relative), "read"), self._reading(relative) as stream:
            if stream is None:
                return None
            for block in iter(lambda: stream.read(_BLOCK), b""):
                digest.update(block)
        return digest.hexdigest()

    def size(self, relative: str) -> int | None:
        """The size of a regular file, or ``None`` when it is not there (or is a link)."""
        with self._existing_parent(relative) as (folder, name):
            if folder is None:
                return None
            info = _lstat(*folder.at(name))
        return info.st_size if info is not None and stat.S_ISREG(info.st_mode) else None

    def same_text(self, relative: str, data: Any) -> bool:
        """Whether ``relative`` already holds ``data`` as :meth:`write_json` writes it.

        A file holding anything else does not, be it empty or cut short (what
        a power cut can leave of a file written without ``durable``).
        """
        text = _json_bytes(data)
        with disk_errors(self.path(relative), "read"), self._reading(relative) as stream:
            # One byte more than the text tells a longer file from it.
            return stream is not None and stream.read(len(text) + 1) == text


def _json_bytes(data: Any) -> bytes:
    """``data`` as :meth:`BackupDirectory.write_json` writes it: indented UTF-8 JSON."""
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _lstat(target: str, dir_fd: int | None) -> os.stat_result | None:
    try:
        return os.stat(target, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return None


def _is_link(info: os.stat_result) -> bool:
    # A Windows junction is a reparse point that lstat does not call a link.
    reparse = getattr(info, "st_file_attributes", 0) & stat.FILE_ATTRIBUTE_REPARSE_POINT
    return stat.S_ISLNK(info.st_mode) or bool(reparse)


def _link_error(path: Path) -> BackupError:
    return BackupError(f"{path} is a symbolic link: a backup follows no link inside its directory")


def _refuse_link(path: Path, target: str, dir_fd: int | None) -> None:
    info = _lstat(target, dir_fd)
    if info is not None and _is_link(info):
        raise _link_error(path)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
