"""Prose extraction: documents -> a masked prose view with offsets unchanged, one format module each.

The formats (``markdown``, ``mdx``, ``latex``) register themselves in ``formats``; ``extract`` and ``format_for``
are all the rest of the engine uses.
"""

from __future__ import annotations

from .formats import ExtractOptions, Format, format_for, formats, get_format, kind_of, suffixes
from .latex import extract_latex
from .markdown import extract_markdown
from .mdx import extract_mdx
from .prose import HARD, SOFT, SPACE, Prose


def extract(text: str, kind: str | Format, *, latex_commands=(), latex_environments=()) -> Prose:
    fmt = kind if isinstance(kind, Format) else get_format(kind)
    return fmt.extract(text, ExtractOptions(latex_commands, tuple(latex_environments)))


__all__ = ["extract", "extract_markdown", "extract_latex", "extract_mdx", "kind_of", "format_for", "formats",
           "get_format", "suffixes", "Format", "ExtractOptions", "Prose", "HARD", "SOFT", "SPACE"]
