"""Prose extraction: Markdown and LaTeX documents -> a masked prose view with offsets unchanged."""

from __future__ import annotations

from pathlib import PurePath

from .latex import extract_latex
from .markdown import extract_markdown
from .prose import HARD, SOFT, SPACE, Prose

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
LATEX_SUFFIXES = (".tex", ".ltx", ".latex")
LANGUAGE_IDS = {"markdown": "markdown", "latex": "latex", "tex": "latex", "plaintex": "latex", "context": "latex"}


def kind_of(path: str | None, language_id: str | None = None) -> str | None:
    """'markdown', 'latex' or None, from an editor's language id or else the file name."""
    if language_id and language_id.lower() in LANGUAGE_IDS:
        return LANGUAGE_IDS[language_id.lower()]
    if path:
        suffix = PurePath(path).suffix.lower()
        if suffix in MARKDOWN_SUFFIXES:
            return "markdown"
        if suffix in LATEX_SUFFIXES:
            return "latex"
    return None


def extract(text: str, kind: str, *, latex_commands=(), latex_environments=()) -> Prose:
    if kind == "latex":
        return extract_latex(text, latex_commands, latex_environments)
    if kind == "markdown":
        return extract_markdown(text)
    return Prose(source=text, masked=text, kind="plaintext")


__all__ = ["extract", "extract_markdown", "extract_latex", "kind_of", "Prose", "HARD", "SOFT", "SPACE",
           "MARKDOWN_SUFFIXES", "LATEX_SUFFIXES"]
