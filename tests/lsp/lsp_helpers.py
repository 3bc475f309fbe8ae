"""Helpers for the end-to-end tests: capabilities, a recording client, and a Session over one server process."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from lsprotocol import types as T
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, LanguageClient, register_lsp_features
from pygls.protocol import default_converter
from shared_guard import missing

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO / ".." / "shared"
CORPUS = SHARED / "corpus" / "d2l-zh"


def corpus_or_skip() -> Path:
    """../shared/corpus/d2l-zh, or skip the test (a failure when NNTERM_REQUIRE_SHARED=1, as in CI)."""
    if not CORPUS.is_dir():
        missing("../shared/corpus/d2l-zh is not present")
    return CORPUS.resolve()


def capabilities(
    *,
    encodings: list[str] | None = None,
    pull: bool = False,
    watch: bool = True,
    progress: bool = True,
    configuration: bool = True,
    document_changes: bool = False,
    refresh: bool = False,
    editing: bool = False,
) -> T.ClientCapabilities:
    """``editing``: the client applies workspace edits (workspace/applyEdit, CreateFile), shows documents and asks
    questions with buttons, as VS Code and Neovim do."""
    general = T.GeneralClientCapabilities(position_encodings=[T.PositionEncodingKind(e) for e in encodings]) if encodings else None
    return T.ClientCapabilities(
        general=general,
        workspace=T.WorkspaceClientCapabilities(
            configuration=configuration,
            apply_edit=editing or None,
            did_change_watched_files=T.DidChangeWatchedFilesClientCapabilities(dynamic_registration=watch),
            workspace_edit=T.WorkspaceEditClientCapabilities(
                document_changes=document_changes or editing,
                resource_operations=[T.ResourceOperationKind.Create] if editing else None,
            ),
            diagnostics=T.DiagnosticWorkspaceClientCapabilities(refresh_support=refresh) if pull else None,
            inlay_hint=T.InlayHintWorkspaceClientCapabilities(refresh_support=refresh),
        ),
        text_document=T.TextDocumentClientCapabilities(
            diagnostic=T.DiagnosticClientCapabilities() if pull else None,
            publish_diagnostics=T.PublishDiagnosticsClientCapabilities(version_support=True, related_information=True),
            hover=T.HoverClientCapabilities(content_format=[T.MarkupKind.Markdown, T.MarkupKind.PlainText]),
            completion=T.CompletionClientCapabilities(
                completion_item=T.ClientCompletionItemOptions(snippet_support=False, documentation_format=[T.MarkupKind.Markdown, T.MarkupKind.PlainText])
            ),
            code_action=T.CodeActionClientCapabilities(
                code_action_literal_support=T.ClientCodeActionLiteralOptions(
                    code_action_kind=T.ClientCodeActionKindOptions(value_set=[k for k in T.CodeActionKind])
                )
            ),
            rename=T.RenameClientCapabilities(prepare_support=True),
        ),
        window=T.WindowClientCapabilities(
            work_done_progress=progress,
            show_document=T.ShowDocumentClientCapabilities(support=True) if editing else None,
            show_message=T.ShowMessageRequestClientCapabilities(message_action_item=T.ClientShowMessageActionItemOptions(additional_properties_support=False)) if editing else None,
        ),
    )


async def wait_until(predicate, timeout: float = 20.0, what: str = "condition"):
    """Poll ``predicate`` (on the event loop, so notifications keep arriving) until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


async def poll(request, predicate=bool, timeout: float = 20.0, what: str = "a request's answer"):
    """Repeat an async request until its result satisfies ``predicate`` (for state the server updates in the
    background, e.g. after a reload); returns that result."""
    deadline = time.monotonic() + timeout
    while True:
        value = await request()
        if predicate(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; last: {value!r}")
        await asyncio.sleep(0.02)


class Session:
    """One server process and its client, with helpers for documents and published diagnostics."""

    def __init__(self, client: LanguageClient, root: Path) -> None:
        self.client = client
        self.root = root
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}
        self.published: list[T.PublishDiagnosticsParams] = client.published  # type: ignore[attr-defined]

    def uri(self, name: str) -> str:
        return (self.root / name).as_uri()

    def open(self, name: str, text: str, language_id: str | None = None, write: bool = False) -> str:
        path = self.root / name
        if write:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        uri = path.as_uri()
        if language_id is None:
            language_id = "latex" if name.endswith(".tex") else "markdown"
        self.versions[uri] = 1
        self.texts[uri] = text
        self.client.text_document_did_open(T.DidOpenTextDocumentParams(T.TextDocumentItem(uri=uri, language_id=language_id, version=1, text=text)))
        return uri

    def change(self, uri: str, text: str) -> int:
        """A full-text change; returns the new version."""
        version = self.versions[uri] + 1
        self.versions[uri] = version
        self.texts[uri] = text
        self.client.text_document_did_change(
            T.DidChangeTextDocumentParams(
                text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[T.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return version

    def edit(self, uri: str, rng: T.Range, text: str) -> int:
        version = self.versions[uri] + 1
        self.versions[uri] = version
        self.client.text_document_did_change(
            T.DidChangeTextDocumentParams(
                text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[T.TextDocumentContentChangePartial(range=rng, text=text)],
            )
        )
        return version

    def close(self, uri: str) -> None:
        self.client.text_document_did_close(T.DidCloseTextDocumentParams(T.TextDocumentIdentifier(uri)))

    def latest(self, uri: str) -> T.PublishDiagnosticsParams | None:
        for p in reversed(self.published):
            if p.uri == uri:
                return p
        return None

    async def diagnostics(self, uri: str, version: int | None = None, predicate=None, timeout: float = 20.0) -> list[T.Diagnostic]:
        """The latest published diagnostics of ``uri`` (for ``version`` when given, else the current one)."""
        want = self.versions.get(uri) if version is None else version

        def ready():
            p = self.latest(uri)
            if p is None or (want is not None and p.version != want):
                return None
            if predicate is not None and not predicate(p.diagnostics):
                return None
            return p

        p = await wait_until(ready, timeout, f"diagnostics of {uri} v{want}")
        return list(p.diagnostics)

    # -- requests --------------------------------------------------------------------------------------------------
    async def hover(self, uri: str, line: int, character: int):
        return await self.client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(uri), T.Position(line, character)))

    async def complete(self, uri: str, line: int, character: int):
        return await self.client.text_document_completion_async(
            T.CompletionParams(T.TextDocumentIdentifier(uri), T.Position(line, character))
        )

    async def actions(self, uri: str, rng: T.Range, only=None, diagnostics=()):
        return await self.client.text_document_code_action_async(
            T.CodeActionParams(T.TextDocumentIdentifier(uri), rng, T.CodeActionContext(diagnostics=list(diagnostics), only=only))
        )


def _converter():
    """lsprotocol's converter reads any code action that carries a command as a Command (the union is decided by
    the presence of a "command" key); decide by its type instead, as editors do."""
    from typing import Union

    converter = default_converter()

    def code_action_or_command(obj, _type):
        if isinstance(obj.get("command"), str):
            return converter.structure(obj, T.Command)
        return converter.structure(obj, T.CodeAction)

    converter.register_structure_hook(Union[T.Command, T.CodeAction], code_action_or_command)
    return converter


def make_client() -> LanguageClient:
    client = LanguageClient(converter_factory=_converter)
    client.published = []  # type: ignore[attr-defined]

    def publish(ls, params: T.PublishDiagnosticsParams):
        ls.diagnostics[params.uri] = params.diagnostics
        ls.published.append(params)

    client.registrations = []  # type: ignore[attr-defined]

    def register_capability(ls, params: T.RegistrationParams):
        ls.registrations.extend(params.registrations)

    client.applied_edits = []  # type: ignore[attr-defined]

    def apply_edit(ls, params: T.ApplyWorkspaceEditParams):
        ls.applied_edits.append(params)
        return T.ApplyWorkspaceEditResult(applied=True)

    client.shown_documents = []  # type: ignore[attr-defined]

    def show_document(ls, params: T.ShowDocumentParams):
        ls.shown_documents.append(params)
        return T.ShowDocumentResult(success=True)

    # window/showMessageRequest: the questions asked, answered by ``client.answer(params)`` (default: the first action)
    client.message_requests = []  # type: ignore[attr-defined]
    client.answer = lambda params: params.actions[0] if params.actions else None  # type: ignore[attr-defined]

    def show_message_request(ls, params: T.ShowMessageRequestParams):
        ls.message_requests.append(params)
        return ls.answer(params)

    features = dict(DEFAULT_CLIENT_FEATURES)
    features[T.WINDOW_SHOW_DOCUMENT] = show_document
    features[T.WINDOW_SHOW_MESSAGE_REQUEST] = show_message_request
    features[T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    features[T.CLIENT_REGISTER_CAPABILITY] = register_capability
    features[T.WORKSPACE_APPLY_EDIT] = apply_edit
    register_lsp_features(client, features)
    return client


