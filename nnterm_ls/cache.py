"""`nnterm check --cache` (or `cache: true` in .nnterm.yaml): a rerun on unchanged documents does almost no work.

Two kinds of entry, both under one folder (``--cache-dir``, ``cache_dir:``, else ``nnterm-ls/check`` in the user's
cache folder: ``NNTERM_CACHE_DIR``, ``XDG_CACHE_HOME`` or ``~/.cache``):

* ``doc-<key>.pickle``: one document's analysis (extract -> match -> resolve), keyed by its path, the SHA-256 of its
  bytes, its format, and the engine fingerprint (term base and blockers, the configuration's matching settings,
  the code, the version). Forms and formats are stored by name and rejoined to the live term base on load.
* ``set-<key>.pickle``: the findings of a whole document set, keyed by the engine fingerprint, the rule settings and
  every document's path and content hash in reading order (the set's members include the LaTeX ``\\input`` targets,
  checked again on every hit: a new file that an ``\\input`` would now find is a miss).

Cross-file rules always run over the whole set as without the cache: a set entry holds their result for exactly
these contents, and when any document changed the set is checked again from the (mostly cached) analyses.
Entries are written to a temporary file and renamed into place, so runs sharing the folder never read half an
entry; an entry that cannot be read is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .fsutil import load_without_gc
from .lines import UTF32, LineIndex

FORMAT = "1"
_PKG = Path(__file__).resolve().parent


def default_dir() -> Path:
    base = os.environ.get("NNTERM_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "nnterm-ls" / "check"


def _code_stamp() -> str:
    """Every module and data file of the package (path, size, mtime): changed code never reads an old entry."""
    h = hashlib.sha256()
    from .paths import data_dir

    for root in (_PKG, data_dir()):
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith((".py", ".yaml", ".yml", ".json", ".txt")):
                    p = os.path.join(dirpath, name)
                    st = os.stat(p)
                    h.update(f"{p}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _file_stamp(path: str) -> str:
    try:
        st = os.stat(path)
        return f"{os.path.abspath(path)}|{st.st_size}|{st.st_mtime_ns}"
    except OSError:
        return f"{path}|missing"


def engine_fingerprint(config) -> str:
    """What every analysis depends on besides the document: term base and blockers (via the compiled base's key),
    the configuration's term files, ignore list and LaTeX settings, the code and the version."""
    from .termbase.compiled import fingerprint

    h = hashlib.sha256(f"{__version__}|{FORMAT}|{_code_stamp()}|{fingerprint([Path(t) for t in config.terms])}".encode())
    h.update(repr((sorted(config.ignore), list(config.latex_commands), list(config.latex_environments))).encode())
    return h.hexdigest()


def rules_fingerprint(config, args) -> str:
    """What the set-level result depends on beyond the analyses: the configuration file as written (rules,
    preferences, learn, order) and the flags that select rules."""
    h = hashlib.sha256()
    h.update(_file_stamp(config.path).encode() if config.path else b"no config")
    if config.path:
        try:
            h.update(hashlib.sha256(Path(config.path).read_bytes()).digest())
        except OSError:
            pass
    h.update(repr((args.select, args.ignore, bool(args.no_learn))).encode())
    return h.hexdigest()


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- storing analyses with their forms and formats by name ----------------------------------------------------------


class _Pickler(pickle.Pickler):
    def __init__(self, fh, form_ids: dict[int, tuple[str, int]]) -> None:
        super().__init__(fh, protocol=pickle.HIGHEST_PROTOCOL)
        self._form_ids = form_ids

    def persistent_id(self, obj):
        from .extract import Format

        if isinstance(obj, Format):
            return ("format", obj.name)
        ref = self._form_ids.get(id(obj))
        if ref is not None:
            return ("form", ref)
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, fh, termbase) -> None:
        super().__init__(fh)
        self._termbase = termbase

    def persistent_load(self, pid):
        from .extract import get_format

        kind, ref = pid
        if kind == "format":
            return get_format(ref)
        cid, index = ref
        return self._termbase.concepts[cid].forms[index]


class Cache:
    def __init__(self, folder: Path, engine_key: str) -> None:
        self.folder = folder
        self.engine_key = engine_key
        self._form_ids: dict[int, tuple[str, int]] | None = None
        self.hits = 0
        self.misses = 0

    # -- files ----------------------------------------------------------------------------------------------------
    def _read(self, name: str) -> bytes | None:
        try:
            with open(self.folder / name, "rb") as fh:
                return fh.read()
        except OSError:
            return None

    def _write(self, name: str, data: bytes) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{name}.{os.getpid()}.tmp"
            with open(tmp, "wb") as fh:
                fh.write(data)
            os.replace(tmp, self.folder / name)
        except OSError:
            pass  # a read-only or full disk: the run goes on without caching

    # -- per-document analyses -------------------------------------------------------------------------------------
    def _doc_name(self, path: str, digest: str, kind: str) -> str:
        key = hashlib.sha256(f"{self.engine_key}|{path}|{digest}|{kind}".encode()).hexdigest()[:40]
        return f"doc-{key}.pickle"

    def load_analysis(self, path: str, digest: str, kind: str, termbase):
        data = self._read(self._doc_name(path, digest, kind))
        if data is None:
            self.misses += 1
            return None
        try:
            doc = load_without_gc(_Unpickler(io.BytesIO(data), termbase).load)
        except Exception:  # noqa: BLE001  a corrupt or foreign entry of any kind: ignored, rewritten after analysis
            self.misses += 1
            return None
        if getattr(doc, "path", None) != path:
            self.misses += 1
            return None
        self.hits += 1
        return doc

    def store_analysis(self, digest: str, kind: str, doc, termbase) -> None:
        if self._form_ids is None:
            self._form_ids = {id(f): (cid, i) for cid, c in termbase.concepts.items() for i, f in enumerate(c.forms)}
        buf = io.BytesIO()
        try:
            _Pickler(buf, self._form_ids).dump(doc)
        except (pickle.PicklingError, TypeError, AttributeError):
            return
        self._write(self._doc_name(doc.path, digest, kind), buf.getvalue())

    # -- whole-set results -----------------------------------------------------------------------------------------
    def _set_name(self, rules_key: str, inputs: list[tuple[str, str]]) -> str:
        h = hashlib.sha256(f"{self.engine_key}|{rules_key}".encode())
        for path, digest in inputs:
            h.update(f"{path}|{digest}\n".encode())
        return f"set-{h.hexdigest()[:40]}.pickle"

    def load_set(self, rules_key: str, inputs: list[tuple[str, str]]):
        """The stored entry of a set whose discovered inputs are ``inputs`` (path, content hash), or None."""
        data = self._read(self._set_name(rules_key, inputs))
        if data is None:
            return None
        try:
            entry = load_without_gc(lambda: pickle.loads(data))
        except Exception:  # noqa: BLE001  corrupt: ignored, rewritten
            return None
        return entry if isinstance(entry, SetEntry) else None

    def store_set(self, rules_key: str, inputs: list[tuple[str, str]], entry: "SetEntry") -> None:
        self._write(self._set_name(rules_key, inputs), pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))


@dataclass
class SetEntry:
    """A checked set: every member (discovered and included) with its content hash, kind and includes, and the
    findings per path."""

    members: list[tuple[str, str, str, list[str]]]  # (path, content hash, kind, includes)
    findings: dict
    rendered: dict = field(default_factory=dict)  # (format, threshold, colour) -> standard output

    def with_rendering(self, key: tuple, text: str) -> "SetEntry":
        return SetEntry(self.members, self.findings, {**self.rendered, key: text})


class LightDoc:
    """What the renderers need of a document whose findings came from the cache: its path, and its text and lines
    (decoded and indexed only when a rendering is not in the cache)."""

    def __init__(self, path: str, data: bytes, kind: str) -> None:
        self.path, self._data, self.kind = path, data, kind
        self._lines = None

    @property
    def text(self) -> str:
        return self._data.decode("utf-8-sig")

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.text, UTF32)
        return self._lines


class FileDoc:
    """What the renderers need of a document checked one at a time (``Engine.check_stream``): its path, and its
    text and lines read again from the file when a finding there is rendered (the lines of the last few kept)."""

    _recent: dict = {}  # path -> LineIndex, least recently used first
    KEEP = 4

    def __init__(self, path: str, kind: str) -> None:
        self.path, self.kind = path, kind

    @property
    def text(self) -> str:
        return self.lines.text

    @property
    def lines(self) -> LineIndex:
        recent = FileDoc._recent
        found = recent.pop(self.path, None)
        if found is None:
            with open(self.path, "rb") as fh:
                found = LineIndex(fh.read().decode("utf-8-sig"), UTF32)
            while len(recent) >= FileDoc.KEEP:
                recent.pop(next(iter(recent)))
        recent[self.path] = found
        return found
