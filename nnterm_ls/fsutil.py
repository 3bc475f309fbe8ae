"""Files: one atomic writer for the CLI's --fix and the server's commands; unpickling the caches' large files."""

from __future__ import annotations

import gc
import os
import tempfile
from pathlib import Path


def write_atomic(path: str | os.PathLike, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, line breaks as given) through a temporary file in the same folder.

    The file keeps its permission bits (a new file gets the umask's); the temporary file never outlives a failure.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".nnterm", dir=str(path.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_text(path: str | os.PathLike) -> str | None:
    """A UTF-8 text file (a BOM is dropped), or None when it cannot be read."""
    try:
        return Path(path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def load_without_gc(load):
    """``load()`` with the cyclic collector paused: unpickling a cache makes hundreds of thousands of objects and no
    garbage, and the collector would run dozens of times over them while they are made."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return load()
    finally:
        if enabled:
            gc.enable()
