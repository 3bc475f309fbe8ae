"""MDX (Markdown with JSX, as in documentation sites and the Hugging Face course) -> prose.

The JSX is masked first, then the Markdown masker runs over the result: ``import``/``export`` lines, ``{…}`` expressions and
``{/* comments */}``, component tags (``<Tip>``, ``<Youtube id="…"/>``, a ``<Question choices={[…]}/>`` spanning
many lines) and ``[[anchor]]`` heading ids. Inside a component's attributes only the contents of string literals
stay prose (quiz questions and explanations are text a reader sees).
"""

from __future__ import annotations

import re

from . import markdown
from .formats import Format, register
from .markdown import mask_markdown
from .prose import HARD, Prose

_ESM = re.compile(r"^(?:import|export)\s[^\n]*$", re.M)
_ANCHOR = re.compile(r"\[\[[^\[\]\n]+\]\]")
_COMPONENT = re.compile(r"</?[A-Z][A-Za-z0-9_.]*")
_MDX_SUPPRESSION = re.compile(
    r"(?:<!--|\{/\*)\s*nnterm-(disable-next-line|disable-line|disable|enable)\b(.*?)(?:-->|\*/\})"
)
_EXPRESSION = re.compile(r"\{/\*.*?\*/\}", re.S)


def _jsx_tag_end(text: str, start: int) -> tuple[int, list[tuple[int, int]]]:
    """End of a JSX tag opened at ``start`` and the spans of its string literals' contents."""
    i = start + 1
    n = len(text)
    depth = 0
    strings: list[tuple[int, int]] = []
    while i < n:
        ch = text[i]
        if ch in "\"'`":
            j = i + 1
            while j < n and text[j] != ch:
                j += 2 if text[j] == "\\" else 1
            strings.append((i + 1, min(j, n)))
            i = j + 1
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == ">" and depth <= 0:
            return i + 1, strings
        elif ch == "\n" and depth <= 0 and i + 1 < n and text[i + 1] == "\n":
            return i, strings  # an unclosed tag never swallows the next paragraph
        i += 1
    return n, strings


def mask_mdx(text: str) -> str:
    """JSX masked in the source first (length kept), then the Markdown masker over the result."""
    masked = list(text)

    def hard(a: int, b: int, keep: list[tuple[int, int]] = ()) -> None:
        k = 0
        for i in range(a, min(b, len(masked))):
            while k < len(keep) and keep[k][1] <= i:
                k += 1
            if k < len(keep) and keep[k][0] <= i < keep[k][1]:
                continue
            if masked[i] != "\n":
                masked[i] = HARD

    for m in _ESM.finditer(text):
        hard(m.start(), m.end())
    for m in _EXPRESSION.finditer(text):
        hard(m.start(), m.end())
    for m in _ANCHOR.finditer(text):
        hard(m.start(), m.end())
    pos = 0
    for m in _COMPONENT.finditer(text):
        if m.start() < pos:
            continue
        end, strings = _jsx_tag_end(text, m.start())
        hard(m.start(), end, strings)
        pos = end
    return mask_markdown("".join(masked))


def extract_mdx(text: str) -> Prose:
    return Prose(source=text, masked=mask_mdx(text), kind="mdx")


MDX = register(
    Format(
        name="mdx",
        suffixes=(".mdx",),
        language_ids=("mdx",),
        extract=lambda text, _opts: extract_mdx(text),
        # JSX comments are MDX's own; HTML comments are accepted too (many MDX dialects allow them)
        suppression=_MDX_SUPPRESSION,
        comment_checker=markdown.MARKDOWN.comment_checker,
        line_comment=lambda codes: f" {{/* nnterm-disable-line{' ' + codes if codes else ''} */}}",
        next_line_comment=lambda codes: f"{{/* nnterm-disable-next-line{' ' + codes if codes else ''} */}}",
        heading=markdown.MARKDOWN.heading,
    )
)
