"""Markdown -> prose. Regex masking over a line-based block pass; offsets never move.

Skipped: front matter, fenced and indented code, inline code, ``$``/``$$`` math, HTML comments and tags, link and
image targets, autolinks and bare URLs, reference definitions, footnote markers, directive-style roles
(``:label:`x```, ``:numref:`x```, ``{ref}`x```). Kept: headings, emphasis text, link text, list items, table cells,
image alt text. A broken document (unclosed fence, unbalanced ``$``) keeps every finding before the break, and an
unbalanced inline construct masks nothing.
"""

from __future__ import annotations

import re
from itertools import accumulate

from .formats import Format, register
from .prose import HARD, SOFT, Prose, hard, soft, sub_mask

_FENCE_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_LIST_FENCE_OPEN = re.compile(r"^([ \t]*)(`{3,}|~{3,})(.*)$")
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
_BLANK = re.compile(r"^\s*$")

_NO_BLANK_LINE = r"(?:[^\n]|\n(?![ \t]*\n))"

_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
# Patterns start with a literal where they can: a leading look-behind would stop the regex engine's fast scan.
_DIRECTIVE = re.compile(r"[:{][A-Za-z][\w-]*[:}]`[^`\n]*`")
_INLINE_CODE = re.compile(r"(`+)(?!`)" + _NO_BLANK_LINE + r"+?(?<!`)\1(?!`)")
_DISPLAY_MATH = re.compile(r"\$\$" + _NO_BLANK_LINE + r"*?(?<!\\)\$\$")
# (a short formula written with spaces inside its dollars, $ n $ as d2l-zh's first edition does, is math too, as
# MathJax reads it: otherwise its closing dollar would open a formula that swallows the prose up to the next one)
_INLINE_MATH = re.compile(r"\$[ \t]+(?:\\.|[^$\\\n]){1,80}?[ \t]*(?<!\\)\$(?!\d)"
                          r"|\$(?![\s$])(?:\\.|[^$\\\n]){1,80}?[ \t]+\$(?!\d)"
                          r"|\$(?![\s$])(?:\\.|[^$\\\n]|\n(?![ \t]*\n))+?(?<![\s\\])\$(?!\d)")
_LATEX_MATH = re.compile(r"\\\(" + _NO_BLANK_LINE + r"*?\\\)|\\\[" + _NO_BLANK_LINE + r"*?\\\]")
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>")
_BARE_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>()（）\[\]{}\"'，。；！？、]+")
_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]")
# [text](target "title") and ![alt](target): the brackets and target are masked, text/alt stays prose
_LINK = re.compile(r"(!?\[)((?:[^\[\]\n]|\[[^\[\]\n]*\])*)(\]\((?:[^()\n]|\([^()\n]*\))*\)|\]\[[^\]\n]*\])")
_CODE_LIKE_TAGS = re.compile(r"<(code|pre|script|style|kbd|samp|math|svg)\b[^>]*>.*?(?:</\1\s*>|\Z)", re.S | re.I)
_INLINE_TAG = re.compile(r"</?(?:a|b|i|u|em|strong|span|sup|sub|mark|small|big|font|ins|del|s|abbr)\b[^<>]*>", re.I)
_OTHER_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?=[ \t\n]|$)(?:[^\n]*?[ \t](#+)[ \t]*$)?", re.M)
# a list marker starts a new block: two items never read as one line of prose
_TABLE_PIPE = re.compile(r"\|")
_EMPHASIS = re.compile(r"[*_~]+")
_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
_ATTRS = re.compile(r"\{[:#.][^{}\n]*\}")  # {#sec:id}, {.class}, {:width="50%"}


def _block_pass(text: str, fences: list | None = None) -> str:
    """Mask front matter, fenced code and indented code, line by line; the bodies of the fenced blocks are added to
    ``fences`` when it is given (see ``Prose.fences``)."""
    lines = text.splitlines(keepends=True)
    starts = list(accumulate(map(len, lines), initial=0)) if fences is not None else None
    out: list[str] = []
    i = 0
    n = len(lines)
    if lines and lines[0].rstrip() in ("---", "+++"):
        close = lines[0].rstrip()
        for j in range(1, n):
            if lines[j].rstrip() in (close, "..."):
                out.extend(hard(line) for line in lines[: j + 1])
                i = j + 1
                break
    prev_blank = True
    in_list = False
    while i < n:
        line = lines[i]
        # the regular expressions only when the line can open a fence (up to three spaces, then ` or ~): most lines
        # cannot, and a Python loop over 50,000 lines pays for every call
        lead = line[:4].lstrip(" ")[:1]
        m = _FENCE_OPEN.match(line.rstrip("\r\n")) if lead == "`" or lead == "~" else None
        # inside a list item a fence is indented as far as the item's text (    3. 安装：\n        ```)
        nested = m is None and in_list and line.lstrip(" \t")[:3] in ("```", "~~~")
        if nested:
            m = _LIST_FENCE_OPEN.match(line.rstrip("\r\n"))
        if m and not (m.group(2)[0] == "`" and "`" in m.group(3)):
            fence = m.group(2)
            indent = r"^[ \t]*" if nested else r"^ {0,3}"
            closer = re.compile(indent + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*$")
            mark = fence[0]
            j = i + 1
            while j < n and not ((nested or lines[j][:4].lstrip(" ")[:1] == mark)
                                 and closer.match(lines[j].rstrip("\r\n"))):
                j += 1
            end = min(j, n - 1)
            out.append(hard("".join(lines[i : end + 1])))  # hard() masks character by character: a block at once
            if starts is not None:
                fences.append((starts[i + 1], starts[j]))  # (starts[n] is the text's end: a fence never closed)
            i = end + 1
            prev_blank = False
            continue
        if not line.strip():  # _BLANK: whitespace only (str.strip and \s agree on what whitespace is)
            out.append(line)
            prev_blank = True
            i += 1
            continue
        indented = line.startswith(("    ", "\t"))
        if _LIST_ITEM.match(line):
            in_list = True
        elif not indented and not line.startswith(" "):
            in_list = False
        if indented and prev_blank and not in_list:
            # an indented code block runs until a non-blank line that is not indented
            while i < n and (lines[i].startswith(("    ", "\t")) or _BLANK.match(lines[i])):
                out.append(hard(lines[i]) if not _BLANK.match(lines[i]) else lines[i])
                i += 1
            prev_blank = True
            continue
        out.append(line)
        prev_blank = False
        i += 1
    return "".join(out)


# Line-start constructs, fused into one pass that starts at a literal newline (a `^` pattern under re.M is tried
# at every position, so five of them cost five full scans): quote markers, list markers, directive lines such as
# `:label:` alone, reference definitions, table rules.
_LINE_STARTS = re.compile(
    r"\n(?:"
    r"(?P<quote> {0,3}>[ >]*)"
    r"|(?P<list>[ \t]*(?:[-*+]|\d{1,9}[.)]))(?=[ \t\n])"
    r"|(?P<directive>[ \t]*:[A-Za-z][\w-]*:[ \t]*)(?=\n)"
    r"|(?P<refdef> {0,3}\[[^\]\n]+\]:[ \t]*\S[^\n]*)"
    r"|(?P<rule>[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*)(?=\n)"
    r")"
)


def _line_start(m: re.Match) -> str:
    return "\n" + hard(m.group(m.lastgroup))


def mask_line_starts(s: str) -> str:
    return _LINE_STARTS.sub(_line_start, "\n" + s + "\n")[1:-1]


def mask_markdown(text: str, fences: list | None = None) -> str:
    s = _block_pass(text, fences)
    s = sub_mask(_HTML_COMMENT, s, HARD)
    s = sub_mask(_CODE_LIKE_TAGS, s, HARD)
    s = sub_mask(_DIRECTIVE, s, HARD)
    s = _INLINE_CODE.sub(_unescaped(hard), s)
    s = _DISPLAY_MATH.sub(_unescaped(hard), s)
    s = _INLINE_MATH.sub(_unescaped(hard, "\\$"), s)
    s = sub_mask(_LATEX_MATH, s, HARD)
    s = sub_mask(_AUTOLINK, s, HARD)
    s = mask_line_starts(s)
    s = sub_mask(_FOOTNOTE, s, HARD)
    s = _LINK.sub(_link, s)
    s = sub_mask(_BARE_URL, s, HARD)
    s = sub_mask(_INLINE_TAG, s, SOFT)
    s = sub_mask(_OTHER_TAG, s, HARD)
    s = sub_mask(_ENTITY, s, HARD)
    s = sub_mask(_ATTRS, s, HARD)
    s = _HEADING.sub(_heading, s)
    s = _TABLE_PIPE.sub(_unescaped(hard), s)
    s = _EMPHASIS.sub(_emphasis, s)
    s = sub_mask(_ESCAPE, s, SOFT)
    return s


def _unescaped(mask, after: str = "\\"):
    """A replacement that masks a match unless the character before it is in ``after`` (an escape)."""

    def repl(m: re.Match) -> str:
        start = m.start()
        if start > 0 and m.string[start - 1] in after:
            return m.group()
        return mask(m.group())

    return repl


def _heading(m: re.Match) -> str:
    text = m.group()
    hashes = len(text) - len(text.lstrip(" #"))
    out = hard(text[:hashes]) + text[hashes:]
    if m.group(1):  # closing hashes: "# Title #"
        s, e = m.span(1)
        s -= m.start()
        e -= m.start()
        out = out[:s] + hard(out[s:e]) + out[e:]
    return out


def _emphasis(m: re.Match) -> str:
    """`*`, `**`, `~~` are markup; `_` is markup only at a word edge (snake_case stays text)."""
    run = m.group()
    if "_" not in run:
        return soft(run) if ("*" in run or "~~" in run) else run
    text = m.string
    start, end = m.span()
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
        return run
    return soft(run)


def mask_code(text: str) -> str:
    """Only code (fenced, indented, inline) masked: where an HTML comment is a real comment, not code text."""
    return sub_mask(_INLINE_CODE, _block_pass(text), HARD)


def _link(m: re.Match) -> str:
    opener, label, target = m.group(1), m.group(2), m.group(3)
    # the link text reads on as prose; the target is invisible to a reader
    return soft(opener) + label + soft(target)


def extract_markdown(text: str) -> Prose:
    fences: list = []
    return Prose(source=text, masked=mask_markdown(text, fences), kind="markdown", fences=fences)


def fence_bodies(prose: Prose) -> list:
    """``prose.fences``, found (and kept) when not known."""
    if prose.fences is None:
        fences: list = []
        _block_pass(prose.source, fences)
        prose.fences = fences
    return prose.fences


# -- the format ---------------------------------------------------------------------------------------------------

_MD_SUPPRESSION = re.compile(r"<!--\s*nnterm-(disable-next-line|disable-line|disable|enable)\b([^>]*?)-->")
# a heading, or an entry of a table of contents: an in-page one (- [A3C](#a3c)), or a book's, whose entries start
# with their section numbers (- 7.3.3 DRF调度, - [7.3 调度](7.3-调度.md)): it repeats a heading's text
_MD_HEADING_LINE = re.compile(r"^\s{0,3}#|^\s*[-*+]\s+\[[^\]\n]*\]\(#[^()\s]*\)\s*$"
                              r"|^\s*[-*+]\s+\[?\d+(?:\.\d+)+\.?[ \t]")


def _md_comment_checker(text: str, prose: Prose):
    code_masked = mask_code(text)
    return lambda at: code_masked[at] != HARD


def _codes(codes: str) -> str:
    return f" {codes}" if codes else ""


MARKDOWN = register(
    Format(
        name="markdown",
        suffixes=(".md", ".markdown", ".mdown", ".mkd"),
        language_ids=("markdown",),
        extract=lambda text, _opts: extract_markdown(text),
        suppression=_MD_SUPPRESSION,
        comment_checker=_md_comment_checker,
        line_comment=lambda codes: f" <!-- nnterm-disable-line{_codes(codes)} -->",
        next_line_comment=lambda codes: f"<!-- nnterm-disable-next-line{_codes(codes)} -->",
        heading=_MD_HEADING_LINE,
    )
)
