"""The pygls language server: wires LSP features (``lsp/features``) to the engine through ``state``.

No matching or rule logic lives here. Heavy loading (term base, matcher, pinyin) happens on a worker thread after
``initialize`` has been answered; requests wait for it.

Snapshots: every request and every check works on ``State.snapshot()`` — frozen documents taken on the event loop —
and converts offsets with the line index of *that* text on a worker thread. A result is sent only if the document
is still at the version it was computed for (push diagnostics of an older version are dropped, a pull is recomputed,
other requests are answered with ``ContentModified``); edits carry the version they were computed for.

Nothing heavy runs on the event loop: analyses, checks, rename, code actions and the conversion of findings to
diagnostics run on workers (``executor`` for set checks, ``requests`` for per-request work), are cancellable between
documents, and return JSON-ready values (``Raw``) so that the loop only writes them out. A set holding a very large
document is checked in a worker process (``worker.py``; ``State.check`` decides), whose regular-expression passes
then never hold this process's GIL.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import json
import logging
import os
import re
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from lsprotocol import types as T
from pygls.capabilities import ServerCapabilitiesBuilder
from pygls.exceptions import (
    JsonRpcContentModified,
    JsonRpcException,
    JsonRpcInternalError,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcParseError,
    JsonRpcRequestCancelled,
)
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

from .. import __version__
from ..extract import suffixes as document_suffixes
from ..fsutil import read_text, write_atomic
from ..i18n import t as tr
from ..severity import LSP_SEVERITY
from . import features as F
from .features import actions as A
from .features.completion import TIERS, complete
from .features import term_view as TV
from .documents import Document, make_document, path_to_uri, uri_to_path
from .positions import normalize_encoding
from .state import State

log = logging.getLogger("nnterm_ls.lsp")

SEVERITY = {name: T.DiagnosticSeverity(value) for name, value in LSP_SEVERITY.items()}
SOURCE = "nnterm"
MAX_DIAGNOSTICS = 1000  # per document; one summary diagnostic tells how many more there are
WATCHDOG_SECONDS = 2.0
_PLANTED_FAILURE = os.environ.get("NNTERM_LSP_TEST_FAIL")  # tests only: a handler that raises, to see the answer


class Raw:
    """A JSON-ready result (built and unstructured on a worker): the event loop only serialises it."""

    __slots__ = ("value",)

    def __init__(self, value) -> None:
        self.value = value


class _Rejected:
    """A message whose params could not be read: answered with an error instead of being dropped."""

    def __init__(self, msg_id, method: str, error: JsonRpcException) -> None:
        self.id, self.method, self.error = msg_id, method, error


_ID = re.compile(r'"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")')


class Protocol(LanguageServerProtocol):
    """Document sync without pygls's TextDocument copies (the server keeps its own documents and line indexes), and
    an answer to every request: invalid params, unknown methods, parse errors and internal errors are error
    responses with one log line each, never silence or a traceback on the wire."""

    @lsp_method(T.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params):
        if (h := self.fm.features.get(T.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield h, (params,), None

    @lsp_method(T.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params):
        if (h := self.fm.features.get(T.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield h, (params,), None

    @lsp_method(T.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params):
        if (h := self.fm.features.get(T.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield h, (params,), None

    @lsp_method(T.INITIALIZE)
    def lsp_initialize(self, params):
        """pygls's capabilities, plus the LSP 3.18 text-document-content provider for the read-only entry views
        (go to definition on a built-in term)."""
        result = yield from super().lsp_initialize(params)
        workspace = result.capabilities.workspace or T.WorkspaceOptions()
        workspace.text_document_content = T.TextDocumentContentOptions(schemes=[F.navigation.ENTRY_SCHEME])
        result.capabilities.workspace = workspace
        return result

    @lsp_method(T.EXIT)
    def lsp_exit(self, *args):
        """Exit now: status 0 after a shutdown request, 1 without one (LSP). Worker threads are not waited for."""
        code = 0 if self._shutdown else 1
        log.info("exit (status %d)", code)
        _hard_exit(code)
        yield from ()

    # -- messages that cannot be read --------------------------------------------------------------------------
    def structure_message(self, data):
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if not isinstance(data, dict) or "method" not in data:
                raise
            method = data.get("method")
            cause = exc.__cause__
            detail = _validation_detail(cause) if cause is not None else exc.message
            error = JsonRpcInvalidParams(f"invalid params for {method}: {detail}") if isinstance(exc, JsonRpcInvalidParams) else exc
            return _Rejected(data.get("id"), method, error)

    def handle_message(self, message):
        if isinstance(message, _Rejected):
            if message.id is None:
                log.warning("dropped the notification %s: %s", message.method, message.error.message)
            else:
                log.warning("request %s (%s): %s", message.id, message.method, message.error.message)
                self._send_response(message.id, None, message.error.to_response_error())
            return
        if isinstance(message, dict):  # not a JSON-RPC 2.0 message
            if "id" in message and "method" in message:
                log.warning("request %s without \"jsonrpc\": \"2.0\"", message.get("id"))
                self._send_response(message["id"], None, JsonRpcInvalidRequest("not a JSON-RPC 2.0 request").to_response_error())
            else:
                log.warning("ignored a message that is not JSON-RPC 2.0")
            return
        return super().handle_message(message)

    # -- answers -------------------------------------------------------------------------------------------------
    def _send_handler_result(self, future, *, msg_id):
        self._request_futures.pop(msg_id, None)
        if future.cancelled():
            self._send_response(msg_id, error=JsonRpcRequestCancelled(f"request {msg_id} was cancelled").to_response_error())
            return
        exc = future.exception()
        if exc is None:
            self._send_response(msg_id, result=future.result())
        elif isinstance(exc, State.Cancelled):
            self._send_response(msg_id, error=JsonRpcRequestCancelled(f"request {msg_id} was cancelled").to_response_error())
        elif isinstance(exc, JsonRpcException):
            log.info("request %s: %s", msg_id, exc.message)
            self._send_response(msg_id, error=exc.to_response_error())
        else:
            log.error("request %s failed: %s: %s", msg_id, type(exc).__name__, exc, exc_info=exc)
            error = JsonRpcInternalError(f"nnterm-ls internal error: {type(exc).__name__}: {exc}")
            self._send_response(msg_id, error=error.to_response_error())

    def _send_response(self, msg_id, result=None, error=None):
        if error is None and isinstance(result, Raw):
            self._result_types.pop(msg_id, None)
            self._send_data({"jsonrpc": "2.0", "id": msg_id, "result": result.value})
            return
        super()._send_response(msg_id, result, error)

    def send_raw_notification(self, method: str, params) -> None:
        self._send_data({"jsonrpc": "2.0", "method": method, "params": params})


def _validation_detail(exc) -> str:
    """A one-line account of a cattrs validation error ("position/line: -1 is not an unsigned integer")."""
    try:
        from cattrs import transform_error

        return "; ".join(transform_error(exc))[:300]
    except Exception:
        return str(exc)[:300]


def _hard_exit(code: int) -> None:
    """Leave the process now (a worker may be busy with a long check; nothing is written after exit). The analysis
    worker process, if any, is killed first (it would also exit by itself once it sees its parent gone)."""
    from .worker import kill_all

    kill_all()
    try:
        sys.stdout.flush()
    except Exception:
        pass
    try:
        logging.shutdown()
    except Exception:
        pass
    os._exit(code)


class NntermServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("nnterm-ls", __version__, protocol_cls=Protocol, text_document_sync_kind=T.TextDocumentSyncKind.Incremental)
        self.state = State()
        self.encoding = "utf-16"
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nnterm-engine")  # set checks
        self.requests = ThreadPoolExecutor(max_workers=2, thread_name_prefix="nnterm-request")  # per-request work
        self.ready: asyncio.Event | None = None
        self.settings_ready: asyncio.Event | None = None
        self._dirty: asyncio.Event | None = None
        self._loop_task: asyncio.Task | None = None
        self._watchdog: asyncio.Task | None = None
        self._published: dict[str, tuple[int | None, tuple]] = {}
        self._built: dict[str, tuple] = {}  # uri -> (version, findings key, diagnostics, findings): conversions reused
        self._problem_paths: set[str] = set()
        self._first_check_done = False
        self._reported_undecodable: set[str] = set()
        self._trim_pending = False
        self._idle_collection: asyncio.TimerHandle | None = None

    # -- errors outside requests ---------------------------------------------------------------------------------
    def report_server_error(self, error: Exception, source) -> None:
        if isinstance(error, (json.JSONDecodeError, UnicodeDecodeError)):
            doc = getattr(error, "doc", None)
            m = _ID.search(doc) if isinstance(doc, str) else None
            msg_id = json.loads(m.group(1)) if m else None
            log.warning("parse error (request id %s): %s", msg_id, error)
            self.protocol._send_response(msg_id, error=JsonRpcParseError(f"parse error: {error}").to_response_error())
            return
        from pygls.exceptions import FeatureRequestError

        if source is FeatureRequestError:
            return  # answered with an error response already
        log.error("%s: %s", getattr(source, "__name__", source), error)

    # -- capabilities of the client --------------------------------------------------------------------------------
    def cap(self, *path, default=None):
        obj = self.client_capabilities
        for p in path:
            obj = getattr(obj, p, None)
            if obj is None:
                return default
        return obj

    @property
    def push_diagnostics(self) -> bool:
        mode = self.state.settings.diagnostics
        if mode != "auto":
            return mode == "push"
        return self.cap("text_document", "diagnostic") is None

    @property
    def converter(self):
        return self.protocol._converter

    # -- conversions -----------------------------------------------------------------------------------------------
    @staticmethod
    def lsp_range(index, start: int, end: int) -> T.Range:
        (l1, c1), (l2, c2) = index.position(start), index.position(end)
        return T.Range(T.Position(l1, c1), T.Position(l2, c2))

    @staticmethod
    def range_dict(index, start: int, end: int) -> dict:
        (l1, c1), (l2, c2) = index.position(start), index.position(end)
        return {"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}}

    def doc(self, uri: str) -> Document | None:
        return self.state.docs.get(uri)

    def current_version(self, uri: str):
        d = self.state.document(uri)
        return None if d is None else d.version

    def ensure_current(self, *docs: Document) -> None:
        """ContentModified unless every document is still at the version a result was computed from."""
        for d in docs:
            if self.current_version(d.uri) != d.version:
                raise JsonRpcContentModified(f"{os.path.basename(d.path)} changed while the request was computed")

    async def run(self, fn, *args, executor=None):
        """``fn(*args, cancel)`` on a worker; a cancelled request sets ``cancel`` (checked between documents) and is
        answered at once, whatever the worker is doing."""
        cancel = threading.Event()
        fut = asyncio.get_running_loop().run_in_executor(executor or self.requests, fn, *args, cancel)
        try:
            return await fut
        except asyncio.CancelledError:
            cancel.set()
            raise

    async def wait_ready(self) -> None:
        """The term base is loaded and the client's settings have been asked for."""
        await self.ready.wait()
        await self.settings_ready.wait()

    async def at(self, params):
        """(frozen document, analysis, offset) of a text-document-position request, once loaded; None if not ours.
        On the event loop only when the analysis and line index of this version exist already; else on a worker."""
        await self.wait_ready()
        live = self.doc(params.text_document.uri)
        if live is None:
            return None
        doc = live.frozen()
        line, character = params.position.line, params.position.character
        analysis = self.state.cached_analysis(doc)
        if analysis is None or not live.index_ready:

            def work(cancel):
                return self.state.analysis(doc), doc.index.offset(line, character)

            analysis, offset = await self.run(work)
            self.ensure_current(doc)
        else:
            offset = doc.index.offset(line, character)
        return doc, analysis, offset

    # -- diagnostics (built on workers, as JSON) ---------------------------------------------------------------------
    def diagnostic_dict(self, index, finding, snapshot) -> dict:
        d = {
            "range": self.range_dict(index, finding.start, finding.end),
            "message": finding.message,
            "severity": SEVERITY.get(finding.severity, T.DiagnosticSeverity.Warning).value,
            "code": finding.code,
            "source": SOURCE,
            "data": {"concept": finding.concept_id, "suggestion": finding.suggestion},
        }
        if finding.related:
            related = []
            for r in finding.related:
                rdoc = snapshot.get(r.path)
                if rdoc is None:
                    continue
                related.append({"location": {"uri": rdoc.uri, "range": self.range_dict(rdoc.index, r.start, r.end)}, "message": r.message})
            if related:
                d["relatedInformation"] = related
        return d

    @staticmethod
    def _finding_key(findings) -> tuple:
        return tuple(
            (f.start, f.end, f.code, f.message, f.severity, f.suggestion, tuple((r.path, r.start, r.end, r.message) for r in f.related or ()))
            for f in findings
        )

    def build_diagnostics(self, doc: Document, findings, by_path: dict[str, Document], cancel=None) -> list[dict]:
        """LSP diagnostics (JSON) of one document's findings, converted with the frozen document's own index; at most
        MAX_DIAGNOSTICS, then one summary. Reused while the version and the findings are unchanged."""
        related = {r.path for f in findings[:MAX_DIAGNOSTICS] for r in f.related or ()}
        versions = tuple(sorted((p, by_path[p].version) for p in related if p in by_path))
        built = self._built.get(doc.uri)
        if built is not None and built[0] == doc.version and built[1][1] == versions and len(built[3]) == len(findings) \
                and all(a is b for a, b in zip(built[3], findings)):
            return built[2]  # (the engine kept the same findings: nothing to compare field by field)
        key = (self._finding_key(findings), versions)
        if built is not None and built[0] == doc.version and built[1] == key:
            self._built[doc.uri] = (*built[:3], tuple(findings))
            return built[2]
        index = doc.index
        shown = findings[:MAX_DIAGNOSTICS]
        out = []
        for i, f in enumerate(shown):
            if cancel is not None and i % 200 == 0:
                State._checkpoint(cancel)
            out.append(self.diagnostic_dict(index, f, by_path))
        if len(findings) > MAX_DIAGNOSTICS:
            more = len(findings) - MAX_DIAGNOSTICS
            first = findings[MAX_DIAGNOSTICS]
            out.append(
                {
                    "range": self.range_dict(index, first.start, first.end),
                    "message": tr("too_many_findings", self.state.doc_lang(doc), more=f"{more:,}",
                                  most=f"{MAX_DIAGNOSTICS:,}", name=os.path.basename(doc.path)),
                    "severity": T.DiagnosticSeverity.Information.value,
                    "code": "too-many-findings",
                    "source": SOURCE,
                }
            )
        if self.state.document(doc.uri) is not None:  # not for a document closed meanwhile
            self._built[doc.uri] = (doc.version, key, out, tuple(findings))
        return out

    def check_and_build(self, snapshot, progress, cancel):
        """On the engine worker: check the snapshot and convert every document's findings -> uri -> (version,
        frozen document, diagnostics as JSON, publish key)."""
        result = self.state.check(snapshot, progress, cancel)
        by_path = {d.path: d for (_v, _f, d) in result.values()}
        out = {}
        for uri, (version, findings, doc) in result.items():
            diagnostics = self.build_diagnostics(doc, findings, by_path, cancel)
            out[uri] = (version, doc, diagnostics, id(diagnostics))
        return out

    def schedule_check(self) -> None:
        if self._dirty is not None:
            self._dirty.set()

    async def diagnostics_loop(self) -> None:
        """One check at a time; changes arriving meanwhile are coalesced into the next run (never queued)."""
        loop = asyncio.get_running_loop()
        while True:
            await self._dirty.wait()
            await self.wait_ready()
            if self.state.settings.debounce:
                await asyncio.sleep(self.state.settings.debounce)
            self._dirty.clear()
            if not self.push_diagnostics:
                if self.cap("workspace", "diagnostics", "refresh_support"):
                    self.workspace_diagnostic_refresh(None)
                continue
            snapshot = self.state.snapshot()
            # a large document closed before this snapshot: once this check replaces the last one holding it, its
            # memory goes back to the system
            trim_after, self._trim_pending = self._trim_pending, False
            if not snapshot:
                continue
            try:
                token = None
                pending = self.state.needs_analysis(snapshot)
                if (
                    not self._first_check_done
                    and pending >= self.state.settings.progress_threshold
                    and self.cap("window", "work_done_progress")
                ):
                    token = f"nnterm-check-{uuid.uuid4().hex[:8]}"
                    await self.work_done_progress.create_async(token)
                    self.work_done_progress.begin(token, T.WorkDoneProgressBegin(title="nnterm: checking", message=f"0/{pending}", percentage=0, cancellable=False))
                progress = None
                if token is not None:
                    step = max(1, len(snapshot) // 20)

                    def progress(i, n, token=token):
                        if i % step == 0 or i == n:
                            loop.call_soon_threadsafe(
                                self.work_done_progress.report, token, T.WorkDoneProgressReport(message=f"{i}/{n}", percentage=int(100 * i / n))
                            )

                # the cyclic collector waits while the check runs: a collection stops every thread (it holds the GIL)
                # to walk what the documents' analyses hold, up to ~40 ms on a book; it runs after the publish
                gc.disable()
                try:
                    result = await self.run(self.check_and_build, snapshot, progress, executor=self.executor)
                finally:
                    self._collect_later()
                if token is not None:
                    self.work_done_progress.end(token, T.WorkDoneProgressEnd(message=f"checked {len(snapshot)} documents"))
                self._first_check_done = True
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("check failed")
                continue
            self.publish(result)
            self.report_undecodable()
            self.report_worker_notes()
            if not self.state.cindex_ready:  # after the first diagnostics: the completion index, meanwhile
                loop.run_in_executor(self.requests, self.state.build_cindex)
            if trim_after:
                del result
                await self.run(lambda cancel: _release_memory(), executor=self.executor)

    def _collect_later(self) -> None:
        """Collection back on once the check's results are out (the event loop runs the publish first), and a full
        collection once the documents have been quiet for a while, so that a typist rarely meets one."""
        loop = asyncio.get_running_loop()
        loop.call_soon(gc.enable)
        if self._idle_collection is not None:
            self._idle_collection.cancel()
        self._idle_collection = loop.call_later(IDLE_COLLECTION, gc.collect)

    def publish(self, result) -> None:
        for uri, (version, doc, diagnostics, _key) in result.items():
            if self.current_version(uri) != version:
                continue  # stale: a newer version is on its way
            # a document whose version changed is always published (its diagnostics belong to that version);
            # the others only when their diagnostics changed (cross-document consistency)
            published = self._published.get(uri)
            if published is not None and published[0] == version and published[1] is diagnostics:
                continue
            self._published[uri] = (version, diagnostics)
            # a file that is not open is published without a version (it is the file as saved)
            shown = version if uri in self.state.docs else None
            params = {"uri": uri, "diagnostics": diagnostics}
            if shown is not None:
                params["version"] = shown
            self.protocol.send_raw_notification(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, params)

    def report_undecodable(self) -> None:
        """A workspace file that is not UTF-8: one warning (window/showMessage) and one log line, once per file."""
        for path, why in list(self.state.undecodable.items()):
            if path in self._reported_undecodable:
                continue
            self._reported_undecodable.add(path)
            message = f"nnterm: {path} is {why}; it is not checked (save it as UTF-8)"
            log.warning("%s", message)
            self.window_show_message(T.ShowMessageParams(type=T.MessageType.Warning, message=message))
            self.window_log_message(T.LogMessageParams(type=T.MessageType.Warning, message=message))

    def report_worker_notes(self) -> None:
        """A failed analysis worker: one log message to the client per failure (the server logged it already)."""
        while self.state.worker_notes:
            message = self.state.worker_notes.pop(0)
            self.window_log_message(T.LogMessageParams(type=T.MessageType.Error, message=message))

    def publish_file_problems(self) -> None:
        """Broken term files and configuration: diagnostics in those files, on the offending line."""
        problems = self.state.file_problems()
        paths = set(problems) | self._problem_paths
        for path in paths:
            items = problems.get(path, [])
            lines = None
            diagnostics = []
            for p in items:
                if lines is None:
                    text = read_text(path) or ""
                    lines = re.split(r"\r\n|\r|\n", text)
                line = max(0, p.line - 1)
                line_text = lines[line] if line < len(lines) else ""
                end = _utf16_len(line_text)
                col = min(max(0, p.column - 1), end)
                if p.column <= 1:  # the whole line, from its first non-blank character
                    col = _utf16_len(line_text[: len(line_text) - len(line_text.lstrip())])
                    col = min(col, end)
                diagnostics.append(
                    T.Diagnostic(
                        range=T.Range(T.Position(line, col), T.Position(line, max(col, end))),
                        message=clean_message(p.message),
                        severity=SEVERITY.get(p.severity, T.DiagnosticSeverity.Error),
                        source=SOURCE,
                    )
                )
            if diagnostics or path in self._problem_paths:
                self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=path_to_uri(path), diagnostics=diagnostics))
        self._problem_paths = {p for p, items in problems.items() if items}

    async def reload(self) -> None:
        await self.run(lambda cancel: self.state.load(), executor=self.executor)
        self._published.clear()
        self.publish_file_problems()
        self.report_undecodable()
        self.schedule_check()
        if self.cap("workspace", "inlay_hint", "refresh_support"):
            self.workspace_inlay_hint_refresh(None)
        if not self.push_diagnostics and self.cap("workspace", "diagnostics", "refresh_support"):
            self.workspace_diagnostic_refresh(None)

    async def watch_parent(self, pid: int) -> None:
        """Exit when the client process named in initialize.processId is gone (LSP: the parent-process watchdog)."""
        while True:
            await asyncio.sleep(WATCHDOG_SECONDS)
            if not _process_alive(pid):
                log.warning("the client process %d is gone: exiting", pid)
                _hard_exit(1)


IDLE_COLLECTION = 2.0  # seconds without a check before a full collection of the cycles the checks left
LARGE_DOCUMENT = 1_000_000  # characters: closing one gives its memory back to the system after the next check


def _release_memory() -> None:
    """Collect, then hand freed heap pages back to the system (glibc keeps them otherwise)."""
    import gc

    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except Exception:
        pass


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    try:  # a zombie (dead, not yet reaped) counts as gone
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except OSError:
        return True


def _utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


_TYPE_WORDS = {
    "LineList": "a list",
    "LineDict": "a mapping",
    "LineStr": "a text",
    "list": "a list",
    "dict": "a mapping",
    "str": "a text",
    "int": "a number",
    "float": "a number",
    "bool": "true/false",
    "NoneType": "nothing",
}
_GOT = re.compile(r"\bgot (" + "|".join(_TYPE_WORDS) + r")\b")


def clean_message(message: str) -> str:
    """Plain words for a problem in a term file or configuration ("got a list ['x']", not "got LineList ['x']")."""
    return _GOT.sub(lambda m: "got " + _TYPE_WORDS[m.group(1)], message)


server = NntermServer()


# ----------------------------------------------------------------------------------------------------------------
# lifecycle


@server.feature(T.INITIALIZE)
def initialize(ls: NntermServer, params: T.InitializeParams):
    ls.encoding = normalize_encoding(ServerCapabilitiesBuilder.choose_position_encoding(params.capabilities))
    ls.state.encoding = ls.encoding
    root = params.root_uri or (params.workspace_folders[0].uri if params.workspace_folders else None)
    if root is None and params.root_path:
        root = path_to_uri(params.root_path)
    ls.state.root = uri_to_path(root) if root else None
    if params.initialization_options:
        ls.state.settings.update(params.initialization_options)
    ls.ready = asyncio.Event()
    ls.settings_ready = asyncio.Event()
    ls._dirty = asyncio.Event()
    loop = asyncio.get_running_loop()

    def loaded(fut):
        if fut.exception() is not None:
            log.error("loading failed: %s", fut.exception())
        if ls.state.workspace_note:
            ls.window_log_message(T.LogMessageParams(type=T.MessageType.Info, message=ls.state.workspace_note))
        ls.ready.set()
        ls.publish_file_problems()
        ls.report_undecodable()

    fut = loop.run_in_executor(ls.executor, ls.state.load)
    fut.add_done_callback(loaded)
    ls._loop_task = loop.create_task(ls.diagnostics_loop())
    if params.process_id and params.process_id != os.getpid():
        ls._watchdog = loop.create_task(ls.watch_parent(params.process_id))


@server.feature(T.INITIALIZED)
async def initialized(ls: NntermServer, params):
    if ls.cap("workspace", "did_change_watched_files", "dynamic_registration"):
        globs = ("**/.nnterm.yaml", "**/.nnterm.yml", "**/*.yaml", "**/*.yml", *(f"**/*{s}" for s in document_suffixes()))
        watchers = [T.FileSystemWatcher(glob_pattern=g) for g in globs]
        try:
            await ls.client_register_capability_async(
                T.RegistrationParams(
                    registrations=[
                        T.Registration(
                            id="nnterm-watch",
                            method=T.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=T.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
                        )
                    ]
                )
            )
        except Exception:
            log.exception("could not register file watchers")
    try:
        await pull_settings(ls)
    finally:
        ls.settings_ready.set()


async def pull_settings(ls: NntermServer) -> None:
    if not ls.cap("workspace", "configuration"):
        return
    try:
        values = await ls.workspace_configuration_async(T.ConfigurationParams(items=[T.ConfigurationItem(section="nnterm")]))
    except Exception:
        log.exception("workspace/configuration failed")
        return
    await apply_settings(ls, values[0] if values else None)


async def apply_settings(ls: NntermServer, raw) -> None:
    if not isinstance(raw, dict):
        return
    rules_changed = ls.state.settings.update(raw)
    await ls.ready.wait()
    if ls.state.settings.terms_changed:
        ls.state.settings.terms_changed = False
        await ls.reload()  # new term files: a new term base
    elif rules_changed:
        await ls.run(lambda cancel: ls.state.rebuild_engine(), executor=ls.executor)
        ls.schedule_check()
    if ls.cap("workspace", "inlay_hint", "refresh_support"):
        ls.workspace_inlay_hint_refresh(None)


@server.feature(T.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def did_change_configuration(ls: NntermServer, params: T.DidChangeConfigurationParams):
    settings = params.settings
    if isinstance(settings, dict) and isinstance(settings.get("nnterm"), dict):
        await apply_settings(ls, settings["nnterm"])
    else:
        await pull_settings(ls)


@server.feature(T.WORKSPACE_DID_CHANGE_WATCHED_FILES)
async def did_change_watched_files(ls: NntermServer, params: T.DidChangeWatchedFilesParams):
    await ls.ready.wait()
    if any(ls.state.is_watched(uri_to_path(c.uri)) for c in params.changes):
        await ls.reload()
        return
    changed = False
    for change in params.changes:  # a chapter saved, added or deleted outside the editor
        path = uri_to_path(change.uri)
        if change.uri in ls.state.docs or not ls.state.is_workspace_file(path):
            continue
        if ls.state.refresh_disk(path) is None and ls._published.pop(change.uri, None) is not None:
            ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=change.uri, diagnostics=[]))
        changed = True
    if changed:
        ls.schedule_check()


@server.feature(T.TEXT_DOCUMENT_DID_SAVE)
async def did_save(ls: NntermServer, params: T.DidSaveTextDocumentParams):
    await ls.ready.wait()
    if ls.state.is_watched(uri_to_path(params.text_document.uri)):
        await ls.reload()


@server.feature(T.SHUTDOWN)
def shutdown(ls: NntermServer, params):
    if ls._loop_task is not None:
        ls._loop_task.cancel()


# ----------------------------------------------------------------------------------------------------------------
# document sync


@server.feature(T.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: NntermServer, params: T.DidOpenTextDocumentParams):
    td = params.text_document
    doc = make_document(td.uri, td.language_id, td.version, td.text, ls.encoding)
    if doc is None:
        return
    ls.state.docs[td.uri] = doc
    ls.schedule_check()


@server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: NntermServer, params: T.DidChangeTextDocumentParams):
    doc = ls.doc(params.text_document.uri)
    if doc is None:
        return
    doc.apply_changes(params.content_changes, params.text_document.version)
    ls.schedule_check()


@server.feature(T.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: NntermServer, params: T.DidCloseTextDocumentParams):
    uri = params.text_document.uri
    closed = ls.state.docs.pop(uri, None)
    if closed is None:
        return
    if len(closed.text) >= LARGE_DOCUMENT:
        ls._trim_pending = True
    ls.state._analyses.pop(uri, None)
    ls.state._metas.pop(uri, None)
    ls._built.pop(uri, None)
    path = uri_to_path(uri)
    if ls.state.is_workspace_file(path) and ls.state.refresh_disk(path) is not None:
        ls._published.pop(uri, None)  # still checked, as saved on disk: republished by the next check
    elif ls._published.pop(uri, None) is not None and ls.push_diagnostics:
        ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
    ls.schedule_check()  # the remaining documents' cross-document findings may change


# ----------------------------------------------------------------------------------------------------------------
# pull diagnostics


def _result_id(ls: NntermServer, version, diagnostics) -> str:
    return hashlib.sha1(repr((ls.state.generation, version, diagnostics)).encode()).hexdigest()[:16]


PULL_ATTEMPTS = 3


@server.feature(T.TEXT_DOCUMENT_DIAGNOSTIC, T.DiagnosticOptions(identifier=SOURCE, inter_file_dependencies=True, workspace_diagnostics=True))
async def document_diagnostic(ls: NntermServer, params: T.DocumentDiagnosticParams):
    await ls.wait_ready()
    uri = params.text_document.uri
    previous = params.previous_result_id
    for _attempt in range(PULL_ATTEMPTS):
        if ls.doc(uri) is None:
            return T.RelatedFullDocumentDiagnosticReport(items=[])
        snapshot = ls.state.snapshot()
        version = snapshot[uri][0]

        def work(cancel, snapshot=snapshot):
            built = ls.check_and_build(snapshot, None, cancel)
            _v, _d, diagnostics, _k = built[uri]
            rid = _result_id(ls, version, diagnostics)
            if previous == rid:
                return Raw({"kind": "unchanged", "resultId": rid})
            return Raw({"kind": "full", "resultId": rid, "items": diagnostics})

        report = await ls.run(work, executor=ls.executor)
        if ls.current_version(uri) == version:
            return report  # computed from, and converted with, the text the client has now
        # the document changed while it was checked: check the new version
    raise JsonRpcContentModified(f"{os.path.basename(uri_to_path(uri))} keeps changing; pull again")


@server.feature(T.WORKSPACE_DIAGNOSTIC)
async def workspace_diagnostic(ls: NntermServer, params: T.WorkspaceDiagnosticParams):
    await ls.wait_ready()
    previous = {p.uri: p.value for p in params.previous_result_ids or []}
    snapshot = ls.state.snapshot()
    open_uris = set(ls.state.docs)

    def work(cancel):
        built = ls.check_and_build(snapshot, None, cancel)
        items = []
        for uri, (version, _doc, diagnostics, _k) in built.items():
            rid = _result_id(ls, version, diagnostics)
            # stamped with the version the report was computed for (null for a file as saved on disk)
            shown = version if uri in open_uris else None
            if previous.get(uri) == rid:
                items.append({"kind": "unchanged", "uri": uri, "version": shown, "resultId": rid})
            else:
                items.append({"kind": "full", "uri": uri, "version": shown, "resultId": rid, "items": diagnostics})
        return Raw({"items": items})

    return await ls.run(work, executor=ls.executor)


# ----------------------------------------------------------------------------------------------------------------
# hover, completion, highlights, definition


@server.feature(T.TEXT_DOCUMENT_HOVER)
async def hover(ls: NntermServer, params: T.HoverParams):
    if _PLANTED_FAILURE == "hover":
        raise RuntimeError("planted failure (NNTERM_LSP_TEST_FAIL)")
    at = await ls.at(params)
    if at is None:
        return None
    found = await _glossary(ls, at, lambda g, _by: F.glossary.hover(ls.state.engine, at[1], g, at[2]))
    if found is None and (found := F.hover.hover(ls.state.engine, at[1], at[2], ls.state.ui_lang(at[1]))) is None:
        return None
    value, start, end = found
    return T.Hover(contents=T.MarkupContent(kind=T.MarkupKind.Markdown, value=value), range=ls.lsp_range(at[0].index, start, end))


@server.feature(T.TEXT_DOCUMENT_COMPLETION, T.CompletionOptions(resolve_provider=True))
async def completion(ls: NntermServer, params: T.CompletionParams):
    at = await ls.at(params)
    if at is None:
        return None
    doc, analysis, offset = at
    glossary_items = await _glossary(ls, at, lambda g, by: F.glossary.complete(ls.state.engine, analysis, g, offset, by))
    if glossary_items is not None:
        return _glossary_completion(ls, doc, glossary_items)
    settings = ls.state.settings
    engine = ls.state.engine
    kind = params.context.trigger_kind if params.context is not None else T.CompletionTriggerKind.Invoked
    # asked while typing (a trigger character, or the list re-asked as the word grows) vs asked for (Ctrl+Space)
    automatic = kind != T.CompletionTriggerKind.Invoked
    ui = ls.state.ui_lang(analysis)
    used = frozenset(cid for cid, _lang, _d in engine.usage)
    if not ls.state.cindex_ready:  # asked before the first check finished: the index is built on a worker
        await ls.run(lambda cancel: ls.state.cindex)
    candidates = complete(
        ls.state.cindex, engine.preferred_text, analysis, offset, style=ls.state.completion_style,
        limit=settings.max_completion_items, used=used, automatic=automatic, lang=ui,
        learned=ls.state.learned_index(),
    )
    if not candidates:
        return T.CompletionList(is_incomplete=True, items=[])
    index = doc.index
    items = []
    kinds = {"gloss": T.CompletionItemKind.Snippet, "abbreviation": T.CompletionItemKind.Constant}
    for c in candidates:
        rng = ls.lsp_range(index, c.start, c.end)
        items.append(
            T.CompletionItem(
                label=c.label,
                kind=kinds.get(c.kind, T.CompletionItemKind.Text),
                detail=c.detail,
                sort_text=f"{c.tier}{c.rank:04d}",
                filter_text=c.filter_text,
                text_edit=T.TextEdit(range=rng, new_text=c.insert),
                data={"concept": c.concept_id, "tier": TIERS[c.tier], "lang": ui},
            )
        )
    return T.CompletionList(is_incomplete=True, items=items)


@server.feature(T.COMPLETION_ITEM_RESOLVE)
async def completion_resolve(ls: NntermServer, item: T.CompletionItem):
    """The item's documentation: the hover's top (header, which to use, the definition sentence)."""
    await ls.wait_ready()
    data = item.data if isinstance(item.data, dict) else {}
    engine = ls.state.engine
    concept = engine.termbase.get(data.get("concept")) if isinstance(data.get("concept"), str) else None
    if concept is not None:
        ui = data.get("lang") if data.get("lang") in ("zh", "en") else "zh"
        value = F.hover.brief(engine, concept, ui)
        formats = ls.cap("text_document", "completion", "completion_item", "documentation_format") or []
        if T.MarkupKind.Markdown in formats:
            item.documentation = T.MarkupContent(kind=T.MarkupKind.Markdown, value=value)
        else:  # a client that shows plain text: the same lines without the markup
            item.documentation = T.MarkupContent(kind=T.MarkupKind.PlainText, value=value.replace("**", "").replace("  \n", "\n"))
    return item


@server.feature(T.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
async def highlights(ls: NntermServer, params: T.DocumentHighlightParams):
    at = await ls.at(params)
    if at is None or not (spans := F.navigation.highlights(at[1], at[2])):
        return None
    return [T.DocumentHighlight(range=ls.lsp_range(at[0].index, s, e), kind=T.DocumentHighlightKind.Text) for s, e in spans]


@server.feature(T.TEXT_DOCUMENT_DEFINITION)
async def definition(ls: NntermServer, params: T.DefinitionParams):
    at = await ls.at(params)
    if at is None:
        return None
    entry = await _glossary(ls, at, lambda g, by: _locations(ls, by, F.glossary.definition(at[1], g, at[2])))
    if entry is not None:
        return entry or None
    found = F.navigation.definition(ls.state.engine.termbase, at[1], at[2], ls.state.config.terms)
    if found is None:
        return None
    kind, where, line = found
    if kind == "file":  # the writer's own term file
        pos = T.Position(max(0, line - 1), 0)
        return T.Location(uri=path_to_uri(where), range=T.Range(pos, pos))
    # a built-in entry: a read-only view served by workspace/textDocumentContent (never the package's files)
    uri = F.navigation.entry_uri(where, ls.state.ui_lang(at[1]))
    return T.Location(uri=uri, range=T.Range(T.Position(0, 0), T.Position(0, 0)))


@server.feature(T.WORKSPACE_TEXT_DOCUMENT_CONTENT)
async def text_document_content(ls: NntermServer, params: T.TextDocumentContentParams):
    """The text of a read-only entry view (nnterm-term:/zh/batch-normalization.md), as LSP 3.18 specifies."""
    await ls.wait_ready()
    parsed = F.navigation.parse_entry_uri(params.uri)
    text = F.navigation.entry_markdown(ls.state.engine, *parsed) if parsed else None
    if text is None:
        raise JsonRpcInvalidParams(f"no term-base entry at {params.uri}")
    return T.TextDocumentContentResult(text=text)


# ----------------------------------------------------------------------------------------------------------------
# LaTeX glossary keys (lsp/features/glossary.py): tried before the term features


def _glossary_set(ls: NntermServer, cancel=None):
    """(the set's glossary, path -> analysis) over the documents the last check reads (includes followed)."""
    result = ls.state.check(None, None, cancel)
    by_path = {}
    for _uri, (_v, _f, d) in result.items():
        State._checkpoint(cancel)
        a = ls.state.analysis(d)
        by_path[a.path] = a
    return F.glossary.set_glossary(by_path.values()), by_path


async def _glossary(ls: NntermServer, at, fn):
    """``fn(set glossary, analyses by path)`` on a worker for a LaTeX document; None for other documents."""
    if at[1].format.name != "latex":
        return None

    def work(cancel):
        glossary, by_path = _glossary_set(ls, cancel)
        by_path[at[1].path] = at[1]  # the version the request is about
        return fn(glossary, by_path)

    result = await ls.run(work)
    ls.ensure_current(at[0])
    return result


def _doc_for_path(ls: NntermServer, path: str):
    d = ls.state.document(path_to_uri(path))
    return d.frozen() if d is not None else ls.state.read_disk(path)


def _locations(ls: NntermServer, by_path, spans):
    if spans is None:
        return None
    out = []
    for path, start, end in spans:
        d = _doc_for_path(ls, path)
        if d is not None:
            out.append(T.Location(uri=d.uri, range=ls.lsp_range(d.index, start, end)))
    return out


def _glossary_completion(ls: NntermServer, doc: Document, items) -> T.CompletionList:
    out = []
    for i, it in enumerate(items):
        ci = T.CompletionItem(label=it.label, kind=T.CompletionItemKind.Reference, detail=it.detail,
                              sort_text=f"{i:04d}", filter_text=it.label,
                              documentation=T.MarkupContent(kind=T.MarkupKind.Markdown, value=it.documentation) if it.documentation else None,
                              text_edit=T.TextEdit(range=ls.lsp_range(doc.index, it.start, it.end), new_text=it.insert))
        if it.new_entry is not None:
            path, offset, text = it.new_entry
            target = doc if os.path.abspath(path) == os.path.abspath(doc.path) else _doc_for_path(ls, path)
            if target is not None:
                line, character = target.index.position(offset)
                ci.command = T.Command(title="Add the glossary entry", command=A.CMD_ADD_GLOSSARY_ENTRY,
                                       arguments=[target.uri, line, character, text])
        out.append(ci)
    return T.CompletionList(is_incomplete=True, items=out)


def _glossary_rename(ls: NntermServer, docs, uri, offset, new_name, open_uris, versioned, cancel):
    analysis = ls.state.analysis(docs[uri])
    if analysis.format.name != "latex":
        return None
    glossary, by_path = _glossary_set(ls, cancel)
    by_path[analysis.path] = analysis
    changes = F.glossary.rename(analysis, glossary, offset, new_name, by_path)
    if changes is None:
        return None
    per_doc = {}
    frozen = {}
    for path, edits in changes.items():
        d = next((d for d in docs.values() if os.path.abspath(d.path) == os.path.abspath(path)), None) or _doc_for_path(ls, path)
        if d is None:
            continue
        frozen[d.uri] = d
        per_doc[d.uri] = [T.TextEdit(range=ls.lsp_range(d.index, s, e), new_text=t) for s, e, t in edits]
    if not per_doc:
        return Raw(None), []
    if versioned:
        edit = T.WorkspaceEdit(document_changes=[_versioned_edit(ls, frozen[u], e, open_uris) for u, e in per_doc.items()])
    else:
        edit = T.WorkspaceEdit(changes=per_doc)
    return Raw(ls.converter.unstructure(edit)), [u for u in per_doc if u in docs]


@server.feature(T.TEXT_DOCUMENT_REFERENCES)
async def references(ls: NntermServer, params: T.ReferenceParams):
    at = await ls.at(params)
    if at is None:
        return None
    include = bool(params.context.include_declaration) if params.context else True
    return await _glossary(ls, at, lambda g, by: _locations(ls, by, F.glossary.references(at[1], g, at[2], include)))


@server.command(A.CMD_ADD_GLOSSARY_ENTRY)
async def cmd_add_glossary_entry(ls: NntermServer, uri: str, line: int, character: int, text: str):
    """Insert a new glossary entry (offered by completion) into the set's glossary file, by workspace/applyEdit."""
    await ls.wait_ready()
    if not isinstance(uri, str) or not isinstance(text, str) or not isinstance(line, int) or not isinstance(character, int):
        raise JsonRpcInvalidParams(f"{A.CMD_ADD_GLOSSARY_ENTRY} takes a uri, a line, a character and the entry text")
    edit = T.WorkspaceEdit(changes={uri: [T.TextEdit(range=T.Range(T.Position(line, character), T.Position(line, character)), new_text=text)]})
    result = await ls.workspace_apply_edit_async(T.ApplyWorkspaceEditParams(edit=edit, label="Add glossary entry"))
    return {"applied": bool(getattr(result, "applied", False))}


@server.command(A.CMD_INSERT_TERM_TABLE)
async def cmd_insert_term_table(ls: NntermServer, *args):
    """The set's term table (nnterm glossary): arguments [uri, line, character, format, style, sort], all optional
    after the uri. Returns {"text"}; with a position, the text is also inserted there by workspace/applyEdit."""
    await ls.wait_ready()
    args = list(args[0]) if len(args) == 1 and isinstance(args[0], list) else list(args)
    if not args or not isinstance(args[0], str):
        raise JsonRpcInvalidParams(f"{A.CMD_INSERT_TERM_TABLE} takes a document uri, then optionally line, character, format, style, sort")
    uri = args[0]
    line, character = (args[1], args[2]) if len(args) >= 3 and isinstance(args[1], int) and isinstance(args[2], int) else (None, None)
    from ..termtable import FORMATS, SORTS, STYLES, term_table

    live = ls.doc(uri)
    kind = live.kind if live is not None else None
    fmt = args[3] if len(args) > 3 and args[3] else ("latex" if kind == "latex" else "markdown")
    style = args[4] if len(args) > 4 and args[4] else "denotation"
    sort = args[5] if len(args) > 5 and args[5] else "pinyin"
    if fmt not in FORMATS or style not in STYLES or sort not in SORTS:
        raise JsonRpcInvalidParams(f"{A.CMD_INSERT_TERM_TABLE}: format {'|'.join(FORMATS)}, style {'|'.join(STYLES)}, sort {'|'.join(SORTS)}")

    def work(cancel):
        _g, by_path = _glossary_set(ls, cancel)
        here = uri_to_path(uri)
        return term_table(ls.state.engine, list(by_path.values()), fmt, style, sort,
                          relative_to=os.path.dirname(here) if here else None)

    text = await ls.run(work, executor=ls.executor)
    applied = None
    if line is not None:
        edit = T.WorkspaceEdit(changes={uri: [T.TextEdit(range=T.Range(T.Position(line, character), T.Position(line, character)), new_text=text)]})
        result = await ls.workspace_apply_edit_async(T.ApplyWorkspaceEditParams(edit=edit, label="Insert term table"))
        applied = bool(getattr(result, "applied", False))
    return {"text": text, "applied": applied}


# ----------------------------------------------------------------------------------------------------------------
# inlay hints, rename


@server.feature(T.TEXT_DOCUMENT_INLAY_HINT, T.InlayHintOptions(resolve_provider=False))
async def inlay_hints(ls: NntermServer, params: T.InlayHintParams):
    await ls.wait_ready()
    live = ls.doc(params.text_document.uri)
    if not ls.state.inlay_hints or live is None:
        return []
    doc = live.frozen()
    rng = params.range

    def work(cancel):
        index = doc.index
        start, end = index.offset(rng.start.line, rng.start.character), index.offset(rng.end.line, rng.end.character)
        analysis = ls.state.analysis(doc)
        hints = [
            T.InlayHint(
                position=T.Position(*index.position(h.offset)), label=h.label, padding_left=h.padding_left,
                tooltip=T.MarkupContent(kind=T.MarkupKind.Markdown, value=h.tooltip) if h.tooltip else None,
            )
            for h in F.inlay_hints.inlay_hints(ls.state.engine, analysis, start, end, ls.state.ui_lang(analysis))
        ]
        return Raw(ls.converter.unstructure(hints))

    result = await ls.run(work)
    ls.ensure_current(doc)
    return result


@server.feature(T.TEXT_DOCUMENT_PREPARE_RENAME)
async def prepare_rename(ls: NntermServer, params: T.PrepareRenameParams):
    at = await ls.at(params)
    if at is None:
        return None
    found = await _glossary(ls, at, lambda g, _by: F.glossary.prepare_rename(at[1], g, at[2]))
    if found is None and (found := F.navigation.prepare_rename(at[1], at[2])) is None:
        return None
    start, end, placeholder = found
    return T.PrepareRenamePlaceholder(range=ls.lsp_range(at[0].index, start, end), placeholder=placeholder)


def _versioned_edit(ls: NntermServer, doc: Document, text_edits, open_uris) -> T.TextDocumentEdit:
    # an open document's edits carry the version they were computed for (a file on disk: null)
    version = doc.version if doc.uri in open_uris else None
    return T.TextDocumentEdit(text_document=T.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=version), edits=text_edits)


@server.feature(T.TEXT_DOCUMENT_RENAME, T.RenameOptions(prepare_provider=True))
async def rename(ls: NntermServer, params: T.RenameParams):
    await ls.wait_ready()
    uri = params.text_document.uri
    new_name = params.new_name.strip()
    if ls.doc(uri) is None or not new_name:
        return None
    # every document of the set: the open ones and the workspace's chapters on disk
    snapshot = ls.state.snapshot()
    docs = {u: d for u, (_v, _t, d) in snapshot.items()}
    open_uris = set(ls.state.docs)
    line, character = params.position.line, params.position.character
    versioned = bool(ls.cap("workspace", "workspace_edit", "document_changes"))

    def work(cancel):
        doc = docs[uri]
        offset = doc.index.offset(line, character)
        if (keyed := _glossary_rename(ls, docs, uri, offset, new_name, open_uris, versioned, cancel)) is not None:
            return keyed

        def analyses():
            for u, d in docs.items():
                State._checkpoint(cancel)
                yield u, ls.state.analysis(d)

        changes = F.navigation.rename(ls.state.analysis(doc), offset, new_name, analyses())
        if not changes:
            return None
        per_doc = {}
        for u, edits in changes.items():
            State._checkpoint(cancel)
            index = docs[u].index
            per_doc[u] = [T.TextEdit(range=ls.lsp_range(index, s, e), new_text=t) for s, e, t in edits]
        if versioned:
            edit = T.WorkspaceEdit(document_changes=[_versioned_edit(ls, docs[u], e, open_uris) for u, e in per_doc.items()])
        else:
            edit = T.WorkspaceEdit(changes=per_doc)
        return Raw(ls.converter.unstructure(edit)), list(per_doc)

    result = await ls.run(work)
    if result is None:
        return None
    raw, touched = result
    ls.ensure_current(*(docs[u] for u in touched))
    return raw


# ----------------------------------------------------------------------------------------------------------------
# code actions and commands


def _workspace_edit(ls: NntermServer, doc: Document, edits, versioned: bool) -> T.WorkspaceEdit:
    index = doc.index
    text_edits = [T.TextEdit(range=ls.lsp_range(index, e.start, e.end), new_text=e.new_text) for e in edits]
    if versioned:
        return T.WorkspaceEdit(
            document_changes=[T.TextDocumentEdit(text_document=T.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version), edits=text_edits)]
        )
    return T.WorkspaceEdit(changes={doc.uri: text_edits})


@server.feature(
    T.TEXT_DOCUMENT_CODE_ACTION,
    T.CodeActionOptions(code_action_kinds=[T.CodeActionKind.QuickFix, T.CodeActionKind.RefactorRewrite, A.FIX_ALL], resolve_provider=False),
)
async def code_action(ls: NntermServer, params: T.CodeActionParams):
    await ls.wait_ready()
    uri = params.text_document.uri
    if ls.doc(uri) is None:
        return None
    snapshot = ls.state.snapshot()
    doc = snapshot[uri][2]
    rng = params.range
    only = params.context.only
    versioned = bool(ls.cap("workspace", "workspace_edit", "document_changes"))

    def work(cancel):
        engine = ls.state.engine
        result = ls.state.check(snapshot, None, cancel)
        findings = result[uri][1] if uri in result else []
        analysis = ls.state.analysis(doc)
        index = doc.index
        start = index.offset(rng.start.line, rng.start.character)
        end = index.offset(rng.end.line, rng.end.character)
        by_path = {d.path: d for (_v, _f, d) in result.values()}

        def wanted(kind: str) -> bool:
            return not only or any(kind == k or kind.startswith(f"{k}.") for k in only)

        ui = ls.state.ui_lang(analysis)
        out = []
        if wanted(A.FIX_ALL):
            edits = A.fix_all(findings)
            if edits:
                title = tr("fix_all_document", ui, n=len(edits))
                out.append(T.CodeAction(title=title, kind=A.FIX_ALL, edit=_workspace_edit(ls, doc, edits, versioned)))
        if not only or any(wanted(k) for k in (A.QUICKFIX, A.REFACTOR)):
            actions = A.code_actions(analysis, findings, start, end, engine.termbase, engine.occurrence_at, engine.preferred_text, ui, engine.usage)
            for action in actions:
                State._checkpoint(cancel)
                if not wanted(action.kind):
                    continue
                ca = T.CodeAction(title=action.title, kind=action.kind, is_preferred=action.preferred or None)
                if action.findings:
                    ca.diagnostics = [ls.converter.structure(ls.diagnostic_dict(index, f, by_path), T.Diagnostic) for f in action.findings]
                if action.edits:
                    ca.edit = _workspace_edit(ls, doc, action.edits, versioned)
                if action.command:
                    name, args = action.command
                    if name == A.CMD_ADD_TERM:
                        args = [*args, None, uri]  # the document it was asked from: its glosses, its language
                    ca.command = T.Command(title=action.title, command=name, arguments=args)
                out.append(ca)
        return Raw(ls.converter.unstructure(out))

    result = await ls.run(work)
    ls.ensure_current(doc)  # offsets and the edits' version belong to the text the client still has
    return result


def _read(path: str) -> str | None:
    """An existing file to edit (None when missing or unreadable: the command starts it afresh)."""
    return read_text(path)


def _config_target(ls: NntermServer) -> str:
    if ls.state.config_path:
        return ls.state.config_path
    base = ls.state.root or (os.path.dirname(next(iter(ls.state.docs.values())).path) if ls.state.docs else os.getcwd())
    return os.path.join(base, ".nnterm.yaml")


def _command_lang(ls: NntermServer, uri: str | None = None) -> str:
    """The language of a command's messages: the document it was asked from (else the first open one)."""
    doc = ls.state.document(uri) if uri else None
    if doc is None and ls.state.docs:
        doc = next(iter(ls.state.docs.values()))
    analysis = ls.state.cached_analysis(doc.frozen()) if doc is not None else None
    return ls.state.ui_lang(analysis)


def _one_edit(index, old: str, new: str) -> tuple[T.TextEdit, int, int]:
    """The smallest single edit turning ``old`` into ``new`` (what changed is what the editor shows and undoes):
    (edit, start, end of the inserted text in ``new``, in code points)."""
    p = 0
    n = min(len(old), len(new))
    while p < n and old[p] == new[p]:
        p += 1
    q = 0
    while q < n - p and old[len(old) - 1 - q] == new[len(new) - 1 - q]:
        q += 1
    (l1, c1), (l2, c2) = index.position(p), index.position(len(old) - q)
    edit = T.TextEdit(range=T.Range(T.Position(l1, c1), T.Position(l2, c2)), new_text=new[p : len(new) - q])
    return edit, p, len(new) - q


async def write_file(ls: NntermServer, path: str, new_text: str, label: str) -> dict:
    """Change a workspace file the way the writer can see and undo: ``workspace/applyEdit`` (CreateFile when it
    is new, then one TextEdit of what changed), then ``window/showDocument`` with the change selected. The file
    is left for the writer to save (the watcher reloads it then). A client without applyEdit: written directly,
    and a message says where."""
    from .positions import TextIndex

    old = _read(path)
    uri = path_to_uri(path)
    if old == new_text:
        return {"path": path, "applied": True, "changed": False}
    if not ls.cap("workspace", "apply_edit"):
        try:
            write_atomic(path, new_text)
        except OSError as exc:
            raise JsonRpcInternalError(f"cannot write {path}: {exc.strerror or exc}") from None
        ls.window_show_message(T.ShowMessageParams(type=T.MessageType.Info, message=tr("wrote", _command_lang(ls), path=path)))
        await ls.reload()
        return {"path": path, "applied": True, "written": True}
    index = TextIndex(old or "", ls.encoding)
    edit, s, e = _one_edit(index, old or "", new_text)
    changes: list = []
    if old is None:
        creates = T.ResourceOperationKind.Create in (ls.cap("workspace", "workspace_edit", "resource_operations") or [])
        if not creates:
            # the client cannot create files in an edit: the file starts empty on disk, the edit fills it
            try:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                write_atomic(path, "")
            except OSError as exc:
                raise JsonRpcInternalError(f"cannot create {path}: {exc.strerror or exc}") from None
        else:
            changes.append(T.CreateFile(uri=uri, options=T.CreateFileOptions(ignore_if_exists=True)))
    changes.append(T.TextDocumentEdit(text_document=T.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None), edits=[edit]))
    if ls.cap("workspace", "workspace_edit", "document_changes"):
        wedit = T.WorkspaceEdit(document_changes=changes)
    else:
        if old is None and changes and isinstance(changes[0], T.CreateFile):
            try:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                write_atomic(path, "")
            except OSError as exc:
                raise JsonRpcInternalError(f"cannot create {path}: {exc.strerror or exc}") from None
        wedit = T.WorkspaceEdit(changes={uri: [edit]})
    result = await ls.workspace_apply_edit_async(T.ApplyWorkspaceEditParams(edit=wedit, label=label))
    if not result.applied:
        message = tr("not_applied", _command_lang(ls), path=path) + (f": {result.failure_reason}" if result.failure_reason else "")
        ls.window_show_message(T.ShowMessageParams(type=T.MessageType.Warning, message=message))
        return {"path": path, "applied": False}
    if ls.cap("window", "show_document", "support"):
        new_index = TextIndex(new_text, ls.encoding)
        try:
            await ls.window_show_document_async(
                T.ShowDocumentParams(uri=uri, take_focus=True, selection=ls.lsp_range(new_index, s, e))
            )
        except Exception:
            log.exception("window/showDocument failed")
    return {"path": path, "applied": True}


def _texts(n: int, *values) -> bool:
    return len(values) >= n and all(isinstance(v, str) for v in values[:n])


@server.command(A.CMD_SET_PREFERRED)
async def cmd_set_preferred(ls: NntermServer, concept_id: str = None, lang: str = None, text: str = None, *rest):
    """`preferred: {concept: {lang: text}}` in the workspace's .nnterm.yaml (created when missing)."""
    await ls.wait_ready()
    if not _texts(3, concept_id, lang, text) or not text.strip():
        raise JsonRpcInvalidParams(f"{A.CMD_SET_PREFERRED} takes three texts: a concept id, a language (zh or en) and the rendering")
    if concept_id not in ls.state.engine.termbase.concepts:
        raise JsonRpcInvalidParams(f"{A.CMD_SET_PREFERRED}: no concept {concept_id!r} in the term base")
    if lang not in ("zh", "en"):
        raise JsonRpcInvalidParams(f"{A.CMD_SET_PREFERRED}: the language is zh or en, not {lang!r}")
    path = _config_target(ls)
    label = tr("set_preferred", _command_lang(ls), text=text)
    return await write_file(ls, path, A.set_preferred_in_config(_read(path), concept_id, lang, text), label)


@server.command(A.CMD_DISABLE_RULE)
async def cmd_disable_rule(ls: NntermServer, code: str = None, *rest):
    """`rules: {code: off}` in the workspace's .nnterm.yaml."""
    await ls.wait_ready()
    from ..rules.registry import RULE_CODES

    if not isinstance(code, str) or code not in RULE_CODES:
        raise JsonRpcInvalidParams(f"{A.CMD_DISABLE_RULE} takes a rule code: one of {', '.join(RULE_CODES)}")
    path = _config_target(ls)
    return await write_file(ls, path, A.set_rule_in_config(_read(path), code, "off"), tr("disable_rule", _command_lang(ls), code=code))


@server.command(A.CMD_IGNORE_WORD)
async def cmd_ignore_word(ls: NntermServer, word: str = None, *rest):
    """`ignore: [word]` in the workspace's .nnterm.yaml: the word is never matched as a term (editor and CLI)."""
    await ls.wait_ready()
    if not isinstance(word, str) or not word.strip() or "\n" in word or "\r" in word:
        raise JsonRpcInvalidParams(f"{A.CMD_IGNORE_WORD} takes one word (a text on one line)")
    path = _config_target(ls)
    word = word.strip()
    return await write_file(ls, path, A.add_to_list_in_config(_read(path), "ignore", word), tr("not_a_term", _command_lang(ls), word=word))


async def ask_other_rendering(ls: NntermServer, word: str, uri: str | None, ui: str) -> str | None:
    """Ask the writer for the other language's rendering of a new term (``window/showMessageRequest`` with the
    renderings the document itself gives in parentheses, and "same in both languages"); None: not asked, or no
    answer (the entry then carries a TODO)."""
    if not ls.cap("window", "show_message", "message_action_item"):
        return None
    choices: list[str] = []
    doc = ls.state.document(uri) if uri else None
    if doc is not None:
        analysis = await ls.run(lambda cancel: ls.state.analysis(doc.frozen()))
        choices = A.gloss_after(analysis, word)
    same = tr("same_word", ui)
    has_han = any(A.is_han(c) for c in word)
    question = tr("ask_english" if has_han else "ask_chinese", ui, word=word)
    actions = [T.MessageActionItem(title=c) for c in choices] + ([] if has_han else [T.MessageActionItem(title=same)])
    if not actions:
        return None
    try:
        answer = await ls.window_show_message_request_async(T.ShowMessageRequestParams(type=T.MessageType.Info, message=question, actions=actions))
    except Exception:
        log.exception("window/showMessageRequest failed")
        return None
    if answer is None or answer.title == same:
        return None if answer is None else word
    return answer.title


@server.command(A.CMD_ADD_TERM)
async def cmd_add_term(ls: NntermServer, word: str = None, other: str | None = None, uri: str | None = None, *rest):
    """A concept for ``word`` in the workspace term file (.nnterm/terms.yaml, referenced from .nnterm.yaml).
    ``other``: its rendering in the other language (a client with an input box passes it); else it is asked with
    ``window/showMessageRequest``; without an answer the entry says what to fill in (TODO)."""
    await ls.wait_ready()
    if not isinstance(word, str) or not word.strip() or "\n" in word or "\r" in word:
        raise JsonRpcInvalidParams(f"{A.CMD_ADD_TERM} takes one word (a text on one line)")
    if other is not None and (not isinstance(other, str) or "\n" in other):
        raise JsonRpcInvalidParams(f"{A.CMD_ADD_TERM}: the second argument is the other language's rendering (one line)")
    word = word.strip()
    ui = _command_lang(ls, uri if isinstance(uri, str) else None)
    if other is None:
        other = await ask_other_rendering(ls, word, uri if isinstance(uri, str) else None, ui)
    config_path = _config_target(ls)
    root = os.path.dirname(config_path)
    terms_path = os.path.join(root, A.TERMS_FILE)
    new_text, cid = A.add_concept_to_term_file(_read(terms_path), word, set(ls.state.engine.termbase.concepts), other)
    label = tr("add_term", ui, word=word, file=A.TERMS_FILE)
    config_result = await write_file(ls, config_path, A.add_terms_file_to_config(_read(config_path), A.TERMS_FILE), label)
    result = await write_file(ls, terms_path, new_text, label)
    return {**result, "id": cid, "config": config_result}


@server.command(TV.CMD_TERM_TABLE)
async def cmd_term_table(ls: NntermServer, *args):
    """The document set's terminology table (docs: README, "The language server"): concepts, renderings, ranges."""
    await ls.wait_ready()
    snapshot = ls.state.snapshot()

    def work(cancel):
        result = ls.state.check(snapshot, None, cancel)
        docs = {d.path: d for (_v, _f, d) in result.values()}
        table = TV.term_table([ls.state.analysis(d) for d in docs.values()], ls.state.engine.termbase, ls.state.engine.preferred_text)
        return Raw({"concepts": TV.table_json(table, lambda p, s, e: (docs[p].uri, ls.range_dict(docs[p].index, s, e)) if p in docs else None)})

    return await ls.run(work)


@server.command(TV.CMD_UNIFY_TERM)
async def cmd_unify_term(ls: NntermServer, concept_id: str, lang: str, text: str):
    """Rewrite every other rendering of a concept in one language to ``text``, through workspace/applyEdit."""
    await ls.wait_ready()
    if not all(isinstance(v, str) for v in (concept_id, lang, text)) or not text.strip() or lang not in ("zh", "en"):
        raise JsonRpcInvalidParams(f"{TV.CMD_UNIFY_TERM} takes three texts: a concept id, a language (zh or en) and the rendering")
    snapshot = ls.state.snapshot()
    open_uris = set(ls.state.docs)

    def work(cancel):
        result = ls.state.check(snapshot, None, cancel)
        docs = {d.path: d for (_v, _f, d) in result.values()}
        changes = TV.unify_edits([ls.state.analysis(d) for d in docs.values()], concept_id, lang, text.strip())
        edits = [
            _versioned_edit(ls, docs[p], [T.TextEdit(range=ls.lsp_range(docs[p].index, s, e), new_text=t) for s, e, t in spans], open_uris)
            for p, spans in changes.items()
        ]
        return edits, [docs[p] for p in changes]

    edits, touched = await ls.run(work)
    if not edits:
        return {"applied": True, "edits": 0, "files": 0}
    ls.ensure_current(*(d for d in touched if d.uri in open_uris))
    label = f"统一为“{text.strip()}”" if lang == "zh" else f"Unify to '{text.strip()}'"
    answer = await ls.workspace_apply_edit_async(T.ApplyWorkspaceEditParams(edit=T.WorkspaceEdit(document_changes=edits), label=label))
    return {"applied": bool(answer.applied), "edits": sum(len(e.edits) for e in edits), "files": len(edits)}


# ----------------------------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="nnterm-ls", description="Language server for neural-network terminology (Markdown, LaTeX)")
    parser.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default)")
    parser.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP for debugging, e.g. 127.0.0.1:2087")
    parser.add_argument("--log-file", help="write a debug log here")
    parser.add_argument("--version", action="version", version=f"nnterm-ls {__version__}")
    args = parser.parse_args(argv)
    if args.log_file:
        logging.basicConfig(filename=args.log_file, level=logging.DEBUG)
    else:
        logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    # a worker checking a large document holds the GIL in slices: short slices keep hover and completion prompt
    sys.setswitchinterval(0.001)
    if args.tcp:
        host, _, port = args.tcp.rpartition(":")
        server.start_tcp(host or "127.0.0.1", int(port))
        return 0
    server.start_io()
    # the client closed the connection: leave without waiting for a busy worker (status 1 without a shutdown)
    _hard_exit(0 if server.protocol._shutdown else 1)
    return 0
