"""A deliberately wrong stand-in for nnterm-ls (pygls), used by `tests/editors/run.sh --self-test` to prove that
each editor suite fails when the server answers wrongly: diagnostics one character off, a hover naming the wrong
concept, completion without the expected term."""
import sys

from lsprotocol import types as T
from pygls.lsp.server import LanguageServer

server = LanguageServer("nnterm-ls-broken", "0")


def _publish(ls, uri):
    doc = ls.workspace.get_text_document(uri)
    diags = []
    for i, line in enumerate(doc.lines):
        for word in ("批归一化", "relu"):
            col = line.find(word)
            if col >= 0:  # one character too far right
                rng = T.Range(T.Position(i, col + 1), T.Position(i, col + 1 + len(word)))
                diags.append(T.Diagnostic(rng, "术语不一致：应为 层归一化", code="inconsistent", source="nnterm"))
    ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=diags))


@server.feature(T.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls, params):
    _publish(ls, params.text_document.uri)


@server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls, params):
    _publish(ls, params.text_document.uri)


@server.feature(T.TEXT_DOCUMENT_HOVER)
def hover(ls, params):
    return T.Hover(contents=T.MarkupContent(kind=T.MarkupKind.Markdown, value="**层归一化** layer normalization"))


@server.feature(T.TEXT_DOCUMENT_COMPLETION)
def completion(ls, params):
    return T.CompletionList(is_incomplete=False, items=[T.CompletionItem(label="激活值")])


if __name__ == "__main__":
    server.start_io()
    sys.exit(0)
