"""Replace a file so that a crash at any moment leaves the old file or the new one, never a mix.

The new text goes to a temporary file in the same folder (so ``os.replace`` is a rename on one
file system, which POSIX makes atomic), is flushed to disk, gets the old file's permissions,
and only then takes the old file's name. With ``expected``, the file must still hold those
bytes just before the rename: an edit made meanwhile is kept and ``ChangedMeanwhile`` raised.
A temporary file a killed run left behind (``.<name>.XXXXXXXX.tmp``) is removed by the next.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
from pathlib import Path

# A temporary file lives for the milliseconds of one write; one this old was left by a kill.
STALE_SECONDS = 600


class ChangedMeanwhile(Exception):
    """The file no longer holds what was read: someone changed it; nothing was written."""


def write_atomically(
    path: Path, text: str, *, newline: str = "\n", expected: bytes | None = None
) -> None:
    """Write ``text`` to ``path`` (through a symbolic link to its target), all or nothing.

    Raises ``OSError`` (read-only folder, disk full: the old file stays) or ``ChangedMeanwhile``.
    """
    try:
        target = path.resolve()
    except RuntimeError:  # a symbolic link loop, on Python < 3.13 (later ones raise OSError)
        raise OSError(errno.ELOOP, "a symbolic link that leads back to itself", str(path)) from None
    mode = _mode_for(target)
    _remove_stale(target)
    data = text.replace("\n", newline).encode("utf-8") if newline != "\n" else text.encode()
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        try:
            view = memoryview(data)
            while view:  # os.write may write less than asked
                view = view[os.write(descriptor, view) :]
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.chmod(temporary, mode)
        if expected is not None and _current(target) != expected:
            raise ChangedMeanwhile(str(target))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(target.parent)


def _current(target: Path) -> bytes | None:
    try:
        return target.read_bytes()
    except FileNotFoundError:
        return None


def _remove_stale(target: Path) -> None:
    """Temporary files of this file that a killed run left behind, older than STALE_SECONDS."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.[A-Za-z0-9_]{{8}}\.tmp")
    cutoff = time.time() - STALE_SECONDS
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    for entry in entries:
        with contextlib.suppress(OSError):
            if (
                pattern.fullmatch(entry.name)
                and entry.is_file(follow_symlinks=False)
                and entry.stat(follow_symlinks=False).st_mtime < cutoff
            ):
                os.unlink(entry.path)


def _mode_for(target: Path) -> int:
    """The old file's permission bits; for a new file, what the umask allows of 0o666."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every platform can open a folder, which is fine."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
