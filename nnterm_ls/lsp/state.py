"""The server's state without any LSP types: settings, configuration, the engine, and analyses and findings cached
per document version. Everything here is plain Python and can run on a worker thread."""

from __future__ import annotations

import dataclasses
import gc
import logging
import os
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from ..config import CONFIG_NAMES, Config, ConfigError, find_config, load_config
from ..rules.findings import Finding
from .documents import Document
from . import worker
from .positions import UTF16

log = logging.getLogger("nnterm_ls.lsp")


@dataclass
class Settings:
    """Client-side settings (``workspace/configuration`` section ``nnterm``, or initializationOptions)."""

    completion_style: str | None = None  # None: from .nnterm.yaml
    inlay_hints: bool | None = None  # `inlayHints: true` or `inlayHints: {enabled: true}`
    locale: str | None = None  # auto | zh | en; None: from .nnterm.yaml (default auto: each document's language)
    max_completion_items: int = 30
    debounce: float = 0.0  # seconds to wait after a change; changes during a running check are coalesced anyway
    diagnostics: str = "auto"  # auto | push | pull
    progress_threshold: int = 10  # a first check of this many documents reports $/progress
    rules: dict = dataclasses.field(default_factory=dict)
    workspace_scope: str = "workspace"  # workspace: open documents plus the folder's files on disk | open
    terms: list = dataclasses.field(default_factory=list)  # extra term files from the client (beside .nnterm.yaml's)
    terms_changed: bool = False  # set by update(): the term base must be reloaded

    @classmethod
    def from_dict(cls, raw) -> "Settings":
        s = cls()
        s.update(raw)
        return s

    def update(self, raw) -> bool:
        """Apply a settings object; True when something that changes findings (rules) changed."""
        if not isinstance(raw, dict):
            return False
        if isinstance(raw.get("nnterm"), dict):
            raw = raw["nnterm"]
        completion = raw.get("completion")
        style = raw.get("completionStyle") or (completion.get("style") if isinstance(completion, dict) else None)
        if style in ("zh", "en", "zh-gloss", "en-gloss"):
            self.completion_style = style
        for key in ("inlayHints", "inlay_hints"):
            value = raw.get(key)
            if isinstance(value, dict):  # the shape VS Code's and Neovim's settings take: {enabled = true}
                value = value.get("enabled")
            if isinstance(value, bool):
                self.inlay_hints = value
        if isinstance(raw.get("maxCompletionItems"), int) and raw["maxCompletionItems"] > 0:
            self.max_completion_items = raw["maxCompletionItems"]
        if isinstance(raw.get("debounceMs"), (int, float)) and raw["debounceMs"] >= 0:
            self.debounce = raw["debounceMs"] / 1000
        if raw.get("diagnostics") in ("auto", "push", "pull"):
            self.diagnostics = raw["diagnostics"]
        if isinstance(raw.get("progressThreshold"), int):
            self.progress_threshold = raw["progressThreshold"]
        changed = False
        if raw.get("locale") in ("auto", "zh", "en") and raw["locale"] != self.locale:
            self.locale = raw["locale"]
            changed = True  # messages are written in it: a new engine
        terms = raw.get("terms")
        if isinstance(terms, list) and all(isinstance(t, str) for t in terms) and terms != self.terms:
            self.terms = list(terms)
            self.terms_changed = True
        if raw.get("workspaceScope") in ("workspace", "open") and raw["workspaceScope"] != self.workspace_scope:
            self.workspace_scope = raw["workspaceScope"]
            changed = True
        if isinstance(raw.get("rules"), dict) and raw["rules"] != self.rules:
            self.rules = dict(raw["rules"])
            changed = True
        return changed


@dataclass
class FileProblem:
    path: str
    line: int  # 1-based
    column: int  # 1-based
    message: str
    severity: str


# The workspace's Markdown and LaTeX files are read from disk (the chapters of a thesis are checked together even
# when one is open). Every keystroke re-checks the whole set, so a folder larger than a thesis (a whole book, a
# home directory) is checked as open documents only: beyond this the keystroke latency would exceed ~50 ms.
MAX_WORKSPACE_FILES = 200
MAX_WORKSPACE_CHARS = 1_000_000


class State:
    def __init__(self) -> None:
        self.docs: dict[str, Document] = {}
        self.disk: dict[str, Document] = {}  # workspace files that are not open, as saved on disk
        # path as the workspace scan found it, and its realpath -> reading-order group (workspace.Inputs.groups)
        self.order_groups: dict[str, int] = {}
        self.workspace_note: str | None = None  # why the files on disk are not checked, if they are not
        self.encoding = UTF16  # the negotiated position encoding, for documents read from disk
        self.root: str | None = None
        self.settings = Settings()
        self.config = Config()
        self.config_path: str | None = None
        self.config_error: ConfigError | None = None
        self.engine = None
        # the completion index (with pinyin) of the term base: built after the first check, off its critical path
        self._cindex = None
        self._cindex_termbase = None
        self._cindex_lock = threading.Lock()
        self._learned: tuple[object, object] | None = None  # (the engine's lexicon, its completion index)
        self.generation = 0
        self._analyses: dict[str, tuple[int, int, object]] = {}  # uri -> (generation, version, analysis)
        self._check_key = None
        self._check_result: dict[str, list[Finding]] = {}
        self._lock = threading.RLock()  # one engine user at a time for checks and reloads
        self._inflight: dict[tuple, Future] = {}  # analyses being computed: a second asker waits for the first
        self._inflight_lock = threading.Lock()
        self.undecodable: dict[str, str] = {}  # workspace files that are not UTF-8: path -> the decoding error
        self.load_delay = float(os.environ.get("NNTERM_LSP_TEST_LOAD_DELAY", "0") or 0)  # tests only
        # sets holding a document this large (characters) are checked in a worker process (lsp/worker.py)
        self.worker_threshold = worker.threshold()
        self.remote: worker.RemoteEngine | None = None
        self._engine_spec: tuple[list, Config] | None = None  # (term files, effective configuration) of the engine
        self._remote_failed = -1  # the generation whose worker failed: its checks stay in-process
        self._metas: dict[str, tuple[int, int, worker.Meta]] = {}  # uri -> (generation, version, Meta)
        self.worker_notes: list[str] = []  # what the server should tell the client (a failed worker)

    # -- loading ---------------------------------------------------------------------------------------------------
    def find_config_path(self) -> str | None:
        start = self.root
        if start is None and self.docs:
            start = os.path.dirname(next(iter(self.docs.values())).path)
        if start is None:
            return None
        found = find_config(start)
        return str(found) if found else None

    def _effective_config(self, config: Config) -> Config:
        if self.settings.locale is not None:
            config = dataclasses.replace(config, locale=self.settings.locale)
        if not self.settings.rules:
            return config
        from ..config import parse_config

        rules = dict(config.rules)
        try:  # the client's rule settings use the configuration file's syntax
            import yaml

            extra = parse_config(yaml.safe_dump({"rules": self.settings.rules}), config.path or "<settings>").rules
            rules.update(extra)
        except ConfigError:
            pass
        return dataclasses.replace(config, rules=rules)

    def load(self) -> None:
        """(Re)load configuration, term base and engine. Runs on a worker thread; never raises for bad files."""
        from ..analysis import Engine
        from ..termbase import load_termbase
        if self.load_delay:
            time.sleep(self.load_delay)
        with self._lock:
            path = self.find_config_path()
            config, error = Config(), None
            if path:
                try:
                    config = load_config(path)
                except ConfigError as exc:
                    error = exc
            extra = [str(Path(self.root or ".", t).resolve()) for t in self.settings.terms]
            config = dataclasses.replace(config, terms=[*config.terms, *(t for t in extra if t not in config.terms)])
            termbase = load_termbase(config.terms)
            effective = self._effective_config(config)
            engine = Engine(termbase, effective)
            self.config, self.config_path, self.config_error = config, path, error
            first = self.engine is None
            if not first:
                gc.unfreeze()  # the previous term base can be collected again once it is dropped
            self.engine, self._cindex_termbase = engine, termbase
            self._new_engine_spec(list(config.terms), effective)
            # the term base, matcher and completion index live as long as this generation: out of the collector's
            # sight, a full collection (which holds the GIL) scans what the documents add, ~40 ms instead of ~125 ms
            if not first:
                gc.collect()  # a reload: what the old generation left is collected before the rest is set aside
            gc.freeze()
            self.scan_workspace()
            self.generation += 1
            self._analyses.clear()
            self._check_key = None

    def _new_engine_spec(self, terms: list, config: Config) -> None:
        """A new engine: the worker (built for the old one) is stopped; the next large set starts a new one."""
        self.stop_worker()
        self._engine_spec = (terms, config)
        self._metas.clear()

    def stop_worker(self) -> None:
        with self._lock:
            if self.remote is not None:
                self.remote.stop()
                self.remote = None

    @property
    def cindex(self):
        """The completion index of the term base (None before loading). Built on first use, or by the server right
        after the first check (``build_cindex``): ~200 ms that spawn-to-first-diagnostics need not wait for."""
        with self._cindex_lock:
            termbase = self._cindex_termbase
            if termbase is None:
                return None
            if self._cindex is None or self._cindex.termbase is not termbase:
                from .features.completion import CompletionIndex

                self._cindex = CompletionIndex(termbase)  # builds the pinyin index too
            return self._cindex

    @property
    def cindex_ready(self) -> bool:
        c = self._cindex
        return c is not None and c.termbase is self._cindex_termbase

    def build_cindex(self) -> None:
        """On a worker after the first check: the completion index, then set aside from the collector like the
        term base (see load)."""
        if not self.cindex_ready and self.cindex is not None:
            gc.freeze()

    def learned_index(self):
        """Completion keys of the renderings the last check learned from the set's glosses (None when none)."""
        lexicon = getattr(self.engine, "lexicon", None)
        if not lexicon:
            return None
        if self._learned is None or self._learned[0] is not lexicon:
            from .features.completion import LearnedIndex

            self._learned = (lexicon, LearnedIndex(lexicon))
        return self._learned[1]

    def rebuild_engine(self) -> None:
        """New rule settings: same term base, new engine."""
        from ..analysis import Engine

        with self._lock:
            if self.engine is None:
                return
            effective = self._effective_config(self.config)
            self.engine = Engine(self.engine.termbase, effective)
            self._new_engine_spec(list(self.config.terms), effective)
            self.scan_workspace()  # the scope may have changed
            self.generation += 1
            self._analyses.clear()
            self._check_key = None

    # -- the workspace's files on disk -------------------------------------------------------------------------------
    def scan_workspace(self) -> None:
        """Read the root folder's Markdown and LaTeX files (honouring .gitignore and `exclude`)."""
        self.disk = {}
        self.order_groups = {}
        self.workspace_note = None
        if self.root is None or self.settings.workspace_scope != "workspace" or not os.path.isdir(self.root):
            return
        from ..workspace import discover

        found = discover([self.root], self.config)
        # the groups are keyed by resolved paths already (no realpath each); a file whose path is one of them
        # resolves to itself, only the others are resolved
        resolved = {str(f): g for f, g in found.groups.items()}
        self.order_groups = dict(resolved)
        self.order_groups.update((str(f), g if (g := resolved.get(str(f))) is not None else found.groups.get(f.resolve(), 0)) for f in found.files)
        too_big = (
            f"nnterm: the workspace has more than {MAX_WORKSPACE_FILES} Markdown/LaTeX files or "
            f"{MAX_WORKSPACE_CHARS:,} characters; only open documents are checked together "
            "(use `nnterm check` for the whole folder, or `exclude` in .nnterm.yaml)"
        )
        if len(found.files) > MAX_WORKSPACE_FILES:
            self.workspace_note = too_big
            return
        total = 0
        disk: dict[str, Document] = {}
        for path in found.files:
            doc = self.read_disk(str(path))
            if doc is None:
                continue
            total += len(doc.text)
            if total > MAX_WORKSPACE_CHARS:
                self.workspace_note = too_big
                return
            disk[doc.uri] = doc
        self.disk = disk

    def read_disk(self, path: str) -> Document | None:
        from .documents import make_document, path_to_uri

        try:
            st = os.stat(path)
            text = Path(path).read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self.undecodable[path] = f"not valid UTF-8 (byte {exc.start}: {exc.reason})"
            return None
        except OSError:
            return None
        self.undecodable.pop(path, None)
        # a negative version never collides with an editor's, and changes whenever the file does
        version = -1 - (st.st_mtime_ns // 1000 + st.st_size) % 2_000_000_000
        return make_document(path_to_uri(path), "", version, text, self.encoding)

    def is_workspace_file(self, path: str) -> bool:
        if self.root is None or self.settings.workspace_scope != "workspace":
            return False
        from ..workspace import is_document

        try:
            inside = Path(path).resolve().is_relative_to(Path(self.root).resolve())
        except OSError:
            return False
        return inside and is_document(path)

    def refresh_disk(self, path: str) -> str | None:
        """A workspace file changed on disk (or was closed): re-read it; returns its uri, or None if gone."""
        from .documents import path_to_uri

        uri = path_to_uri(path)
        doc = self.read_disk(path) if os.path.isfile(path) else None
        if doc is None:
            self.disk.pop(uri, None)
            self._analyses.pop(uri, None)
            self._metas.pop(uri, None)
            return None
        self.disk[uri] = doc
        return uri

    def is_watched(self, path: str) -> bool:
        """Does a change to this file require a reload?"""
        name = os.path.basename(path)
        if name in CONFIG_NAMES:
            return True
        try:
            rp = str(Path(path).resolve())
        except OSError:
            rp = path
        return rp in self.config.terms or path in self.config.terms

    # -- settings that combine the file and the client -------------------------------------------------------------
    @property
    def completion_style(self) -> str:
        return self.settings.completion_style or self.config.completion_style or "zh"

    @property
    def locale(self) -> str:
        return self.settings.locale or self.config.locale or "auto"

    def ui_lang(self, analysis) -> str:
        """The language of the editor's text for a document (hover, titles, completion details)."""
        from ..i18n import ui_lang

        return ui_lang(analysis.lang if analysis is not None else None, self.locale)

    @property
    def inlay_hints(self) -> bool:
        return self.settings.inlay_hints if self.settings.inlay_hints is not None else bool(self.config.inlay_hints)

    # -- analyses --------------------------------------------------------------------------------------------------
    class Cancelled(Exception):
        """The request this work was for was cancelled."""

    @staticmethod
    def _checkpoint(cancel) -> None:
        if cancel is not None and cancel.is_set():
            raise State.Cancelled()

    def cached_analysis(self, doc: Document):
        """The analysis of this version if it is already computed (never computes: safe on the event loop)."""
        cached = self._analyses.get(doc.uri)
        if cached is not None and cached[0] == self.generation and cached[1] == doc.version:
            return cached[2]
        return None

    def analysis(self, doc: Document, text: str | None = None, version: int | None = None):
        """The analysis of a document version (cached; computed when missing). Thread-safe: two workers asking for
        the same version share one computation. ``doc`` should be a frozen snapshot (``Document.frozen()``)."""
        if text is not None or version is not None:  # an explicit version of a live document
            doc = dataclasses.replace(doc, text=doc.text if text is None else text, version=doc.version if version is None else version, _index=None, _frozen=None).frozen()
        gen = self.generation
        engine = self.engine
        cached = self._analyses.get(doc.uri)
        if cached is not None and cached[0] == gen and cached[1] == doc.version:
            return cached[2]
        key = (gen, doc.uri, doc.version, id(doc.text))
        with self._inflight_lock:
            fut = self._inflight.get(key)
            owner = fut is None
            if owner:
                fut = self._inflight[key] = Future()
        if not owner:
            return fut.result()
        try:
            # (its uses are resolved when first read: a set check that changes the document's occurrences resolves
            # only the changed copy)
            # an edit of a version analysed before: only the edited run of blocks is extracted and matched again
            previous = cached[2] if cached is not None and cached[0] == gen else None
            result = engine.analyze_version(doc.path, doc.text, doc.kind, previous)
        except BaseException as exc:
            fut.set_exception(exc)
            raise
        finally:
            with self._inflight_lock:
                self._inflight.pop(key, None)
        fut.set_result(result)
        if gen == self.generation and (doc.uri in self.docs or doc.uri in self.disk):  # not for a closed document
            current = self._analyses.get(doc.uri)
            if current is None or current[1] <= doc.version or current[0] != gen:
                self._analyses[doc.uri] = (gen, doc.version, result)
        return result

    def needs_analysis(self, snapshot) -> int:
        gen = self.generation
        return sum(1 for uri, (version, _t, _d) in snapshot.items() if (c := self._analyses.get(uri)) is None or c[0] != gen or c[1] != version)

    def snapshot(self) -> dict[str, tuple[int, str, Document]]:
        """Open documents, and the workspace files that are not open (as saved): uri -> (version, text, frozen
        document). Taken on the event loop; the frozen documents are what workers compute and convert with."""
        docs, disk = dict(self.docs), dict(self.disk)
        out = {}
        for uri, doc in disk.items():
            if uri not in docs:
                f = doc.frozen()
                out[uri] = (f.version, f.text, f)
        for uri, doc in docs.items():
            f = doc.frozen()
            out[uri] = (f.version, f.text, f)
        return out

    def document(self, uri: str) -> Document | None:
        return self.docs.get(uri) or self.disk.get(uri)

    def check(self, snapshot=None, progress=None, cancel=None) -> dict[str, tuple[int, list[Finding], Document]]:
        """Findings of every document of a snapshot, checked together: uri -> (version checked, findings, the frozen
        document they were computed from). Raises ``State.Cancelled`` between documents once ``cancel`` is set.
        A set holding a document of ``worker_threshold`` characters or more is checked in the worker process
        (lsp/worker.py); if the worker fails, in this process (and the failure is logged)."""
        with self._lock:
            snapshot = dict(self.snapshot() if snapshot is None else snapshot)
            key = (self.generation, tuple(sorted((uri, v) for uri, (v, _t, _d) in snapshot.items())))
            if key == self._check_key:
                return dict(self._check_result)
            out = None
            if any(self.is_large(d) for (_v, _t, d) in snapshot.values()):
                try:
                    out = self._check_remote(snapshot, progress, cancel)
                except worker.Cancelled:
                    raise State.Cancelled() from None
                except worker.WorkerFailed as exc:
                    self._worker_failed(exc)
            elif self.remote is not None:
                self.stop_worker()  # no large document left: the worker's memory goes back to the system
            if out is None:
                out = self._check_here(snapshot, progress, cancel)
            self._check_key = key
            self._check_result = out
            return dict(out)

    def _order_group(self, analysis) -> None:
        """The reading-order group of the workspace, as `nnterm check` on its folder has it."""
        group = self.order_groups.get(analysis.path)  # the scan's own spelling of the path: no system call
        if group is None and self.order_groups:
            group = self.order_groups.get(os.path.realpath(analysis.path), 0)
        analysis.order_group = group or 0

    def _check_here(self, snapshot, progress, cancel):
        analyses = {}
        total = len(snapshot)
        for i, (uri, (version, text, doc)) in enumerate(snapshot.items()):
            self._checkpoint(cancel)
            analyses[uri] = self.analysis(doc.frozen())
            if progress is not None:
                progress(i + 1, total)
        self._follow_includes(snapshot, analyses, cancel)
        self._checkpoint(cancel)
        for a in analyses.values():
            self._order_group(a)
        # documents are keyed by path in the engine; two uris for one path are not expected
        by_path = self.engine.check(list(analyses.values()))
        return {uri: (snapshot[uri][0], by_path.get(a.path, []), snapshot[uri][2].frozen()) for uri, a in analyses.items()}

    # -- the worker process for sets with a large document --------------------------------------------------------
    def is_large(self, doc) -> bool:
        return self.worker_threshold is not None and len(doc.text) >= self.worker_threshold and self._remote_failed != self.generation

    def _remote(self) -> worker.RemoteEngine:
        if self.remote is None:
            if self._engine_spec is None:
                raise worker.WorkerFailed("no engine to start the worker for")
            self.remote = worker.RemoteEngine(*self._engine_spec)
        return self.remote

    def _analysis_or_meta(self, doc: Document, cancel):
        """A small document's analysis (here); of a large one, what the set stage reads (analysed in the worker)."""
        if not self.is_large(doc):
            return self.analysis(doc)
        if (here := self.cached_analysis(doc)) is not None:  # a request about the large document asked for it
            return here
        cached = self._metas.get(doc.uri)
        if cached is not None and cached[0] == self.generation and cached[1] == doc.version:
            return cached[2]
        meta = self._remote().analyze(doc.uri, doc.version, doc.path, doc.kind, doc.text, cancel)
        if doc.uri in self.docs or doc.uri in self.disk:
            self._metas[doc.uri] = (self.generation, doc.version, meta)
        return meta

    def _check_remote(self, snapshot, progress, cancel):
        gen = self.generation
        items = {}
        total = len(snapshot)
        for i, (uri, (version, text, doc)) in enumerate(snapshot.items()):
            self._checkpoint(cancel)
            items[uri] = self._analysis_or_meta(doc.frozen(), cancel)
            if progress is not None:
                progress(i + 1, total)
        self._follow_includes(snapshot, items, cancel, self._analysis_or_meta)
        self._checkpoint(cancel)
        docs = []
        for uri, a in items.items():
            self._order_group(a)
            d = snapshot[uri][2]
            docs.append((uri, d.version, d.path, d.kind, a.order_group, d.text))
        by_path, usage, lexicon, senses, glossary = self._remote().check(docs, cancel)
        engine = self.engine
        if gen == self.generation and engine is not None:  # what the editor features read of the last check
            engine.usage, engine.senses, engine.glossary = usage, senses, glossary
            if lexicon != engine.lexicon:
                engine.lexicon = lexicon
        return {uri: (snapshot[uri][0], by_path.get(a.path, []), snapshot[uri][2].frozen()) for uri, a in items.items()}

    def _worker_failed(self, exc: Exception) -> None:
        self._remote_failed = self.generation
        self.stop_worker()
        message = f"nnterm: {exc}; large documents are checked in the server process until the configuration is reloaded"
        log.error("%s", message)
        self.worker_notes.append(message)

    def doc_lang(self, doc: Document) -> str:
        """The editor-text language of a document version, without analysing a large one here."""
        analysis = self.cached_analysis(doc)
        if analysis is None:
            meta = self._metas.get(doc.uri)
            if meta is not None and meta[0] == self.generation and meta[1] == doc.version:
                return self.ui_lang(meta[2])
            analysis = self.analysis(doc)
        return self.ui_lang(analysis)

    def _follow_includes(self, snapshot, analyses, cancel=None, analyse=None) -> None:
        """LaTeX \\input / \\include targets join the set, as `nnterm check` reads them (in place)."""
        from ..workspace import resolve_include
        from .documents import path_to_uri

        queue = list(snapshot.items())
        while queue:
            _uri, (_v, _t, doc) = queue.pop(0)
            analysis = analyses.get(doc.uri)
            if analysis is None or not analysis.format.follows_includes:
                continue
            for name in analysis.includes:
                target = resolve_include(Path(doc.path), name)
                target = target.resolve() if target is not None else None
                if target is None:
                    continue
                turi = path_to_uri(str(target))
                if turi in analyses:
                    continue
                self._checkpoint(cancel)
                tdoc = self.disk.get(turi) or self.read_disk(str(target))
                if tdoc is None:
                    continue
                if turi not in self.disk:
                    self.disk = {**self.disk, turi: tdoc}  # rebound, never mutated: the event loop may be iterating it
                tdoc = tdoc.frozen()
                snapshot[turi] = (tdoc.version, tdoc.text, tdoc)
                analyses[turi] = analyse(tdoc, cancel) if analyse is not None else self.analysis(tdoc)
                queue.append((turi, snapshot[turi]))

    # -- problems in the configuration and the term files ----------------------------------------------------------
    def file_problems(self) -> dict[str, list[FileProblem]]:
        out: dict[str, list[FileProblem]] = {}
        if self.config_path:
            out[self.config_path] = []
        for t in self.config.terms:
            out.setdefault(t, [])
        if self.config_error is not None:
            e = self.config_error
            out.setdefault(e.path, []).extend(FileProblem(e.path, line, 1, message, "error") for line, message in config_errors(e))
        if self.engine is not None:
            for e in self.engine.config_problems:
                out.setdefault(e.path, []).append(FileProblem(e.path, e.line, 1, e.message, "warning"))
            user = set(self.config.terms)
            for p in self.engine.termbase.problems:
                if p.path in user:
                    out.setdefault(p.path, []).append(FileProblem(p.path, p.line, p.column, p.message, p.severity))
        return out


def config_errors(error: ConfigError) -> list[tuple[int, str]]:
    """Every error of a broken configuration file, as the command line reports them: (line, message)."""
    errors = getattr(error, "errors", None) or [error]
    out: list[tuple[int, str]] = []
    for e in errors:
        item = (e.line, e.message)
        if item not in out:
            out.append(item)
    return out
