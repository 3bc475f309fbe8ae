"""Export the base as CSV, TBX-Basic or JSON; import CSV, TBX or JSON into a term file.

The JSON shape is the one `nnterm lookup --json` prints. CSV has a row per form with the concept's fields repeated,
so that nothing is lost on a round trip; a CSV a user keeps elsewhere (columns such as English/Chinese) imports too.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

import yaml

from .model import ABBREVIATION, ADMITTED, CODE, DEPRECATED, PREFERRED, TERM, Concept, default_case

CSV_COLUMNS = [
    "id", "category", "lang", "type", "status", "text", "ambiguous", "case", "note",
    "definition_en", "definition_zh", "related", "seeds", "common", "designation", "head", "cues",
]
TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_STATUS_TBX = {PREFERRED: "preferredTerm-admn-sts", ADMITTED: "admittedTerm-admn-sts", DEPRECATED: "deprecatedTerm-admn-sts"}
_TBX_STATUS = {v: k for k, v in _STATUS_TBX.items()} | {"supersededTerm-admn-sts": DEPRECATED}
_TYPE_TBX = {TERM: "fullForm", ABBREVIATION: "acronym", CODE: "variant"}
_TBX_TYPE = {"fullForm": TERM, "acronym": ABBREVIATION, "abbreviation": ABBREVIATION, "shortForm": ABBREVIATION,
             "variant": CODE, "phrase": TERM}


class ImportError_(ValueError):
    """A file that cannot be imported, with the line (or record) at fault."""


# -- export ---------------------------------------------------------------------------------------------------------


def export_json(concepts: Iterable[Concept]) -> str:
    return json.dumps([c.to_json() for c in concepts], ensure_ascii=False, indent=2) + "\n"


def export_csv(concepts: Iterable[Concept]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in concepts:
        for f in c.forms:
            writer.writerow([
                c.id, c.category, f.lang, f.kind, f.status, f.text, "true" if f.ambiguous else "",
                f.case if f.case != default_case(f.text, f.kind) else "", f.note or "",
                c.definition_en, c.definition_zh, "|".join(c.related), "|".join(c.seeds), "true" if c.common else "",
                f.designation, "true" if f.head else "", "|".join(c.cues),
            ])
    return out.getvalue()


def export_tbx(concepts: Iterable[Concept]) -> str:
    ET.register_namespace("", TBX_NS)
    root = ET.Element(f"{{{TBX_NS}}}tbx", {"style": "dca", "type": "TBX-Basic", XML_LANG: "en"})
    header = ET.SubElement(root, f"{{{TBX_NS}}}tbxHeader")
    file_desc = ET.SubElement(header, f"{{{TBX_NS}}}fileDesc")
    source = ET.SubElement(file_desc, f"{{{TBX_NS}}}sourceDesc")
    ET.SubElement(source, f"{{{TBX_NS}}}p").text = "nnterm-ls term base of neural-network terminology"
    body = ET.SubElement(ET.SubElement(root, f"{{{TBX_NS}}}text"), f"{{{TBX_NS}}}body")
    for c in concepts:
        entry = ET.SubElement(body, f"{{{TBX_NS}}}conceptEntry", {"id": c.id})
        ET.SubElement(entry, f"{{{TBX_NS}}}descrip", {"type": "subjectField"}).text = c.category
        for rid in c.related:
            ET.SubElement(entry, f"{{{TBX_NS}}}ref", {"type": "crossReference", "target": rid}).text = rid
        if c.seeds:
            ET.SubElement(entry, f"{{{TBX_NS}}}note").text = "seeds: " + " ".join(c.seeds)
        if c.common:
            ET.SubElement(entry, f"{{{TBX_NS}}}note").text = "common: true"
        if c.cues:
            ET.SubElement(entry, f"{{{TBX_NS}}}note").text = "cues: " + "|".join(c.cues)
        for lang, definition in (("en", c.definition_en), ("zh", c.definition_zh)):
            sec = ET.SubElement(entry, f"{{{TBX_NS}}}langSec", {XML_LANG: lang})
            ET.SubElement(sec, f"{{{TBX_NS}}}descrip", {"type": "definition"}).text = definition
            for f in c.forms:
                if f.lang != lang:
                    continue
                term_sec = ET.SubElement(sec, f"{{{TBX_NS}}}termSec")
                ET.SubElement(term_sec, f"{{{TBX_NS}}}term").text = f.text
                ET.SubElement(term_sec, f"{{{TBX_NS}}}termNote", {"type": "termType"}).text = _TYPE_TBX[f.kind]
                ET.SubElement(term_sec, f"{{{TBX_NS}}}termNote", {"type": "administrativeStatus"}).text = _STATUS_TBX[f.status]
                if f.ambiguous:
                    ET.SubElement(term_sec, f"{{{TBX_NS}}}note").text = "ambiguous: true"
                if f.case != default_case(f.text, f.kind):
                    ET.SubElement(term_sec, f"{{{TBX_NS}}}note").text = f"case: {f.case}"
                if f.note:
                    ET.SubElement(term_sec, f"{{{TBX_NS}}}note").text = f.note
                if f.designation:  # TBX-Basic has no grouping of terms inside a langSec: a note carries it
                    head = " (head)" if f.head else ""
                    ET.SubElement(term_sec, f"{{{TBX_NS}}}note").text = f"designation: {f.designation}{head}"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# -- import: everything becomes records of the JSON shape, then term-file entries ----------------------------------


def entry_from_record(rec: dict) -> dict:
    """A JSON-shaped concept -> an entry of a YAML term file."""
    entry: dict = {"id": rec["id"]}
    forms = rec.get("forms") or []

    def form_value(f: dict):
        extra = {}
        if f.get("ambiguous"):
            extra["ambiguous"] = True
        if f.get("case") and f["case"] != default_case(f["text"], f.get("type", TERM)):
            extra["case"] = f["case"]
        if f.get("note"):
            extra["note"] = f["note"]
        return {"text": f["text"], **extra} if extra else f["text"]

    main = [f for f in forms if not f.get("designation")]
    others: dict[str, list[dict]] = {}
    for f in forms:
        if f.get("designation"):
            others.setdefault(f["designation"], []).append(f)
    forms = main
    for lang in ("en", "zh"):
        pref = next((f for f in forms if f["lang"] == lang and f["status"] == PREFERRED), None)
        if pref is None and rec.get(lang):
            pref = {"text": rec[lang], "lang": lang, "status": PREFERRED}
        if pref is not None:
            entry[lang] = form_value(pref)
    for key, kind in (("abbr", ABBREVIATION), ("code", CODE)):
        items = [form_value(f) for f in forms if f.get("type") == kind]
        if items:
            entry[key] = items
    for key, status in (("variants", ADMITTED), ("deprecated", DEPRECATED)):
        block = {}
        for lang in ("en", "zh"):
            items = [form_value(f) for f in forms if f["lang"] == lang and f["status"] == status and f.get("type", TERM) == TERM]
            if items:
                block[lang] = items
        if block:
            entry[key] = block
    designations = []
    for dforms in others.values():
        d: dict = {}
        for lang in ("en", "zh"):
            head = next((f for f in dforms if f["lang"] == lang and f.get("head")), None)
            if head is not None:
                d[lang] = form_value(head)
        for key, status in (("variants", ADMITTED), ("deprecated", DEPRECATED)):
            block = {}
            for lang in ("en", "zh"):
                items = [form_value(f) for f in dforms if f["lang"] == lang and not f.get("head") and f["status"] == status]
                if items:
                    block[lang] = items
            if block:
                d[key] = block
        if d:
            designations.append(d)
    if designations:
        entry["designations"] = designations
    definition = {k: v for k, v in (rec.get("definition") or {}).items() if v}
    if definition:
        entry["definition"] = definition
    if rec.get("category"):
        entry["category"] = rec["category"]
    if rec.get("related"):
        entry["related"] = list(rec["related"])
    if rec.get("seeds"):
        entry["seeds"] = list(rec["seeds"])
    if rec.get("common"):
        entry["common"] = True
    if rec.get("cues"):
        entry["cues"] = list(rec["cues"])
    return entry


def records_from_json(text: str) -> list[dict]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportError_(f"line {exc.lineno}: invalid JSON: {exc.msg}") from None
    if not isinstance(data, list):
        raise ImportError_("line 1: expected a JSON array of concepts")
    for i, rec in enumerate(data):
        if not isinstance(rec, dict) or "id" not in rec:
            raise ImportError_(f"concept #{i + 1}: expected an object with 'id'")
        forms = rec.get("forms") or []
        if not isinstance(forms, list):
            raise ImportError_(f"concept #{i + 1} ({rec['id']}): 'forms' must be a list")
        for j, f in enumerate(forms):
            if not isinstance(f, dict) or not str(f.get("text") or "").strip() or f.get("lang") not in ("en", "zh"):
                raise ImportError_(f"concept #{i + 1} ({rec['id']}), form #{j + 1}: expected an object with 'text' "
                                   "and 'lang' (en or zh)")
            f.setdefault("stated", "status" in f)
            f.setdefault("status", ADMITTED)
            if f["status"] not in (PREFERRED, ADMITTED, DEPRECATED):
                raise ImportError_(f"concept #{i + 1} ({rec['id']}), form #{j + 1}: unknown status {f['status']!r}")
    return data


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s or "term"


def records_from_csv(text: str, delimiter: str = ",") -> list[dict]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    if not reader.fieldnames:
        raise ImportError_("line 1: empty CSV")
    fields = [f.strip().lower() for f in reader.fieldnames]
    reader.fieldnames = fields
    if {"id", "text", "lang"} <= set(fields):
        return _records_from_our_csv(reader)
    return _records_from_simple_csv(((reader.line_num, row) for row in reader), fields)


def _records_from_our_csv(reader) -> list[dict]:
    records: dict[str, dict] = {}
    for row in reader:
        line = reader.line_num
        cid = (row.get("id") or "").strip()
        if not cid or not (row.get("text") or "").strip():
            raise ImportError_(f"line {line}: every row needs an id and a text")
        if row.get("lang") not in ("en", "zh"):
            raise ImportError_(f"line {line}: lang must be 'en' or 'zh', not {row.get('lang')!r}")
        rec = records.get(cid)
        if rec is None:
            rec = records[cid] = {
                "id": cid,
                "category": row.get("category") or "",
                "forms": [],
                "definition": {"en": row.get("definition_en") or "", "zh": row.get("definition_zh") or ""},
                "related": [r for r in (row.get("related") or "").split("|") if r],
                "seeds": [s for s in (row.get("seeds") or "").split("|") if s],
                "common": (row.get("common") or "").lower() == "true",
                "cues": [c for c in (row.get("cues") or "").split("|") if c],
            }
        form = {
            "text": row["text"].strip(),
            "lang": row["lang"],
            "status": (row.get("status") or "").strip() or ADMITTED,
            "stated": bool((row.get("status") or "").strip()),
            "type": row.get("type") or TERM,
        }
        if form["status"] not in (PREFERRED, ADMITTED, DEPRECATED):
            raise ImportError_(f"line {line}: unknown status {form['status']!r}")
        if (row.get("ambiguous") or "").lower() == "true":
            form["ambiguous"] = True
        if row.get("case"):
            form["case"] = row["case"]
        if row.get("note"):
            form["note"] = row["note"]
        if row.get("designation"):
            form["designation"] = row["designation"]
            form["head"] = (row.get("head") or "").lower() == "true"
        rec["forms"].append(form)
    return list(records.values())


_EN_COLS = ("en", "english", "英文", "term_en", "source")
_ZH_COLS = ("zh", "chinese", "中文", "term_zh", "target", "zh-cn", "zh_cn")
_STATUS_COLS = ("status", "状态")
_ABBR_COLS = ("abbr", "abbreviation", "abbreviations", "缩写", "缩略语")
_NOTE_COLS = ("note", "notes", "备注", "说明")
# the words a glossary's status column may hold
STATUS_WORDS = {
    PREFERRED: ("preferred", "首选", "推荐"),
    ADMITTED: ("admitted", "许可", "可用"),
    DEPRECATED: ("deprecated", "弃用", "不推荐"),
}
_COLUMN_NAMES = (_EN_COLS, _ZH_COLS, _STATUS_COLS, _ABBR_COLS, _NOTE_COLS)
_STATUS_OF_WORD = {w: status for status, words in STATUS_WORDS.items() for w in words}


def _records_from_simple_csv(rows, fields) -> list[dict]:
    """A glossary of a row per concept: an English and a Chinese column (several renderings separated by | ; 、 or
    /), optionally a status column (the status of the row's Chinese renderings: preferred applies to the first, the
    others are admitted), an abbreviation column and a note column (``abbr=CBOW`` in a note is an abbreviation).

    The English term names the concept (the preferred English term of a new concept, an admitted one of a built-in
    concept); the first Chinese rendering is the preferred one of a new concept, but for a concept of the built-in
    base only a status column saying so makes it preferred (``stated``)."""

    def column(names):
        return next((c for c in fields if c in names), None)

    en_col, zh_col = column(_EN_COLS), column(_ZH_COLS)
    status_col, abbr_col, note_col = column(_STATUS_COLS), column(_ABBR_COLS), column(_NOTE_COLS)
    if en_col is None or zh_col is None:
        raise ImportError_(f"line 1: need an English and a Chinese column (found: {', '.join(fields)})")
    records: dict[str, dict] = {}
    for line, row in rows:
        en = (row.get(en_col) or "").strip()
        zh_cell = (row.get(zh_col) or "").strip()
        if not en or not zh_cell:
            continue
        zh_forms = [z.strip() for z in re.split(r"[|;；、/]", zh_cell) if z.strip()]
        word = (row.get(status_col) or "").strip() if status_col else ""
        status = _STATUS_OF_WORD.get(word.lower()) if word else None
        if word and status is None:
            known = ", ".join(w for words in STATUS_WORDS.values() for w in words)
            raise ImportError_(f"line {line}: unknown status {word!r} in column {status_col!r} (use one of: {known})")
        abbrs = [a.strip() for a in re.split(r"[|;；、,，]", (row.get(abbr_col) or "") if abbr_col else "") if a.strip()]
        note = (row.get(note_col) or "").strip() if note_col else ""
        kept_note = []
        for part in re.split(r"[;；]", note):
            part = part.strip()
            if part.lower().startswith("abbr="):
                abbrs += [a.strip() for a in part[5:].split(",") if a.strip()]
            elif part:
                kept_note.append(part)
        cid = slug(en)
        base, n = cid, 2
        while cid in records:
            cid, n = f"{base}-{n}", n + 1
        forms = [{"text": en, "lang": "en", "status": ADMITTED, "stated": False, "type": TERM}]  # a new concept's preferred
        for i, z in enumerate(zh_forms):
            if status == PREFERRED:
                zs, stated = (PREFERRED, True) if i == 0 else (ADMITTED, True)
            elif status is not None:
                zs, stated = status, True
            else:
                zs, stated = (PREFERRED if i == 0 else ADMITTED), False
            form = {"text": z, "lang": "zh", "status": zs, "stated": stated, "type": TERM}
            if i == 0 and kept_note:
                form["note"] = "; ".join(kept_note)
            forms.append(form)
        forms += [{"text": a, "lang": "en", "status": ADMITTED, "stated": False, "type": ABBREVIATION}
                  for a in dict.fromkeys(abbrs)]
        records[cid] = {
            "id": cid,
            "forms": forms,
            "definition": {"en": row.get("definition_en") or row.get("definition") or "", "zh": row.get("definition_zh") or ""},
            "line": line,
        }
    # a glossary that capitalises its English column (Accelerator, Adaptive Bit Rate) says nothing about the casing of
    # the terms in prose: such forms are written case: ignore, else the casing rule would report "adaptive bit rate"
    english = [r["forms"][0]["text"] for r in records.values()]
    if english and sum(1 for e in english if e[:1].isupper()) >= 0.8 * len(english):
        for rec in records.values():
            for f in rec["forms"]:
                if f["lang"] == "en" and f["type"] == TERM and _capitals_at_word_starts(f["text"]):
                    f["case"] = "ignore"
    return list(records.values())


def _capitals_at_word_starts(text: str) -> bool:
    words = re.findall(r"[A-Za-z]+", text)
    return any(w[:1].isupper() for w in words) and all(w[1:] == w[1:].lower() for w in words)


_TABLE_ROW = re.compile(r"^\s{0,3}\|(.*)\|\s*$")
_RULE_CELL = re.compile(r"^\s*:?-{3,}:?\s*$")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _cells(line: str) -> list[str]:
    inner = _TABLE_ROW.match(line).group(1)
    cells = re.split(r"(?<!\\)\|", inner)
    return [_LINK.sub(r"\1", c).replace("\\|", "|").replace("`", "").replace("**", "").strip() for c in cells]


def records_from_markdown(text: str) -> list[dict]:
    """The pipe tables of a Markdown glossary (a 术语表.md): every table whose header has an English and a Chinese
    column (英文, 中文, …; also 缩写 and 状态 columns), read like a plain CSV glossary; links keep their text."""
    lines = text.lstrip("\ufeff").splitlines()
    rows: list[tuple[int, dict]] = []
    first_header: list[str] = []
    glossary_tables = 0
    i = 0
    while i + 1 < len(lines):
        if not (_TABLE_ROW.match(lines[i]) and _TABLE_ROW.match(lines[i + 1])
                and all(_RULE_CELL.match(c) for c in _cells(lines[i + 1]))):
            i += 1
            continue
        header = [c.lower() for c in _cells(lines[i])]
        first_header = first_header or header
        # tables of one file may name their columns differently (英文 here, English there): one name each
        header = [next((names[0] for names in _COLUMN_NAMES if c in names), c) for c in header]
        j = i + 2
        is_glossary = any(c in _EN_COLS for c in header) and any(c in _ZH_COLS for c in header)
        glossary_tables += is_glossary
        while j < len(lines) and _TABLE_ROW.match(lines[j]):
            if is_glossary:
                rows.append((j + 1, dict(zip(header, _cells(lines[j])))))
            j += 1
        i = j
    if not glossary_tables:
        found = f"the first table's columns: {', '.join(first_header)}" if first_header else "no pipe table found"
        raise ImportError_(f"line 1: need a table with an English and a Chinese column ({found})")
    fields = list(dict.fromkeys(k for _line, row in rows for k in row))
    return _records_from_simple_csv(rows, fields)


def records_from_tbx(text: str) -> list[dict]:
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        raise ImportError_(f"line {exc.position[0]}: invalid XML: {exc}") from None

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    records = []
    for n, entry in enumerate(root.iter()):
        if local(entry.tag) not in ("conceptEntry", "termEntry"):
            continue
        rec = {"id": entry.get("id") or f"concept-{n}", "forms": [], "definition": {"en": "", "zh": ""},
               "related": [], "seeds": [], "category": ""}
        for child in entry:
            tag = local(child.tag)
            if tag == "descrip" and child.get("type") == "subjectField":
                rec["category"] = (child.text or "").strip()
            elif tag == "ref" and child.get("type") == "crossReference":
                rec["related"].append(child.get("target") or (child.text or "").strip())
            elif tag == "note" and (child.text or "").startswith("seeds:"):
                rec["seeds"] = child.text.split(":", 1)[1].split()
            elif tag == "note" and (child.text or "").strip() == "common: true":
                rec["common"] = True
            elif tag == "note" and (child.text or "").strip().startswith("cues: "):
                rec["cues"] = [c for c in (child.text or "").strip()[len("cues: "):].split("|") if c]
            elif tag in ("langSec", "langSet"):
                lang = (child.get(XML_LANG) or "").lower()
                lang = "zh" if lang.startswith("zh") else "en" if lang.startswith("en") else lang
                for item in child:
                    itag = local(item.tag)
                    if itag == "descrip" and item.get("type") == "definition":
                        rec["definition"][lang] = (item.text or "").strip()
                    elif itag in ("termSec", "tig", "ntig"):
                        rec["forms"].append(_tbx_form(item, lang, local))
        # TBX without statuses: the first term of each language is the preferred one (implied, not stated)
        for lang in ("en", "zh"):
            lang_forms = [f for f in rec["forms"] if f["lang"] == lang and f.get("type", TERM) == TERM]
            if lang_forms and not any(f["status"] == PREFERRED for f in lang_forms):
                lang_forms[0]["status"] = PREFERRED
                lang_forms[0]["stated"] = False
        records.append(rec)
    return records


def _tbx_form(item, lang: str, local) -> dict:
    form = {"text": "", "lang": lang, "status": "", "stated": False, "type": TERM}
    for el in item.iter():
        tag = local(el.tag)
        if tag == "term":
            form["text"] = (el.text or "").strip()
        elif tag == "termNote" and el.get("type") == "administrativeStatus":
            value = (el.text or "").strip()
            form["status"] = _TBX_STATUS.get(value, ADMITTED)
            form["stated"] = value in _TBX_STATUS
        elif tag == "termNote" and el.get("type") == "termType":
            form["type"] = _TBX_TYPE.get((el.text or "").strip(), TERM)
        elif tag == "note":
            text = (el.text or "").strip()
            if text == "ambiguous: true":
                form["ambiguous"] = True
            elif text.startswith("case: "):
                form["case"] = text[6:]
            elif text.startswith("designation: "):
                name = text[len("designation: "):]
                form["head"] = name.endswith(" (head)")
                form["designation"] = name.removesuffix(" (head)")
            elif text:
                form["note"] = text
    form["status"] = form["status"] or ADMITTED
    return form


def records_from(text: str, fmt: str) -> list[dict]:
    if fmt == "json":
        return records_from_json(text)
    if fmt == "csv":
        return records_from_csv(text)
    if fmt == "tsv":
        return records_from_csv(text, delimiter="\t")
    if fmt == "markdown":
        return records_from_markdown(text)
    if fmt == "tbx":
        return records_from_tbx(text)
    raise ImportError_(f"unknown format {fmt!r}")


def term_file(records: list[dict], category: str | None = None, schema: str | None = None) -> str:
    """A YAML term file holding the records in full (``schema``: what its yaml-language-server line points at,
    by default the schema nnterm runs with)."""
    if schema is None:
        from ..paths import schema_path

        schema = schema_path("terms.schema.json").resolve().as_uri()
    entries = [entry_from_record(r) for r in records]
    doc: dict = {}
    if category:
        doc["category"] = category
    doc["concepts"] = entries
    body = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120)
    return f"# yaml-language-server: $schema={schema}\n" + body


__all__ = ["export_json", "export_csv", "export_tbx", "records_from", "term_file", "ImportError_"]
