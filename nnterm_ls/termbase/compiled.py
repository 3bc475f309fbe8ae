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
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from pathlib import Path

from .. import __version__
from ..paths import builtin_term_files, data_dir
from .base import TermBase
from .loader import CACHE_FORMAT, _cache_dir, load_concepts

COMPILED_FORMAT = "1"
_HERE = Path(__file__).resolve().parent
# modules whose code decides the table's contents
_CODE = [_HERE / "model.py", _HERE / "base.py", _HERE / "loader.py", _HERE.parent / "textutil.py",
         _HERE.parent / "match" / "matcher.py"]


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


def _assemble(concepts, problems, by_key, table) -> TermBase:
    tb = TermBase.__new__(TermBase)
    tb.concepts = concepts
    tb.problems = list(problems)
    tb.by_key = by_key
    tb.matcher_table = table
    return tb


def load_compiled(user_files=()) -> TermBase | None:
    """The term base with its matcher table, from the compiled cache or built and stored there; None when caching
    is off (``NNTERM_NO_CACHE``)."""
    cache_dir = _cache_dir()
    if cache_dir is None:
        return None
    from ..match import builtin_blockers
    from ..match.matcher import build_table

    users = [Path(u) for u in user_files]
    path = cache_dir / f"compiled-{fingerprint(users)}.pickle"
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        # hundreds of thousands of objects, none of them garbage: the cyclic collector would run dozens of times
        # over them while they are made (three times the cost of the load itself)
        enabled = gc.isenabled()
        gc.disable()
        try:
            concepts, problems, by_key, table = pickle.loads(data)
        finally:
            if enabled:
                gc.enable()
        return _assemble(concepts, problems, by_key, table)
    except (OSError, EOFError, ValueError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, IndexError):
        pass  # missing or unreadable: build and (re)write
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
