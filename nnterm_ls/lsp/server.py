"""The pygls language server: wires LSP features to the engine (through state, completion, actions and views).

No matching or rule logic lives here. Heavy loading (term base, matcher, pinyin) happens on a worker thread after
``initialize`` has been answered; requests wait for it.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import logging
import os
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor

from lsprotocol import types as T
from pygls.capabilities import ServerCapabilitiesBuilder
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

from .. import __version__
from ..extract import suffixes as document_suffixes
from ..fsutil import read_text, write_atomic
from ..severity import LSP_SEVERITY
from . import features as F
from .features import actions as A
from .features.completion import complete
from .documents import Document, make_document, path_to_uri, uri_to_path
from .positions import normalize_encoding
from .state import State

log = logging.getLogger("nnterm_ls.lsp")

SEVERITY = {name: T.DiagnosticSeverity(value) for name, value in LSP_SEVERITY.items()}
SOURCE = "nnterm"


class Protocol(LanguageServerProtocol):
    """Document sync without pygls's TextDocument copies: the server keeps its own documents and line indexes."""

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


class NntermServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("nnterm-ls", __version__, protocol_cls=Protocol, text_document_sync_kind=T.TextDocumentSyncKind.Incremental)
        self.state = State()
        self.encoding = "utf-16"
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nnterm-engine")
        self.ready: asyncio.Event | None = None
        self.settings_ready: asyncio.Event | None = None
        self._dirty: asyncio.Event | None = None
        self._loop_task: asyncio.Task | None = None
        self._published: dict[str, tuple[int | None, tuple]] = {}
        self._problem_paths: set[str] = set()
        self._first_check_done = False
        self._result_ids: dict[str, str] = {}

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

    # -- conversions -----------------------------------------------------------------------------------------------
    @staticmethod
    def lsp_range(index, start: int, end: int) -> T.Range:
        (l1, c1), (l2, c2) = index.position(start), index.position(end)
        return T.Range(T.Position(l1, c1), T.Position(l2, c2))

    def doc(self, uri: str) -> Document | None:
        return self.state.docs.get(uri)

    async def at(self, params):
        """(document, analysis, offset) of a text-document-position request, once loaded; None if not ours."""
        await self.wait_ready()
        doc = self.doc(params.text_document.uri)
        if doc is None:
            return None
        return doc, self.state.analysis(doc), doc.index.offset(params.position.line, params.position.character)

    async def wait_ready(self) -> None:
        """The term base is loaded and the client's settings have been asked for."""
        await self.ready.wait()
        await self.settings_ready.wait()

    # -- diagnostics -----------------------------------------------------------------------------------------------
    def docs_by_path(self) -> dict[str, Document]:
        """Every document of the checked set by path (an open buffer wins over its file on disk)."""
        by_path = {d.path: d for d in self.state.disk.values()}
        by_path.update({d.path: d for d in self.state.docs.values()})
        return by_path

    def to_diagnostic(self, index, finding, by_path: dict[str, Document] | None = None) -> T.Diagnostic:
        related = None
        if finding.related:
            related = []
            if by_path is None:
                by_path = self.docs_by_path()
            for r in finding.related:
                rdoc = by_path.get(r.path)
                if rdoc is None:
                    continue
                related.append(T.DiagnosticRelatedInformation(T.Location(rdoc.uri, self.lsp_range(rdoc.index, r.start, r.end)), r.message))
        return T.Diagnostic(
            range=self.lsp_range(index, finding.start, finding.end),
            message=finding.message,
            severity=SEVERITY.get(finding.severity, T.DiagnosticSeverity.Warning),
            code=finding.code,
            source=SOURCE,
            related_information=related or None,
            data={"concept": finding.concept_id, "suggestion": finding.suggestion},
        )

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

                result = await loop.run_in_executor(self.executor, self.state.check, snapshot, progress)
                if token is not None:
                    self.work_done_progress.end(token, T.WorkDoneProgressEnd(message=f"checked {len(snapshot)} documents"))
                self._first_check_done = True
            except Exception:
                log.exception("check failed")
                continue
            self.publish(result)

    def publish(self, result) -> None:
        by_path = self.docs_by_path()  # once per publish: related locations point across the whole set
        for uri, (version, findings) in result.items():
            doc = self.state.document(uri)
            if doc is None or doc.version != version:
                continue  # stale: a newer version is on its way
            index = doc.index
            diagnostics = [self.to_diagnostic(index, f, by_path) for f in findings]
            key = tuple((d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.code, d.message) for d in diagnostics)
            # a document whose version changed is always published (its diagnostics belong to that version);
            # the others only when their findings changed (cross-document consistency)
            if self._published.get(uri) == (version, key):
                continue
            self._published[uri] = (version, key)
            # a file that is not open is published without a version (it is the file as saved)
            shown = version if uri in self.state.docs else None
            self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=shown))

    def publish_file_problems(self) -> None:
        """Broken term files and configuration: diagnostics in those files."""
        problems = self.state.file_problems()
        paths = set(problems) | self._problem_paths
        for path in paths:
            items = problems.get(path, [])
            diagnostics = []
            for p in items:
                line = max(0, p.line - 1)
                col = max(0, p.column - 1)
                diagnostics.append(
                    T.Diagnostic(
                        range=T.Range(T.Position(line, col), T.Position(line, col + 1000)),
                        message=p.message,
                        severity=SEVERITY.get(p.severity, T.DiagnosticSeverity.Error),
                        source=SOURCE,
                    )
                )
            if diagnostics or path in self._problem_paths:
                self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=path_to_uri(path), diagnostics=diagnostics))
        self._problem_paths = {p for p, items in problems.items() if items}

    async def reload(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self.executor, self.state.load)
        self._published.clear()
        self.publish_file_problems()
        self.schedule_check()
        if self.cap("workspace", "inlay_hint", "refresh_support"):
            self.workspace_inlay_hint_refresh(None)
        if not self.push_diagnostics and self.cap("workspace", "diagnostics", "refresh_support"):
            self.workspace_diagnostic_refresh(None)


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

    fut = loop.run_in_executor(ls.executor, ls.state.load)
    fut.add_done_callback(loaded)
    ls._loop_task = loop.create_task(ls.diagnostics_loop())


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
        await asyncio.get_running_loop().run_in_executor(ls.executor, ls.state.rebuild_engine)
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
    if ls.state.docs.pop(uri, None) is None:
        return
    ls.state._analyses.pop(uri, None)
    path = uri_to_path(uri)
    if ls.state.is_workspace_file(path) and ls.state.refresh_disk(path) is not None:
        ls._published.pop(uri, None)  # still checked, as saved on disk: republished by the next check
    elif ls._published.pop(uri, None) is not None and ls.push_diagnostics:
        ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
    ls.schedule_check()  # the remaining documents' cross-document findings may change


# ----------------------------------------------------------------------------------------------------------------
# pull diagnostics


def _result_id(ls: NntermServer, version, diagnostics) -> str:
    h = hashlib.sha1(repr((ls.state.generation, version, [(d.range, d.code, d.message) for d in diagnostics])).encode()).hexdigest()[:16]
    return h


@server.feature(T.TEXT_DOCUMENT_DIAGNOSTIC, T.DiagnosticOptions(identifier=SOURCE, inter_file_dependencies=True, workspace_diagnostics=True))
async def document_diagnostic(ls: NntermServer, params: T.DocumentDiagnosticParams):
    await ls.wait_ready()
    doc = ls.doc(params.text_document.uri)
    if doc is None:
        return T.RelatedFullDocumentDiagnosticReport(items=[])
    result = await asyncio.get_running_loop().run_in_executor(ls.executor, ls.state.check)
    version, findings = result.get(doc.uri, (doc.version, []))
    diagnostics = [ls.to_diagnostic(doc.index, f) for f in findings]
    rid = _result_id(ls, version, diagnostics)
    if params.previous_result_id == rid:
        return T.RelatedUnchangedDocumentDiagnosticReport(result_id=rid)
    return T.RelatedFullDocumentDiagnosticReport(items=diagnostics, result_id=rid)


@server.feature(T.WORKSPACE_DIAGNOSTIC)
async def workspace_diagnostic(ls: NntermServer, params: T.WorkspaceDiagnosticParams):
    await ls.wait_ready()
    previous = {p.uri: p.value for p in params.previous_result_ids or []}
    result = await asyncio.get_running_loop().run_in_executor(ls.executor, ls.state.check)
    by_path = ls.docs_by_path()
    items = []
    for uri, (version, findings) in result.items():
        doc = ls.state.document(uri)
        if doc is None:
            continue
        await asyncio.sleep(0)  # cancellable between documents
        diagnostics = [ls.to_diagnostic(doc.index, f, by_path) for f in findings]
        rid = _result_id(ls, version, diagnostics)
        if previous.get(uri) == rid:
            items.append(T.WorkspaceUnchangedDocumentDiagnosticReport(uri=uri, version=version, result_id=rid))
        else:
            items.append(T.WorkspaceFullDocumentDiagnosticReport(uri=uri, version=version, items=diagnostics, result_id=rid))
    return T.WorkspaceDiagnosticReport(items=items)


# ----------------------------------------------------------------------------------------------------------------
# hover, completion, highlights, definition


@server.feature(T.TEXT_DOCUMENT_HOVER)
async def hover(ls: NntermServer, params: T.HoverParams):
    at = await ls.at(params)
    if at is None or (found := F.hover.hover(ls.state.engine, at[1], at[2])) is None:
        return None
    value, start, end = found
    return T.Hover(contents=T.MarkupContent(kind=T.MarkupKind.Markdown, value=value), range=ls.lsp_range(at[0].index, start, end))


@server.feature(T.TEXT_DOCUMENT_COMPLETION, T.CompletionOptions(resolve_provider=False))
async def completion(ls: NntermServer, params: T.CompletionParams):
    at = await ls.at(params)
    if at is None:
        return None
    doc, analysis, offset = at
    settings = ls.state.settings
    candidates = complete(
        ls.state.cindex, ls.state.engine.preferred_text, analysis, offset, style=ls.state.completion_style, limit=settings.max_completion_items
    )
    if not candidates:
        return T.CompletionList(is_incomplete=True, items=[])
    index = doc.index
    items = []
    for c in candidates:
        rng = ls.lsp_range(index, c.start, c.end)
        items.append(
            T.CompletionItem(
                label=c.label,
                kind=T.CompletionItemKind.Snippet if c.kind == "gloss" else T.CompletionItemKind.Text,
                detail=c.detail,
                sort_text=f"{c.tier}{c.rank:04d}",
                filter_text=c.filter_text,
                text_edit=T.TextEdit(range=rng, new_text=c.insert),
                data={"concept": c.concept_id, "tier": ("exact", "prefix", "fuzzy")[c.tier]},
            )
        )
    return T.CompletionList(is_incomplete=True, items=items)


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
    targets = F.navigation.definition(ls.state.engine.termbase, at[1], at[2])
    return [T.Location(uri=path_to_uri(path), range=T.Range(T.Position(max(0, line - 1), 0), T.Position(max(0, line - 1), 0))) for path, line in targets] or None


# ----------------------------------------------------------------------------------------------------------------
# inlay hints, rename


@server.feature(T.TEXT_DOCUMENT_INLAY_HINT, T.InlayHintOptions(resolve_provider=False))
async def inlay_hints(ls: NntermServer, params: T.InlayHintParams):
    await ls.wait_ready()
    doc = ls.doc(params.text_document.uri)
    if not ls.state.inlay_hints or doc is None:
        return []
    index = doc.index
    start, end = index.offset(params.range.start.line, params.range.start.character), index.offset(params.range.end.line, params.range.end.character)
    return [
        T.InlayHint(position=T.Position(*index.position(h.offset)), label=h.label, padding_left=h.padding_left, tooltip=h.tooltip)
        for h in F.inlay_hints.inlay_hints(ls.state.engine, ls.state.analysis(doc), start, end)
    ]


@server.feature(T.TEXT_DOCUMENT_PREPARE_RENAME)
async def prepare_rename(ls: NntermServer, params: T.PrepareRenameParams):
    at = await ls.at(params)
    if at is None or (found := F.navigation.prepare_rename(at[1], at[2])) is None:
        return None
    start, end, placeholder = found
    return T.PrepareRenamePlaceholder(range=ls.lsp_range(at[0].index, start, end), placeholder=placeholder)


@server.feature(T.TEXT_DOCUMENT_RENAME, T.RenameOptions(prepare_provider=True))
async def rename(ls: NntermServer, params: T.RenameParams):
    at = await ls.at(params)
    if at is None or not params.new_name.strip():
        return None
    # every document of the set: the open ones and the workspace's chapters on disk
    docs = {uri: d for uri, (_v, _t, d) in ls.state.snapshot().items()}
    changes = F.navigation.rename(at[1], at[2], params.new_name.strip(), ((uri, ls.state.analysis(d)) for uri, d in docs.items()))
    if not changes:
        return None
    return T.WorkspaceEdit(changes={uri: [T.TextEdit(range=ls.lsp_range(docs[uri].index, s, e), new_text=t) for s, e, t in edits] for uri, edits in changes.items()})


# ----------------------------------------------------------------------------------------------------------------
# code actions and commands


def _workspace_edit(ls: NntermServer, doc: Document, edits) -> T.WorkspaceEdit:
    text_edits = [T.TextEdit(range=ls.lsp_range(doc.index, e.start, e.end), new_text=e.new_text) for e in edits]
    if ls.cap("workspace", "workspace_edit", "document_changes"):
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
    doc = ls.doc(params.text_document.uri)
    if doc is None:
        return None
    analysis = ls.state.analysis(doc)
    findings = await asyncio.get_running_loop().run_in_executor(ls.executor, ls.state.findings, doc)
    index = doc.index
    start = index.offset(params.range.start.line, params.range.start.character)
    end = index.offset(params.range.end.line, params.range.end.character)
    only = params.context.only
    engine = ls.state.engine

    def wanted(kind: str) -> bool:
        return not only or any(kind == k or kind.startswith(f"{k}.") for k in only)

    out = []
    if wanted(A.FIX_ALL):
        edits = A.fix_all(findings)
        if edits:
            out.append(T.CodeAction(title="Fix all terminology issues in this document", kind=A.FIX_ALL, edit=_workspace_edit(ls, doc, edits)))
    if only and not any(wanted(k) for k in (A.QUICKFIX, A.REFACTOR)):
        return out
    for action in A.code_actions(analysis, findings, start, end, engine.termbase, engine.occurrence_at, engine.preferred_text):
        if not wanted(action.kind):
            continue
        ca = T.CodeAction(title=action.title, kind=action.kind, is_preferred=action.preferred or None)
        if action.findings:
            ca.diagnostics = [ls.to_diagnostic(index, f) for f in action.findings]
        if action.edits:
            ca.edit = _workspace_edit(ls, doc, action.edits)
        if action.command:
            name, args = action.command
            ca.command = T.Command(title=action.title, command=name, arguments=args)
        out.append(ca)
    return out


def _read(path: str) -> str | None:
    """An existing file to edit (None when missing or unreadable: the command starts it afresh)."""
    return read_text(path)


def _config_target(ls: NntermServer) -> str:
    if ls.state.config_path:
        return ls.state.config_path
    base = ls.state.root or (os.path.dirname(next(iter(ls.state.docs.values())).path) if ls.state.docs else os.getcwd())
    return os.path.join(base, ".nnterm.yaml")


@server.command(A.CMD_SET_PREFERRED)
async def cmd_set_preferred(ls: NntermServer, concept_id: str, lang: str, text: str):
    """Write `preferred: {concept: {lang: text}}` into the workspace's .nnterm.yaml (created when missing)."""
    await ls.wait_ready()
    path = _config_target(ls)
    write_atomic(path, A.set_preferred_in_config(_read(path), concept_id, lang, text))
    await ls.reload()
    return {"path": path}


@server.command(A.CMD_ADD_TERM)
async def cmd_add_term(ls: NntermServer, word: str):
    """Add a concept for ``word`` to the workspace term file and reference that file from .nnterm.yaml."""
    await ls.wait_ready()
    config_path = _config_target(ls)
    root = os.path.dirname(config_path)
    terms_path = os.path.join(root, A.TERMS_FILE)
    new_text, cid = A.add_concept_to_term_file(_read(terms_path), word, set(ls.state.engine.termbase.concepts))
    write_atomic(terms_path, new_text)
    write_atomic(config_path, A.add_terms_file_to_config(_read(config_path), A.TERMS_FILE))
    await ls.reload()
    return {"path": terms_path, "id": cid}


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
    if args.tcp:
        host, _, port = args.tcp.rpartition(":")
        server.start_tcp(host or "127.0.0.1", int(port))
    else:
        server.start_io()
    return 0
