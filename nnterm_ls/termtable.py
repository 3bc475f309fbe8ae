"""The document set's own term table (`nnterm glossary`, the server's "insert term table" command).

Only the concepts the set uses, each in the renderings the set uses after consistency: the configured preference
when the set uses it, else the set's glossary entry, else the rendering written most often (a tie goes to the base's
preferred form). Renderings learned from the set's glosses are included. Each row says where the concept is first
used in reading order (file:line, and the label of the LaTeX section it is in).

Formats: latex (styles ``denotation`` — ThuThesis ``\\item[ABBR] 全称（English）`` —, ``glossaries`` —
``\\newglossaryentry`` / ``\\newacronym`` ready to ``\\input`` —, ``table`` — a longtable), markdown, csv, tbx.
"""

from __future__ import annotations

import csv
import io
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass

from .termbase.model import ABBREVIATION, TERM
from .termbase.pinyin import readings

FORMATS = ("latex", "markdown", "csv", "tbx")
STYLES = ("denotation", "glossaries", "table")
SORTS = ("pinyin", "en")

_SECTION = re.compile(r"\\(?:part|chapter|section|subsection|subsubsection)\*?\s*(?:\[[^\]]*\])?\s*\{")
_LABEL = re.compile(r"\\label\s*\{([^{}]+)\}")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*(?:\{#([^}]+)\})?\s*$", re.M)


@dataclass
class Row:
    concept_id: str
    zh: str
    en: str
    abbreviation: str
    path: str  # where it is first used
    line: int  # 1-based
    label: str  # the LaTeX label of the section of the first use ("" when none)
    key: str  # the set's glossary key for it, or a key made from the concept id

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def _section_label(doc, offset: int) -> str:
    """The \\label right after the last sectioning command before ``offset`` in a LaTeX document."""
    if doc.format.name != "latex":
        return ""
    text = doc.text
    last = None
    for m in _SECTION.finditer(text, 0, offset):
        last = m
    if last is None:
        return ""
    lm = _LABEL.search(text, last.end(), min(len(text), last.end() + 400))
    nxt = _SECTION.search(text, last.end())
    if lm is None or (nxt is not None and nxt.start() < lm.start()) or lm.start() > offset:
        return ""
    return lm.group(1).strip()


def _pick(counter: Counter, preferred: str | None, order: dict[str, int]) -> str:
    if preferred is not None and preferred in counter:
        return preferred
    return max(counter, key=lambda t: (counter[t], t == preferred, -order.get(t, 0)))


def rows(engine, analyses) -> list[Row]:
    """The term table of a document set (analyses in reading order)."""
    docs, ctx = engine.prepare(list(analyses))
    termbase = ctx.termbase
    entry_names: dict[tuple[str, str], str] = {}
    entry_keys: dict[str, str] = {}
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    abbrs: dict[str, Counter] = defaultdict(Counter)
    seen_order: dict[str, int] = {}
    first: dict[str, tuple] = {}
    order = 0
    for doc in docs:
        for occ, use in zip(doc.occurrences, doc.uses):
            if occ.ambiguous:
                continue
            form = occ.form
            cid = form.concept_id
            if use.skip == "entry":
                if form.kind == TERM:
                    entry_names.setdefault((cid, form.lang), occ.surface)
                entry_keys.setdefault(cid, use.entry or "")
                continue
            if use.skip is not None or occ.miscased:
                continue
            concept = termbase.concepts.get(cid)
            if concept is None or concept.common:
                continue
            order += 1
            if form.kind == ABBREVIATION:
                abbrs[cid][form.text] += 1
            elif form.kind == TERM:
                text = form.text if form.lang == "en" else occ.surface
                counts[(cid, form.lang)][text] += 1
                seen_order.setdefault(text, order)
            else:
                continue
            if use.entry and cid not in entry_keys:
                entry_keys[cid] = use.entry
            if cid not in first:
                first[cid] = (doc, occ.start)
    out: list[Row] = []
    for cid, (doc, start) in first.items():
        concept = termbase.concepts[cid]
        renderings = {}
        for lang in ("zh", "en"):
            c = counts.get((cid, lang))
            configured = ctx.preferences.get((cid, lang))
            base = configured or entry_names.get((cid, lang)) or concept.preferred(lang).text
            renderings[lang] = _pick(c, configured or entry_names.get((cid, lang)) or base, seen_order) if c else (
                entry_names.get((cid, lang)) or base)
        zh, en = renderings["zh"], renderings["en"]
        abbr = abbrs[cid].most_common(1)[0][0] if abbrs.get(cid) else ""
        if zh == en and not abbr:
            continue  # a name written the same in both languages (PyTorch): nothing to list
        key = entry_keys.get(cid) or re.sub(r"[^A-Za-z0-9:_-]+", "-", cid.split(":")[-1]).strip("-") or cid
        out.append(Row(cid, zh, en, abbr, doc.path, doc.lines.line_of(start) + 1, _section_label(doc, start), key))
    return out


def sort_rows(items: list[Row], by: str = "pinyin") -> list[Row]:
    if by == "en":
        return sorted(items, key=lambda r: (r.en.lower(), r.zh))

    def pinyin(text: str) -> str:
        found = readings(text)
        return " ".join(found[0]) if found else text.lower()

    return sorted(items, key=lambda r: (pinyin(r.zh), r.en.lower()))


# -- writers ---------------------------------------------------------------------------------------------------------

_TEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
                "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def tex(text: str) -> str:
    return "".join(_TEX_SPECIAL.get(c, c) for c in text)


def _where(row: Row, relative_to: str | None) -> str:
    path = os.path.relpath(os.path.abspath(row.path), relative_to) if relative_to else row.path
    return f"{path.replace(os.sep, '/')}:{row.line}"


def latex(items: list[Row], style: str = "denotation", relative_to: str | None = None) -> str:
    lines: list[str] = ["% term table written by nnterm glossary: the concepts this document set uses"]
    if style == "denotation":
        lines.append("\\begin{denotation}[3cm]")
        for r in items:
            # an abbreviation: \item[BN] 批量归一化（batch normalization）; a term without one: \item[学习率] learning rate
            label = r.abbreviation or r.zh
            body = (f"{tex(r.zh)}（{tex(r.en)}）" if r.zh != r.en else tex(r.zh)) if r.abbreviation else tex(r.en)
            lines.append(f"  \\item[{tex(label)}] {body} % {_where(r, relative_to)}")
        lines.append("\\end{denotation}")
    elif style == "glossaries":
        for r in items:
            where = f"% first used: {_where(r, relative_to)}" + (f" (\\ref{{{r.label}}})" if r.label else "")
            lines.append(where)
            if r.abbreviation:
                lines.append(f"\\newacronym[description={{{tex(r.en)}}}]{{{r.key}}}{{{tex(r.abbreviation)}}}{{{tex(r.zh)}}}")
            else:
                lines.append(f"\\newglossaryentry{{{r.key}}}{{name={{{tex(r.zh)}}}, description={{{tex(r.en)}}}}}")
    elif style == "table":
        lines += ["\\begin{longtable}{llll}", "\\hline", "中文 & English & 缩写 & 首次出现 \\\\", "\\hline", "\\endhead"]
        for r in items:
            where = f"\\ref{{{r.label}}}" if r.label else f"\\texttt{{{tex(_where(r, relative_to))}}}"
            lines.append(f"{tex(r.zh)} & {tex(r.en)} & {tex(r.abbreviation)} & {where} \\\\")
        lines += ["\\hline", "\\end{longtable}"]
    else:
        raise ValueError(f"unknown style {style!r} (known: {', '.join(STYLES)})")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def markdown(items: list[Row], relative_to: str | None = None) -> str:
    lines = ["## 术语表", "", "| 中文 | English | 缩写 | 首次出现 |", "|---|---|---|---|"]
    for r in items:
        where = r.label or _where(r, relative_to)
        lines.append(f"| {_md(r.zh)} | {_md(r.en)} | {_md(r.abbreviation)} | {_md(where)} |")
    return "\n".join(lines) + "\n"


def csv_text(items: list[Row], relative_to: str | None = None) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["zh", "en", "abbreviation", "first_use", "label", "concept", "key"])
    for r in items:
        w.writerow([r.zh, r.en, r.abbreviation, _where(r, relative_to), r.label, r.concept_id, r.key])
    return out.getvalue()


def tbx(items: list[Row], relative_to: str | None = None) -> str:
    from .termbase.interchange import TBX_NS, XML_LANG

    ET.register_namespace("", TBX_NS)
    root = ET.Element(f"{{{TBX_NS}}}tbx", {"style": "dca", "type": "TBX-Basic", XML_LANG: "zh"})
    header = ET.SubElement(root, f"{{{TBX_NS}}}tbxHeader")
    source = ET.SubElement(ET.SubElement(header, f"{{{TBX_NS}}}fileDesc"), f"{{{TBX_NS}}}sourceDesc")
    ET.SubElement(source, f"{{{TBX_NS}}}p").text = "terms used by a document set (nnterm glossary)"
    body = ET.SubElement(ET.SubElement(root, f"{{{TBX_NS}}}text"), f"{{{TBX_NS}}}body")
    for r in items:
        entry = ET.SubElement(body, f"{{{TBX_NS}}}conceptEntry", {"id": r.key})
        ET.SubElement(entry, f"{{{TBX_NS}}}note").text = f"first use: {_where(r, relative_to)}" + (
            f" ({r.label})" if r.label else "")
        for lang, text in (("zh", r.zh), ("en", r.en)):
            sec = ET.SubElement(entry, f"{{{TBX_NS}}}langSec", {XML_LANG: lang})
            term_sec = ET.SubElement(sec, f"{{{TBX_NS}}}termSec")
            ET.SubElement(term_sec, f"{{{TBX_NS}}}term").text = text
            ET.SubElement(term_sec, f"{{{TBX_NS}}}termNote", {"type": "termType"}).text = "fullForm"
            if lang == "en" and r.abbreviation:
                abbr_sec = ET.SubElement(sec, f"{{{TBX_NS}}}termSec")
                ET.SubElement(abbr_sec, f"{{{TBX_NS}}}term").text = r.abbreviation
                ET.SubElement(abbr_sec, f"{{{TBX_NS}}}termNote", {"type": "termType"}).text = "acronym"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render(items: list[Row], fmt: str = "latex", style: str = "denotation", relative_to: str | None = None) -> str:
    if fmt == "latex":
        return latex(items, style, relative_to)
    if fmt == "markdown":
        return markdown(items, relative_to)
    if fmt == "csv":
        return csv_text(items, relative_to)
    if fmt == "tbx":
        return tbx(items, relative_to)
    raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")


def term_table(engine, analyses, fmt: str = "latex", style: str = "denotation", sort: str = "pinyin",
               relative_to: str | None = None) -> str:
    return render(sort_rows(rows(engine, analyses), sort), fmt, style, relative_to)


__all__ = ["Row", "rows", "sort_rows", "render", "term_table", "FORMATS", "STYLES", "SORTS"]
