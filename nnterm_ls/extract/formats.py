"""The document-format registry: everything the engine, the CLI and the server need to know about one format.

A ``Format`` names its file suffixes and editor language ids, extracts the prose view, parses *and* writes the
suppression comments, tells headings and follows includes. Adding a format (reStructuredText, Typst) is one module
that builds a ``Format`` and registers it; nothing else switches on format names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from .prose import Prose


@dataclass(frozen=True)
class ExtractOptions:
    latex_commands: tuple | dict = ()
    latex_environments: tuple = ()


@dataclass(frozen=True)
class Format:
    name: str  # the document kind the engine reports ("markdown", "mdx", "latex")
    suffixes: tuple[str, ...]
    language_ids: tuple[str, ...]
    extract: Callable[[str, ExtractOptions], Prose]
    # suppression comments: group 1 the directive, group 2 the codes
    suppression: re.Pattern
    # (text, prose) -> is the directive at this offset a real comment (not code that shows a comment)?
    comment_checker: Callable[[str, Prose], Callable[[int], bool]]
    # the comment that suppresses ``codes`` on the line it ends (written by the editor's quick fix)
    line_comment: Callable[[str], str]
    # the comment, on a line of its own, that suppresses the next line
    next_line_comment: Callable[[str], str]
    heading: re.Pattern  # matched against one line: where a heading's text starts, if the line is a heading
    heading_anywhere: bool = False  # LaTeX: \section{...} may sit anywhere on its line
    follows_includes: bool = False
    include_suffixes: tuple[str, ...] = ()

    def in_heading(self, line_text: str, column: int) -> bool:
        m = self.heading.search(line_text) if self.heading_anywhere else self.heading.match(line_text)
        return m is not None and m.start() <= column


_REGISTRY: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    _REGISTRY[fmt.name] = fmt
    return fmt


def _load() -> None:
    if not _REGISTRY:
        from . import latex, markdown, mdx  # noqa: F401  (each registers its format)


def formats() -> list[Format]:
    _load()
    return list(_REGISTRY.values())


def get_format(name: str) -> Format:
    _load()
    return _REGISTRY[name]


def suffixes() -> tuple[str, ...]:
    return tuple(s for f in formats() for s in f.suffixes)


def format_for(path: str | None, language_id: str | None = None) -> Format | None:
    """The format of a document, from an editor's language id or else the file name."""
    _load()
    if language_id:
        lid = language_id.lower()
        for fmt in _REGISTRY.values():
            if lid in fmt.language_ids:
                return fmt
    if path:
        suffix = PurePath(path).suffix.lower()
        for fmt in _REGISTRY.values():
            if suffix in fmt.suffixes:
                return fmt
    return None


def kind_of(path: str | None, language_id: str | None = None) -> str | None:
    fmt = format_for(path, language_id)
    return fmt.name if fmt else None
