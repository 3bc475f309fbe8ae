"""The server's features as plain functions over analyses and offsets: no LSP types, no I/O, testable without a
process. ``lsp/server.py`` converts their results (code-point offsets) into LSP objects in a few lines each."""

from . import actions, completion, glossary, hover, inlay_hints, navigation, terms

__all__ = ["actions", "completion", "glossary", "hover", "inlay_hints", "navigation", "terms"]
