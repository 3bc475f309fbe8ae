"""LaTeX glossary packages, read syntactically: the entries a document defines, the macros that print them, and the
``\\newcommand`` wrappers around those macros (issue 12).

``glossaries`` / ``glossaries-extra`` (``\\newglossaryentry``, ``\\longnewglossaryentry``, ``\\newacronym``,
``\\newabbreviation``) and the ``acronym`` package (``\\acro``, ``\\acrodef``). Nothing here knows the term base or
the other documents of the set: ``parse`` records what one document says, with source spans; what each use prints
is decided for the whole set by ``resolve.glossary`` (the first use of an acronym in reading order prints
``long (short)``), from the ``render`` function below.

Bad input never raises: an unclosed group or field list is recorded as a problem of the definition and the rest of
the document is read as usual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# definition commands -> kind
DEFINITIONS = {
    "newglossaryentry": "entry",
    "longnewglossaryentry": "entry",
    "provideglossaryentry": "entry",
    "newacronym": "acronym",
    "newabbreviation": "abbreviation",
    "acro": "acro",
    "acrodef": "acro",
    "newacro": "acro",
}

# use commands -> (what they print, case change). What: "gls" (first use: the first form, then the text form),
# "glspl" (plural of that), "ac" (acronym package: the same with long (short)), a field name, or "short" / "long"
# / "full" of an abbreviation. Case: "" unchanged, "first" capital first letter, "all" upper case.
USES: dict[str, tuple[str, str]] = {
    "gls": ("gls", ""), "Gls": ("gls", "first"), "GLS": ("gls", "all"),
    "glspl": ("glspl", ""), "Glspl": ("glspl", "first"), "GLSpl": ("glspl", "all"),
    "glstext": ("text", ""), "Glstext": ("text", "first"), "GLStext": ("text", "all"),
    "glsfirst": ("first", ""), "Glsfirst": ("first", "first"), "GLSfirst": ("first", "all"),
    "glsname": ("name", ""), "Glsname": ("name", "first"), "GLSname": ("name", "all"),
    "glsplural": ("plural", ""), "Glsplural": ("plural", "first"),
    "glsfirstplural": ("firstplural", ""),
    "glssymbol": ("symbol", ""), "Glssymbol": ("symbol", "first"),
    "glsdesc": ("description", ""), "Glsdesc": ("description", "first"), "GLSdesc": ("description", "all"),
    "acrshort": ("short", ""), "Acrshort": ("short", "first"), "ACRshort": ("short", "all"),
    "acrlong": ("long", ""), "Acrlong": ("long", "first"), "ACRlong": ("long", "all"),
    "acrfull": ("full", ""), "Acrfull": ("full", "first"), "ACRfull": ("full", "all"),
    "acrshortpl": ("shortpl", ""), "acrlongpl": ("longpl", ""), "acrfullpl": ("fullpl", ""),
    "glsxtrshort": ("short", ""), "Glsxtrshort": ("short", "first"),
    "glsxtrlong": ("long", ""), "Glsxtrlong": ("long", "first"),
    "glsxtrfull": ("full", ""), "Glsxtrfull": ("full", "first"),
    # the acronym package (and the glossaries "shortcuts" option, which defines the same names)
    "ac": ("ac", ""), "Ac": ("ac", "first"), "acp": ("acp", ""), "Acp": ("acp", "first"),
    "acs": ("short", ""), "acsp": ("shortpl", ""),
    "acl": ("long", ""), "Acl": ("long", "first"), "aclp": ("longpl", ""), "Aclp": ("longpl", "first"),
    "acf": ("acf", ""), "Acf": ("acf", "first"), "acfp": ("acfpl", ""), "Acfp": ("acfpl", "first"),
}

# commands that print the glossary or the list of abbreviations somewhere in the document
PRINTS = frozenset({
    "printglossary", "printglossaries", "printacronyms", "printabbreviations", "printnoidxglossary",
    "printnoidxglossaries", "printunsrtglossary", "printunsrtglossaries", "printunsrtacronyms",
    "printunsrtabbreviations",
})
NEWCOMMANDS = frozenset({"newcommand", "renewcommand", "providecommand", "DeclareRobustCommand", "def", "gdef",
                         "edef", "xdef"})
LOADERS = frozenset({"loadglsentries"})
NOMENCLATURE = frozenset({"nomenclature"})

# the fields whose values a reader sees in running text (the renderings of the entry)
RENDERING_FIELDS = ("name", "text", "first", "plural", "firstplural", "short", "long", "shortplural", "longplural")
# a wrapper's body may style the use it wraps: these commands print nothing of their own
_STYLE = re.compile(
    r"\\(?:xspace|relax|ignorespaces|unskip|protect|textbf|textit|emph|textsl|textsc|textup|textrm|textsf|underline|"
    r"mbox|text|textnormal|bfseries|itshape|em|bf|it|heiti|kaishu|songti|fangsong|ensuremath)(?![A-Za-z@])\s*"
)
_WRAPPED_USE = re.compile(r"\\([A-Za-z@]+)(\*?)\s*(?:\[[^\]]*\]\s*)?\{\s*([^{}]*?)\s*\}")
_PARA_END = re.compile(r"\n[ \t]*\n")
_FIELD_NAME = re.compile(r"\s*,?\s*([A-Za-z][A-Za-z-]*)\s*=\s*")


@dataclass(slots=True)
class Field:
    value: str
    start: int  # source span of the value (inside its braces)
    end: int


@dataclass(slots=True)
class Problem:
    start: int
    end: int
    kind: str  # "unbalanced" | "duplicate" | "undefined" | "empty-key"
    key: str = ""
    detail: str = ""


@dataclass(slots=True)
class Entry:
    key: str
    kind: str  # "entry" | "acronym" | "abbreviation" | "acro"
    command: str
    start: int  # the whole definition
    end: int
    key_start: int
    key_end: int
    fields: dict[str, Field] = field(default_factory=dict)
    in_list: bool = False  # an \acro inside a printed acronym environment

    def value(self, name: str) -> str | None:
        f = self.fields.get(name)
        return f.value if f is not None else None


@dataclass(slots=True)
class Use:
    """One macro that prints an entry: ``\\gls{key}``, or a wrapper ``\\bn`` / ``\\term{bn}``."""

    macro: str  # the command as written (gls, Gls, term, bn)
    prints: str  # what it prints (see USES)
    case: str
    key: str
    start: int  # the macro in the source: backslash to the closing brace of its last argument
    end: int
    key_start: int | None  # the key in the source; None when the key is inside a wrapper's definition
    key_end: int | None


@dataclass(slots=True)
class Wrapper:
    """``\\newcommand{\\name}[nargs]{\\target{key}}``: ``key`` is a literal key or ``#1``."""

    name: str
    nargs: int
    optional: bool  # the first argument is optional ([default])
    target: str
    key: str
    start: int
    end: int


@dataclass
class GlossarySource:
    entries: list[Entry] = field(default_factory=list)
    uses: list[Use] = field(default_factory=list)
    wrappers: list[Wrapper] = field(default_factory=list)
    prints: list[int] = field(default_factory=list)  # offsets of \printglossary & co.
    nomenclature: list[tuple[int, int, int, int]] = field(default_factory=list)  # (start, end, label start, label end)
    problems: list[Problem] = field(default_factory=list)
    # unknown commands met in prose: name -> offsets of their backslash (where a wrapper may be used)
    commands: dict[str, list[int]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.entries or self.uses or self.wrappers or self.prints or self.nomenclature or self.problems)


# -- groups ---------------------------------------------------------------------------------------------------------

def para_end(text: str, pos: int) -> int:
    m = _PARA_END.search(text, pos)
    return m.start() if m else len(text)


def group(text: str, pos: int, opener: str = "{") -> tuple[int, bool]:
    """(index past the group opening at ``pos``, closed?). An unclosed group ends at its paragraph's end."""
    closer = "}" if opener == "{" else "]"
    limit = para_end(text, pos)
    depth = 0
    brace = 0
    i = pos
    while i < limit:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "%":  # a comment inside an argument
            nl = text.find("\n", i)
            i = limit if nl < 0 or nl > limit else nl + 1
            continue
        if opener == "[":
            if ch == "{":
                brace += 1
            elif ch == "}":
                brace -= 1
            elif brace == 0 and ch == "[":
                depth += 1
            elif brace == 0 and ch == "]":
                depth -= 1
                if depth == 0:
                    return i + 1, True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1, True
        i += 1
    return limit, False


def skip_ws(text: str, pos: int) -> int:
    """Spaces and at most one line break (TeX reads arguments across one)."""
    n = len(text)
    while pos < n and text[pos] in " \t":
        pos += 1
    if pos < n and text[pos] == "\n":
        pos += 1
        while pos < n and text[pos] in " \t":
            pos += 1
    return pos


@dataclass(slots=True)
class Arg:
    kind: str  # "{" or "["
    start: int  # the opening delimiter
    end: int  # past the closing one
    closed: bool

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + 1, self.end - 1 if self.closed else self.end


def read_args(text: str, pos: int, spec: str) -> tuple[list[Arg | None], int]:
    """Arguments after a command name by ``spec``: "m" mandatory group, "o" optional [..], "s" a star. Missing
    optional arguments are None; reading stops at a missing mandatory one (its slot None)."""
    out: list[Arg | None] = []
    n = len(text)
    for kind in spec:
        if kind == "s":
            if pos < n and text[pos] == "*":
                pos += 1
            out.append(None)
            continue
        nxt = skip_ws(text, pos)
        want = "{" if kind == "m" else "["
        if nxt < n and text[nxt] == want:
            end, closed = group(text, nxt, want)
            out.append(Arg(want, nxt, end, closed))
            pos = end
            if not closed:
                break
        else:
            out.append(None)
            if kind == "m":
                break
    while len(out) < len(spec):
        out.append(None)
    return out, pos


def parse_fields(text: str, start: int, end: int) -> tuple[dict[str, Field], bool]:
    """``name={批归一化}, description={...}`` between ``start`` and ``end`` -> fields, and whether every braced
    value is closed."""
    fields: dict[str, Field] = {}
    pos = start
    ok = True
    while pos < end:
        m = _FIELD_NAME.match(text, pos, end)
        if m is None:
            nxt = text.find(",", pos, end)
            if nxt < 0:
                break
            pos = nxt + 1
            continue
        name = m.group(1).lower()
        vpos = m.end()
        if vpos < end and text[vpos] == "{":
            vend, closed = group(text, vpos)
            if not closed or vend > end:
                ok = False
                vend = min(vend, end)
                fields.setdefault(name, Field(text[vpos + 1 : vend], vpos + 1, vend))
                break
            fields.setdefault(name, Field(text[vpos + 1 : vend - 1], vpos + 1, vend - 1))
            pos = vend
        else:
            # a bare value runs to the next comma outside braces
            i = vpos
            depth = 0
            while i < end:
                ch = text[i]
                if ch == "\\":
                    i += 2
                    continue
                if ch == "{":
                    depth += 1
                elif ch == "}":
                    depth -= 1
                elif ch == "," and depth <= 0:
                    break
                i += 1
            if depth != 0:
                ok = False
            raw_end = i
            vs, ve = vpos, raw_end
            while ve > vs and text[ve - 1].isspace():
                ve -= 1
            fields.setdefault(name, Field(text[vs:ve], vs, ve))
            pos = raw_end + 1
    return fields, ok


# -- one document ---------------------------------------------------------------------------------------------------

def _inner(text: str, arg: Arg | None) -> tuple[str, int, int]:
    if arg is None:
        return "", -1, -1
    a, b = arg.inner
    return text[a:b], a, b


def _definition(text: str, name: str, start: int, name_end: int, out: GlossarySource,
                acro_lists: list[tuple[int, int]]) -> int:
    kind = DEFINITIONS[name]
    if name in ("newglossaryentry", "provideglossaryentry"):
        args, end = read_args(text, name_end, "mm")
    elif name == "longnewglossaryentry":
        args, end = read_args(text, name_end, "smmm")
        args = args[1:]
    elif name in ("acro", "acrodef", "newacro"):
        args, end = read_args(text, name_end, "mom")
    else:  # \newacronym[opts]{key}{short}{long}, \newabbreviation
        args, end = read_args(text, name_end, "ommm")
    if any(a is not None and not a.closed for a in args):
        # an unclosed brace: LaTeX would stop here; read on from the next line that starts a command
        m = re.compile(r"\n[ \t]*\\").search(text, name_end, end)
        if m is not None:
            end = m.start() + 1
            args = [a if a is None or a.end <= end else Arg(a.kind, a.start, end, False) for a in args]
    key, ks, ke = _inner(text, args[0] if kind in ("entry", "acro") else args[1])
    key = key.strip()
    entry = Entry(key, kind, name, start, end, ks, ke)
    broken = any(a is not None and not a.closed for a in args) or None in (
        args[:2] if kind == "entry" else args[1:4] if kind in ("acronym", "abbreviation") else (args[0], args[2])
    )
    if kind == "entry":
        fields_arg = args[1]
        if fields_arg is not None:
            a, b = fields_arg.inner
            entry.fields, ok = parse_fields(text, a, b)
            broken = broken or not ok
        if name == "longnewglossaryentry" and args[2] is not None:
            d, ds, de = _inner(text, args[2])
            entry.fields["description"] = Field(d, ds, de)
    elif kind in ("acronym", "abbreviation"):
        if args[0] is not None:
            a, b = args[0].inner
            opts, ok = parse_fields(text, a, b)
            broken = broken or not ok
            entry.fields.update(opts)
        for slot, fname in ((2, "short"), (3, "long")):
            v, vs, ve = _inner(text, args[slot])
            if vs >= 0:
                entry.fields[fname] = Field(v, vs, ve)
    else:  # acronym package: \acro{key}[short]{long}; the short form defaults to the key
        v, vs, ve = _inner(text, args[1])
        entry.fields["short"] = Field(v, vs, ve) if vs >= 0 else Field(key, ks, ke)
        v, vs, ve = _inner(text, args[2])
        if vs >= 0:
            entry.fields["long"] = Field(v, vs, ve)
        entry.in_list = name == "acro" and any(a <= start < b for a, b in acro_lists)
    if broken:
        key_arg = args[0] if kind in ("entry", "acro") else args[1]
        stop = key_arg.end if key_arg is not None and key_arg.closed else name_end
        out.problems.append(Problem(start, stop, "unbalanced", key, name))
    if not key:
        out.problems.append(Problem(start, name_end, "empty-key", "", name))
    elif not broken:
        out.entries.append(entry)
    elif entry.fields.get("name") or entry.fields.get("short") or entry.fields.get("long"):
        out.entries.append(entry)  # what could be read still defines the key (its uses are not "undefined")
    return end


def rendering_spans(text: str, name: str, start: int, name_end: int) -> tuple[int, list[tuple[int, int]]]:
    """(end of the definition, the source spans of its rendering values in order): what the prose scanner keeps."""
    scratch = GlossarySource()
    end = _definition(text, name, start, name_end, scratch, [])
    entry = scratch.entries[0] if scratch.entries else None
    if entry is None:
        return end, []
    spans = sorted({(f.start, f.end) for n, f in entry.fields.items() if n in RENDERING_FIELDS and f.start >= 0
                    and start <= f.start <= f.end <= end and f.start != entry.key_start})
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if not out or a >= out[-1][1]:
            out.append((a, b))
    return end, out


def _wrapper(text: str, name: str, start: int, name_end: int, out: GlossarySource) -> int:
    """``\\newcommand{\\bn}{\\gls{bn}}``, ``\\newcommand{\\term}[1]{\\textbf{\\gls{#1}}}``, ``\\def\\bn{\\acs{bn}}``."""
    pos = skip_ws(text, name_end)
    n = len(text)
    if name in ("def", "gdef", "edef", "xdef"):
        m = re.compile(r"\\([A-Za-z@]+)((?:#\d)*)\s*").match(text, pos)
        if m is None:
            return pos
        cname, params = m.group(1), m.group(2)
        nargs, optional = params.count("#"), False
        body_at = m.end()
    else:
        if pos < n and text[pos] == "*":
            pos = skip_ws(text, pos + 1)
        if pos < n and text[pos] == "{":
            end, closed = group(text, pos)
            inner = text[pos + 1 : end - 1].strip() if closed else ""
            m = re.fullmatch(r"\\([A-Za-z@]+)", inner)
            if m is None:
                return end
            cname, pos = m.group(1), end
        else:
            m = re.compile(r"\\([A-Za-z@]+)").match(text, pos)
            if m is None:
                return pos
            cname, pos = m.group(1), m.end()
        args, pos = read_args(text, pos, "oo")
        count, default = args
        nargs = int(text[count.start + 1 : count.end - 1].strip() or 0) if count and text[count.start + 1 : count.end - 1].strip().isdigit() else 0
        optional = default is not None
        body_at = skip_ws(text, pos)
    if body_at >= n or text[body_at] != "{":
        return body_at
    body_end, closed = group(text, body_at)
    if not closed:
        return body_end
    body = _STYLE.sub("", text[body_at + 1 : body_end - 1]).strip()
    while body.startswith("{") and body.endswith("}") and group(body, 0)[0] == len(body):
        body = body[1:-1].strip()
    m = _WRAPPED_USE.fullmatch(body)
    if m is None or m.group(1) == cname:
        return body_end
    key = m.group(3)
    if key.startswith("#"):
        if not re.fullmatch(r"#[1-9]", key) or int(key[1]) > nargs:
            return body_end
    elif "#" in key or "\\" in key:
        return body_end
    out.wrappers.append(Wrapper(cname, nargs, optional, m.group(1), key, start, body_end))
    return body_end


def parse(text: str, commands: list[tuple[str, int, int]]) -> GlossarySource:
    """What a LaTeX document says about glossaries. ``commands``: (name, start, name end) of every command the
    prose scanner met outside comments, math and verbatim, in order."""
    out = GlossarySource()
    acro_lists = [(m.start(), m.end()) for m in re.finditer(r"\\begin\{acronym\}.*?(?:\\end\{acronym\}|\Z)", text, re.S)] \
        if "\\begin{acronym}" in text else []
    bodies: list[tuple[int, int]] = []  # wrapper definitions: the uses inside them are templates
    skip_until = -1
    for name, start, name_end in commands:
        if start < skip_until:
            continue
        if name in DEFINITIONS:
            skip_until = _definition(text, name, start, name_end, out, acro_lists)
        elif name in NEWCOMMANDS:
            end = _wrapper(text, name, start, name_end, out)
            bodies.append((start, end))
        elif name in USES:
            if any(a <= start < b for a, b in bodies[-1:]):
                continue
            args, end = read_args(text, name_end, "som")  # \gls*[options]{key}
            arg = args[2]
            if arg is None:
                continue
            key, ks, ke = _inner(text, arg)
            # \gls{key}[inserted text]: the insert is printed too, but is ordinary text; it stays masked
            prints, case = USES[name]
            out.uses.append(Use(name, prints, case, key.strip(), start, end, ks, ke))
        elif name in PRINTS:
            out.prints.append(start)
        elif name in NOMENCLATURE:
            args, end = read_args(text, name_end, "omm")
            if args[1] is not None:
                a, b = args[1].inner
                out.nomenclature.append((start, end, a, b))
        elif name not in LOADERS:
            if any(a <= start < b for a, b in bodies[-1:]):
                continue
            out.commands.setdefault(name, []).append(start)
    return out


# -- what a use prints ---------------------------------------------------------------------------------------------

def _plural(text: str) -> str:
    return text + "s" if text and text[-1:].isascii() and text[-1:].isalpha() else text


def _case(text: str, case: str) -> str:
    if case == "all":
        return text.upper()
    if case == "first" and text:
        return text[0].upper() + text[1:]
    return text


def plain(value: str | None) -> str:
    """A field value as a reader sees it: braces, ``\\xspace``-like commands and ``~`` removed."""
    if not value:
        return ""
    v = re.sub(r"\\(?:xspace|relax|protect|ensuremath)(?![A-Za-z@])", "", value)
    v = re.sub(r"\\(?:textbf|textit|emph|textsc|textrm|textsf|mbox|text)(?![A-Za-z@])\s*", "", v)
    v = v.replace("~", " ").replace("\\ ", " ").replace("{", "").replace("}", "")
    return " ".join(v.split())


def forms(entry: Entry) -> dict[str, str]:
    """Every printable form of an entry, the packages' defaults filled in."""
    get = lambda name: plain(entry.value(name)) if entry.value(name) is not None else None  # noqa: E731
    if entry.kind == "entry":
        name = get("name") or entry.key
        text = get("text") or name
        first = get("first") or text
        plural = get("plural") or _plural(text)
        return {"name": name, "text": text, "first": first, "plural": plural,
                "firstplural": get("firstplural") or (_plural(first) if get("first") else plural),
                "symbol": get("symbol") or "", "description": get("description") or "",
                "short": text, "long": first, "full": first}
    short = get("short") or entry.key
    long = get("long") or short
    shortpl = get("shortplural") or _plural(short)
    longpl = get("longplural") or _plural(long)
    full = f"{long} ({short})"
    return {"name": short, "text": short, "first": get("first") or full, "plural": shortpl,
            "firstplural": get("firstplural") or f"{longpl} ({shortpl})", "symbol": get("symbol") or "",
            "description": get("description") or long, "short": short, "long": long, "full": full,
            "shortpl": shortpl, "longpl": longpl, "fullpl": f"{longpl} ({shortpl})"}


# which prints mark an entry as used (its first-use flag): \gls-like and the acronym package's \ac, \acp, \acf
_MARKS = frozenset({"gls", "glspl", "ac", "acp", "acf", "acfpl"})


def render(entry: Entry, prints: str, case: str, first_use: bool) -> tuple[str, bool]:
    """(the text a use prints, whether it marks the entry as used)."""
    f = forms(entry)
    if prints in ("gls", "ac"):
        text = f["first"] if first_use else f["text"]
    elif prints in ("glspl", "acp"):
        text = f["firstplural"] if first_use else f["plural"]
    elif prints == "acf":
        text = f["full"]
    elif prints == "acfpl":
        text = f.get("fullpl", f["firstplural"])
    else:
        text = f.get(prints) or f["text"]
    marks = prints in _MARKS and (entry.kind == "acro" or prints not in ("acf", "acfpl"))
    return _case(text, case), marks


__all__ = ["DEFINITIONS", "USES", "PRINTS", "GlossarySource", "Entry", "Use", "Wrapper", "Problem", "Field",
           "parse", "render", "forms", "plain", "read_args", "group", "RENDERING_FIELDS"]
