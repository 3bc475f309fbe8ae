"""LaTeX -> prose. A token scanner (only at ``\\ % $ & ~ { }``), so plain prose between tokens costs nothing.

Skipped: comments, inline and display math and math environments, verbatim-like environments, command names, options
in brackets, and the arguments of non-prose commands (``\\label``, ``\\ref``, ``\\cite``, ``\\url``, the URL of
``\\href``, ``\\includegraphics``, ``\\input``, ``\\usepackage``, ``\\begin``/``\\end`` names, ``\\gls`` keys, ...).
Kept: the text of ``\\emph``/``\\textbf``/..., sectioning titles, captions, footnotes, items, titles; the braced
arguments of unknown commands. A broken document (unbalanced braces, unclosed math) keeps every finding it can: an
unclosed group or math span ends at the end of its paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import glossaries
from .formats import Format, register
from .prose import HARD, SOFT, SPACE, Masker, Prose

# Commands whose arguments are not prose. Value: the kinds of the leading mandatory arguments, in order
# ("h" skipped, "p" prose); scanning stops at the first "p", whose group is then read as prose.
SKIP_ARGS: dict[str, str] = {
    **{c: "h" for c in (
        "label", "ref", "eqref", "pageref", "autoref", "nameref", "cref", "Cref", "crefrange", "vref", "labelcref",
        "cite", "citep", "citet", "citealp", "citealt", "citeauthor", "citeyear", "parencite", "textcite",
        "autocite", "footcite", "supercite", "nocite", "fullcite", "Citet", "Citep", "Parencite", "Textcite",
        "url", "nolinkurl", "path", "includegraphics", "input", "include", "subfile", "includeonly", "InputIfFileExists",
        "usepackage", "RequirePackage", "documentclass", "LoadClass", "bibliography", "bibliographystyle",
        "addbibresource", "printbibliography", "graphicspath", "hypersetup", "pagestyle", "thispagestyle",
        "pagenumbering", "setcounter", "addtocounter", "stepcounter", "refstepcounter", "setlength", "addtolength",
        "settowidth", "hspace", "vspace", "hskip", "vskip", "rule", "color", "pagecolor", "cline", "hhline", "cmidrule",
        "bibitem", "newcounter", "counterwithin", "linespread", "fontsize", "selectfont", "geometry",
        "gls", "Gls", "GLS", "glspl", "Glspl", "glstext", "glsdesc", "glssymbol", "glsfirst", "acrshort", "acrlong",
        "acrfull", "Acrshort", "Acrlong", "Acrfull", "ac", "acs", "acl", "acf", "acp", "Ac", "newacronym",
        "newglossaryentry", "glsadd", "printglossary", "makeglossaries", "loadglsentries",
        "thusetup", "sjtusetup", "ustcsetup", "ctexset", "ctexsetup", "xeCJKsetup", "setCJKmainfont", "setCJKsansfont",
        "setCJKmonofont", "setmainfont", "setsansfont", "setmonofont", "newfontfamily", "setCJKfamilyfont",
        "lstset", "lstinputlisting", "inputminted", "setminted", "mint", "verbatiminput", "definecolor", "colorlet",
        "tikzset", "pgfplotsset", "usetikzlibrary", "usepgfplotslibrary", "DeclareMathOperator", "DeclareGraphicsExtensions",
        "newcommand", "renewcommand", "providecommand", "newenvironment", "renewenvironment", "newtheorem",
        "DeclareRobustCommand", "NewDocumentCommand", "RenewDocumentCommand", "DeclareDocumentCommand",
        "let", "def", "edef", "gdef", "xdef", "newif", "ExplSyntaxOn", "numberwithin", "theoremstyle", "floatname",
        "captionsetup", "subcaptionbox", "setuptoc", "bibliographyfile", "resizebox", "scalebox", "raisebox",
        "special", "pdfbookmark", "hyperlink", "hypertarget", "phantomsection", "addcontentsline", "markboth",
        "markright", "multirow", "SI", "si", "num", "qty", "unit", "ang", "tablenum",
    )},
    "textcolor": "hp",
    "colorbox": "hp",
    "fcolorbox": "hhp",
    "href": "hp",
    "multicolumn": "hhp",
    "makebox": "p",
    "framebox": "p",
    "parbox": "hp",
    "hyperref": "p",
    "addcontentsline": "hhp",
}
# \multirow{rows}{width}{text}
SKIP_ARGS["multirow"] = "hhp"
# \newtheorem{name}{Title}: the title is prose but rarely holds terms; skip the name only
SKIP_ARGS["newtheorem"] = "hp"

# Commands that only style their argument: their name and braces are transparent, so a term reads across them.
TRANSPARENT = frozenset({
    "textbf", "textit", "emph", "textsl", "textsc", "textup", "textmd", "textrm", "textsf", "underline", "uline",
    "uwave", "sout", "xout", "mbox", "hbox", "text", "textnormal", "bfseries", "itshape", "mdseries", "upshape",
    "em", "bf", "it", "rm", "sf", "sc", "heiti", "kaishu", "songti", "fangsong", "CJKfamily", "ensuremath",
    "small", "footnotesize", "scriptsize", "tiny", "large", "Large", "LARGE", "huge", "Huge", "normalsize",
    "zihao", "strong",
})

# Commands whose bracketed option is prose too (\item[label], \section[short title]{...}).
PROSE_OPTIONS = frozenset({
    "item", "part", "chapter", "section", "subsection", "subsubsection", "paragraph", "subparagraph", "caption",
    "footnote", "title", "author", "thanks",
})

MATH_ENVS = frozenset({
    "equation", "align", "gather", "multline", "flalign", "alignat", "eqnarray", "math", "displaymath", "split",
    "aligned", "gathered", "alignedat", "cases", "dmath", "dgroup", "subequations", "IEEEeqnarray",
})
VERBATIM_ENVS = frozenset({
    "verbatim", "Verbatim", "BVerbatim", "LVerbatim", "lstlisting", "minted", "comment", "alltt", "spverbatim",
    "filecontents", "tikzpicture", "pgfpicture", "algorithmic", "algorithm2e", "pycode", "sagesilent", "sageblock",
})
# environments whose \begin takes non-prose mandatory arguments
ENV_ARGS: dict[str, int] = {
    "tabular": 1, "tabular*": 2, "tabularx": 2, "tabulary": 2, "longtable": 1, "array": 1, "minipage": 1,
    "thebibliography": 1, "multicols": 1, "wrapfigure": 2, "wraptable": 2, "subfigure": 1, "subtable": 1,
    "tabu": 1, "supertabular": 1, "xltabular": 2, "tblr": 1, "longtblr": 1, "minted": 1, "adjustbox": 1,
}

_TOKEN = re.compile(r"\\(?:[A-Za-z@]+\*?|.|\n)|[%$&~{}]")
_PARA_END = re.compile(r"\n[ \t]*\n")
_BRACE_TOKENS = re.compile(r"\\.|[{}]", re.S)
_ENV_NAME = re.compile(r"\s*\{([^{}\n]*)\}")
_WS = re.compile(r"[ \t]*(?:\n[ \t]*)?")


class _Scanner:
    def __init__(self, text: str, skip_commands: dict[str, str], skip_envs: frozenset[str]) -> None:
        self.text = text
        self.n = len(text)
        self.m = Masker(text)
        self.skip_commands = skip_commands
        self.skip_envs = skip_envs
        self.includes: list[str] = []
        self.commands: list[tuple[str, int, int]] = []  # (name, start, name end) of each command read in prose

    # -- helpers -------------------------------------------------------------------------------------------------
    def para_end(self, pos: int) -> int:
        m = _PARA_END.search(self.text, pos)
        return m.start() if m else self.n

    def group_end(self, open_pos: int, opener: str = "{", closer: str = "}") -> int:
        """Index just past the group that opens at ``open_pos``; an unclosed group ends at its paragraph's end."""
        depth = 0
        limit = self.para_end(open_pos)
        pattern = _BRACE_TOKENS if opener == "{" else re.compile(r"\\.|[\[\]{}]", re.S)
        brace_depth = 0
        for m in pattern.finditer(self.text, open_pos, limit):
            tok = m.group()
            if tok == opener and (opener == "{" or brace_depth == 0):
                depth += 1
            elif tok == closer and (opener == "{" or brace_depth == 0):
                depth -= 1
                if depth == 0:
                    return m.end()
            elif opener == "[" and tok == "{":
                brace_depth += 1
            elif opener == "[" and tok == "}":
                brace_depth -= 1
        return limit

    def skip_ws(self, pos: int) -> int:
        m = _WS.match(self.text, pos)
        return m.end() if m else pos

    # -- main loop -----------------------------------------------------------------------------------------------
    def run(self) -> str:
        text = self.text
        pos = 0
        while True:
            m = _TOKEN.search(text, pos)
            if m is None:
                break
            tok = m.group()
            start = m.start()
            if tok[0] == "\\":
                pos = self.command(start, tok)
            elif tok == "%":
                pos = self.comment(start)
            elif tok == "$":
                pos = self.dollar(start)
            elif tok == "&":
                self.m.mask(start, start + 1, HARD)
                pos = start + 1
            elif tok == "~":
                self.m.mask(start, start + 1, SPACE)
                pos = start + 1
            else:  # { or }
                self.m.mask(start, start + 1, SOFT)
                pos = start + 1
        return self.m.result()

    def comment(self, start: int) -> int:
        end = self.text.find("\n", start)
        if end < 0:
            self.m.mask(start, self.n, SOFT)
            return self.n
        # TeX drops the comment, the newline and the next line's indentation: the lines join
        nxt = end + 1
        while nxt < self.n and self.text[nxt] in " \t":
            nxt += 1
        if nxt < self.n and self.text[nxt] == "\n":  # a blank line follows: keep the paragraph break
            self.m.mask(start, end, SOFT)
            return end
        self.m.mask(start, nxt, SOFT)
        return nxt

    def dollar(self, start: int) -> int:
        text = self.text
        display = text.startswith("$$", start)
        width = 2 if display else 1
        limit = self.para_end(start + width)
        close_pat = re.compile(r"(?<!\\)\$\$" if display else r"(?<!\\)\$")
        cm = close_pat.search(text, start + width, limit)
        if cm is None:  # unclosed: mask the sign only and read on
            self.m.mask(start, start + width, HARD)
            return start + width
        self.m.mask(start, cm.end(), HARD)
        return cm.end()

    def command(self, start: int, tok: str) -> int:
        text = self.text
        name = tok[1:]
        end = start + len(tok)
        if name in ("(", "["):
            closer = "\\)" if name == "(" else "\\]"
            limit = self.para_end(end) if name == "(" else self.n
            close = text.find(closer, end, limit)
            if close < 0:
                self.m.mask(start, end, HARD)
                return end
            self.m.mask(start, close + 2, HARD)
            return close + 2
        if name in ("%", "$", "&", "#", "_", "{", "}"):
            self.m.mask(start, start + 1, SOFT)
            return end
        if name in (" ", "\n", ",", ";", ":", "!", ">", "quad", "qquad", "enspace", "thinspace"):
            self.m.mask(start, end, SPACE if name != "\n" else SOFT)
            return end
        if name == "\\" or name == "\\*":
            self.m.mask(start, end, HARD)
            nxt = end
            if nxt < self.n and text[nxt] == "[":
                close = self.group_end(nxt, "[", "]")
                self.m.mask(nxt, close, HARD)
                return close
            return end
        if name in ("verb", "verb*"):
            if end < self.n:
                delim = text[end]
                close = text.find(delim, end + 1, self.para_end(end + 1))
                if close >= 0:
                    self.m.mask(start, close + 1, HARD)
                    return close + 1
            self.m.mask(start, end, HARD)
            return end
        if name in ("begin", "end"):
            return self.environment(start, end, name)
        bare = name.rstrip("*")
        self.commands.append((bare, start, end))
        if bare in TRANSPARENT:
            self.m.mask(start, end, SOFT)
            return end
        if bare in glossaries.DEFINITIONS:
            return self.glossary_definition(start, end, bare)
        self.m.mask(start, end, HARD)
        spec = self.skip_commands.get(bare, self.skip_commands.get(name, ""))
        return self.arguments(end, bare, spec)

    def arguments(self, pos: int, name: str, spec: str) -> int:
        """Mask the options and the non-prose mandatory arguments that follow a command name."""
        text = self.text
        index = 0
        while True:
            nxt = self.skip_ws(pos)
            if nxt >= self.n:
                return pos
            ch = text[nxt]
            if ch == "*" and nxt == pos:
                self.m.mask(nxt, nxt + 1, HARD)
                pos = nxt + 1
                continue
            if ch == "[":
                close = self.group_end(nxt, "[", "]")
                if name in PROSE_OPTIONS:
                    self.m.mask(nxt, nxt + 1, SOFT)
                    if close <= self.n and text[close - 1: close] == "]":
                        # inner text stays prose; only the brackets are hidden
                        self.m.mask(close - 1, close, SOFT)
                        self._scan_inner(nxt + 1, close - 1)
                else:
                    self.m.mask(nxt, close, HARD)
                pos = close
                continue
            if ch == "{" and index < len(spec) and spec[index] == "h":
                close = self.group_end(nxt)
                if name in ("input", "include", "subfile", "loadglsentries"):
                    self.includes.append(text[nxt + 1 : close - 1].strip())
                self.m.mask(nxt, close, HARD)
                index += 1
                pos = close
                continue
            return pos

    def glossary_definition(self, start: int, name_end: int, name: str) -> int:
        """A glossary entry's definition is data, not running prose: all of it is hidden except the values a reader
        sees printed (name=, first=, the short and long forms), which stay prose so that they are matched."""
        end, spans = glossaries.rendering_spans(self.text, name, start, name_end)
        pos = start
        for a, b in spans:
            self.m.mask(pos, a, HARD)
            self._scan_inner(a, b)
            pos = b
        self.m.mask(pos, end, HARD)
        return end

    def _scan_inner(self, start: int, end: int) -> None:
        """Scan a bracketed prose option with the same rules (it may hold commands or math)."""
        sub = _Scanner(self.text[start:end], self.skip_commands, self.skip_envs)
        masked = sub.run()
        self.commands.extend((n, s + start, e + start) for n, s, e in sub.commands)
        for i, ch in enumerate(masked):
            if ch != self.text[start + i]:
                self.m.mask(start + i, start + i + 1, ch)

    def environment(self, start: int, end: int, which: str) -> int:
        text = self.text
        m = _ENV_NAME.match(text, end)
        if m is None:
            self.m.mask(start, end, HARD)
            return end
        env = m.group(1).strip()
        head_end = m.end()
        self.m.mask(start, head_end, HARD)
        if which == "end":
            return head_end
        base = env.rstrip("*")
        if env in self.skip_envs or base in self.skip_envs or base in VERBATIM_ENVS or base in MATH_ENVS:
            closer = re.compile(r"\\end\s*\{" + re.escape(env) + r"\}")
            limit = self.n if (base in VERBATIM_ENVS or env in self.skip_envs or base in self.skip_envs) else self.para_end(head_end)
            cm = closer.search(text, head_end, self.n)
            if cm is None or (base in MATH_ENVS and cm.start() > limit and _PARA_END.search(text, head_end, cm.start())):
                stop = limit
                self.m.mask(head_end, stop, HARD)
                return stop
            self.m.mask(head_end, cm.end(), HARD)
            return cm.end()
        return self.arguments(head_end, "begin", "h" * ENV_ARGS.get(env, ENV_ARGS.get(base, 0)))


def extract_latex(
    text: str,
    skip_commands: Iterable[str] | dict[str, str] = (),
    skip_environments: Iterable[str] = (),
) -> Prose:
    commands = dict(SKIP_ARGS)
    if isinstance(skip_commands, dict):
        commands.update({k.lstrip("\\"): v for k, v in skip_commands.items()})
    else:
        for c in skip_commands:
            commands[c.lstrip("\\")] = "hhh"
    scanner = _Scanner(text, commands, frozenset(skip_environments))
    masked = scanner.run()
    glossary = glossaries.parse(text, scanner.commands)
    return Prose(source=text, masked=masked, kind="latex", includes=scanner.includes, glossary=glossary or None)


# -- the format ---------------------------------------------------------------------------------------------------

_TEX_SUPPRESSION = re.compile(r"(?<!\\)%\s*nnterm-(disable-next-line|disable-line|disable|enable)\b([^\n]*)")
_TEX_HEADING = re.compile(
    r"\\(?:part|chapter|section|subsection|subsubsection|paragraph|caption|title)\*?\s*[\[{]"
)


def _tex_comment_checker(text: str, prose: Prose):
    masked = prose.masked  # the extractor soft-masks comments and hard-masks verbatim
    return lambda at: masked[at] == SOFT


def _codes(codes: str) -> str:
    return f" {codes}" if codes else ""


LATEX = register(
    Format(
        name="latex",
        suffixes=(".tex", ".ltx", ".latex"),
        language_ids=("latex", "tex", "plaintex", "context"),
        extract=lambda text, opts: extract_latex(text, opts.latex_commands, opts.latex_environments),
        suppression=_TEX_SUPPRESSION,
        comment_checker=_tex_comment_checker,
        line_comment=lambda codes: f" % nnterm-disable-line{_codes(codes)}",
        next_line_comment=lambda codes: f"% nnterm-disable-next-line{_codes(codes)}",
        heading=_TEX_HEADING,
        heading_anywhere=True,
        follows_includes=True,
        include_suffixes=(".tex",),
    )
)
