"""The compiled term base: concepts, their lookup index and the matcher's pattern table in one file, one read.

``load_concepts`` caches the validated concepts; building the lookup index and the matcher's table (22,000
patterns with plurals and compound spellings) from them cost more than reading them. This cache keeps all three in
one pickle, so a process gets a ready term base and matcher table from a single ``read`` (the Aho-Corasick automaton
itself is rebuilt from the pattern list: the compiled library does that in a few milliseconds, and its objects do not
pickle).

The key covers what the result depends on: the term files (path, size, modification time), the blockers file, the
code that builds the table (so a changed matcher never reads a stale table) and the version. Writes go to a
temporary file renamed into place, so two processes sharing the folder never see half a file; an unreadable file is
ignored and rewritten.

A wheel also ships the compiled base prebuilt (``nnterm_ls/data/compiled-base.pickle``, written by the build hook
``hatch_build.py`` with ``write_prebuilt``), so a fresh install never parses the term files: it is keyed by the
*contents* of what it was built from (term files, blockers, code, Python version), checked on every load (about
3 ms of hashing). When it is missing (a source checkout, an editable install) or stale (edited term files, another
Python), the base is built into the user's cache as before. Term-file paths inside it are stored as file names and
joined to this installation's data folder when loaded.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path

from .. import __version__
from ..fsutil import load_without_gc
from ..paths import builtin_term_files, data_dir
from .cachedir import CACHE_FORMAT, _cache_dir

COMPILED_FORMAT = "1"
_HERE = Path(__file__).resolve().parent
# modules whose code decides the table's contents
_CODE = [_HERE / "model.py", _HERE / "base.py", _HERE / "loader.py", _HERE / "cachedir.py", _HERE.parent / "textutil.py",
         _HERE.parent / "match" / "matcher.py", _HERE / "compiled.py", _HERE.parent / "yamlutil.py"]
PREBUILT_NAME = "compiled-base.pickle"
_MAGIC = b"nnterm-compiled "


def _stat_line(tag: str, path: Path) -> str:
    try:
        st = path.stat()
        return f"{tag}|{path.resolve()}|{st.st_mtime_ns}|{st.st_size}\n"
    except OSError:
        return f"{tag}|{path}|missing\n"


def fingerprint(user_files: list[Path]) -> str:
    h = hashlib.sha256(f"{__version__}|{CACHE_FORMAT}|{COMPILED_FORMAT}".encode())
    for f in builtin_term_files():
        h.update(_stat_line("b", f).encode())
    for f in user_files:
        h.update(_stat_line("u", f).encode())
    h.update(_stat_line("k", data_dir() / "blockers.txt").encode())
    for f in _CODE:
        h.update(_stat_line("c", f).encode())
    return h.hexdigest()[:32]


def content_key() -> str:
    """What the built-in compiled base depends on, by content (a prebuilt file moves between machines and paths)."""
    h = hashlib.sha256(f"{__version__}|{CACHE_FORMAT}|{COMPILED_FORMAT}|{sys.version_info[0]}.{sys.version_info[1]}|"
                       f"{pickle.HIGHEST_PROTOCOL}".encode())
    parts = [("b", f) for f in builtin_term_files()] + [("k", data_dir() / "blockers.txt")] + [("c", f) for f in _CODE]
    for tag, f in parts:
        try:
            data = f.read_bytes()
        except OSError:
            data = b"\xffmissing"
        h.update(f"{tag}|{f.name}|{len(data)}|".encode())
        h.update(data)
    return h.hexdigest()[:32]


class _PathPickler(pickle.Pickler):
    """Writes each built-in term file's path as a persistent id (its file name), never as this machine's path."""

    def __init__(self, fh, names: dict[str, str]) -> None:
        super().__init__(fh, protocol=pickle.HIGHEST_PROTOCOL)
        self._names = names

    def persistent_id(self, obj):
        if type(obj) is str and obj in self._names:
            return self._names[obj]
        return None


class _PathUnpickler(pickle.Unpickler):
    def __init__(self, fh, paths: dict[str, str]) -> None:
        super().__init__(fh)
        self._paths = paths

    def persistent_load(self, pid):
        return self._paths[pid]  # KeyError: a file this installation lacks -> stale, rebuilt


def _term_paths() -> dict[str, str]:
    return {f.name: str(f) for f in builtin_term_files()}


def prebuilt_path() -> Path:
    return data_dir() / PREBUILT_NAME


def _payload_of(tb: TermBase):
    return (tb.concepts, tb.problems, tb.by_key, tb.matcher_table)


def build_builtin():
    """The built-in base with its matcher table, built from the term files (no cache read or written)."""
    from ..match import builtin_blockers
    from ..match.matcher import build_table
    from .base import TermBase
    from .loader import build

    concepts, problems = build(builtin_term_files(), [], schema_for_builtin=False)
    tb = TermBase(concepts, problems)
    blockers = builtin_blockers()
    patterns, entries = build_table(tb, list(blockers))
    tb.matcher_table = (tuple(blockers), patterns, entries)
    return tb


def write_prebuilt(target: str | os.PathLike) -> Path:
    """Build the built-in compiled base and write it, keyed by content, to ``target`` (the wheel's build hook)."""
    import io

    tb = build_builtin()
    buf = io.BytesIO()
    _PathPickler(buf, {v: k for k, v in _term_paths().items()}).dump(_payload_of(tb))
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(_MAGIC + content_key().encode() + b"\n")
        fh.write(buf.getvalue())
    os.replace(tmp, target)
    return target


_LOAD_ERRORS = (OSError, EOFError, ValueError, pickle.UnpicklingError, AttributeError, ImportError, TypeError,
                IndexError, KeyError)


def load_prebuilt(path: Path | None = None):
    """(concepts, problems, by_key, table) from the prebuilt file, or None when it is missing, unreadable or built
    from anything other than what this installation has."""
    import io

    path = path or prebuilt_path()
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    head = len(_MAGIC) + 33
    if data[:len(_MAGIC)] != _MAGIC or data[len(_MAGIC):head] != content_key().encode() + b"\n":
        return None  # stale: built from other term files, code or Python
    try:
        return load_without_gc(lambda: _PathUnpickler(io.BytesIO(memoryview(data)[head:]), _term_paths()).load())
    except _LOAD_ERRORS:
        return None


def _assemble(concepts, problems, by_key, table):
    from .base import TermBase

    tb = TermBase.__new__(TermBase)
    tb.concepts = concepts
    tb.problems = list(problems)
    tb.by_key = by_key
    tb.matcher_table = table
    return tb


def load_compiled(user_files=()):
    """The term base with its matcher table, from the compiled cache or built and stored there; None when caching
    is off (``NNTERM_NO_CACHE``)."""
    cache_dir = _cache_dir()
    if cache_dir is None:
        return None
    from ..match import builtin_blockers
    from ..match.matcher import build_table
    from .base import TermBase
    from .loader import load_concepts

    users = [Path(u) for u in user_files]
    path = cache_dir / f"compiled-{fingerprint(users)}.pickle"
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        concepts, problems, by_key, table = load_without_gc(lambda: pickle.loads(data))
        return _assemble(concepts, problems, by_key, table)
    except _LOAD_ERRORS:
        pass  # missing or unreadable: the prebuilt base, else build and (re)write
    if not users:
        shipped = load_prebuilt()
        if shipped is not None:
            return _assemble(*shipped)
    concepts, problems = load_concepts(users)
    tb = TermBase(concepts, problems)
    blockers = builtin_blockers()
    patterns, entries = build_table(tb, list(blockers))
    table = (tuple(blockers), patterns, entries)
    tb.matcher_table = table
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump((tb.concepts, tb.problems, tb.by_key, table), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
    return tb
