"""Where ``longcat forecast file`` writes OUT.

A file (or a symlink's target) is filled through a temporary file beside it that then
replaces it in one step, so a failed run leaves it as it was. ``-``, a pipe, a terminal, a
device such as ``/dev/null`` and the ``/dev/fd`` and ``/proc`` paths are streams: written
through, never replaced (renaming over ``/dev/stdout`` would put a file where the stream
was and send nothing down it).
"""

from __future__ import annotations

import io
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

STDOUT = "-"
# The names of a process's own streams: /dev/stdout, /dev/fd/3, /proc/self/fd/1. Renamed
# over, the stream would become a file; opened for writing, a file the shell redirected it
# to would be cut short, so they are opened to append.
STREAM_NAMES = re.compile(r"/dev/(std(in|out|err)|fd/\d+)|/proc/[^/]+/fd/\d+")


def is_stream(out: Path) -> bool:
    """OUT is stdout (``-``), a process's stream by name (a pipe's real path is under
    /proc too), or an existing pipe, socket or device such as /dev/null."""
    if str(out) == STDOUT or STREAM_NAMES.fullmatch(os.path.abspath(out)):
        return True
    if os.path.realpath(out).startswith("/proc/"):
        return True
    try:
        mode = os.stat(out).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def is_stdout(out: Path) -> bool:
    """OUT is where this process's stdout goes, so nothing else may be printed there
    (/dev/null, where stdout may go too, takes anything)."""
    if str(out) == STDOUT:
        return True
    if sys.stdout is None or os.path.realpath(out) == os.devnull:
        return False
    try:
        return os.path.samestat(os.stat(out), os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError, AttributeError):
        return False


def read_only(folder: Path) -> bool:
    """The folder is on a file system mounted read-only (where ``os.access`` would only
    say that writing is not allowed)."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def out_problem(out: Path, source: Path) -> str | None:
    """Why OUT cannot be written, or None. A stream must be writable; a file must not be a
    directory nor the input file, and its nearest existing folder (where the missing ones
    are created) must be writable. A symlink is judged by its target."""
    if str(out) == STDOUT:
        return None
    if is_stream(out):
        if os.path.exists(out) and not os.access(out, os.W_OK):
            return "cannot be written (permission denied)"
        return None
    target = Path(os.path.realpath(out))
    try:
        if target.is_dir():
            return f"is a directory; name a file in it, such as {out / 'forecast.csv'}"
        if target.exists() and source.exists() and os.path.samefile(target, source):
            return "is the input file; name another file so the input is kept"
        ancestor = target.parent
        while not ancestor.exists():
            ancestor = ancestor.parent
    except OSError as error:
        return f"cannot be checked ({error.strerror or error})"
    if not ancestor.is_dir():
        return f"its folder cannot be created: {ancestor} is a file"
    if read_only(ancestor):
        return f"cannot write in {ancestor} (a read-only file system)"
    if not os.access(ancestor, os.W_OK | os.X_OK):
        return f"cannot write in {ancestor} (permission denied)"
    return None


def write_out_file(out: Path, write: Callable[[TextIO], object]) -> None:
    """``write`` fills OUT: a stream directly, a file through a temporary file beside its
    target that then replaces it in one step (on any failure the temporary file is removed
    and OUT is left as it was). A failed write, a full disk included, raises ``OSError``."""
    if str(out) == STDOUT:
        write_stdout(write)
        return
    if is_stream(out):
        with open(out, "a", newline="", encoding="utf-8") as handle:
            write(handle)
        return
    target = Path(os.path.realpath(out))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle_number, name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    temp = Path(name)
    try:
        with os.fdopen(handle_number, "w", newline="", encoding="utf-8") as handle:
            write(handle)
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_stdout(write: Callable[[TextIO], object]) -> None:
    """``write`` fills stdout as UTF-8, whatever the locale's encoding, with the line ends
    a CSV file gets."""
    if sys.stdout is None:
        raise OSError(9, "stdout is closed")
    sys.stdout.flush()
    handle = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    try:
        write(handle)
        handle.flush()
    finally:
        handle.detach()  # stdout's own buffer stays open
