"""Code actions as plain data (document-local edits or commands), and the edits to the workspace's files that the
"use this rendering" and "add this word" commands make. The server turns these into LSP objects."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from ...match.matcher import is_han
from ...rules.findings import Edit, Finding

QUICKFIX = "quickfix"
FIX_ALL = "source.fixAll.nnterm"
REFACTOR = "refactor.rewrite"

CMD_SET_PREFERRED = "nnterm.setPreferred"
CMD_ADD_TERM = "nnterm.addTerm"
CMD_ADD_GLOSSARY_ENTRY = "nnterm.addGlossaryEntry"
CMD_INSERT_TERM_TABLE = "nnterm.insertTermTable"
COMMANDS = (CMD_SET_PREFERRED, CMD_ADD_TERM, CMD_ADD_GLOSSARY_ENTRY, CMD_INSERT_TERM_TABLE)

TERMS_FILE = ".nnterm/terms.yaml"


@dataclass
class Action:
    title: str
    kind: str
    edits: list[Edit] = field(default_factory=list)  # in the document the action was asked for
    findings: list[Finding] = field(default_factory=list)  # the diagnostics it resolves
    command: tuple[str, list] | None = None
    preferred: bool = False


def _non_overlapping(edits: list[Edit]) -> list[Edit]:
    out: list[Edit] = []
    pos = -1
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos:
            continue
        out.append(e)
        pos = e.end
    return out


def fix_all(findings: list[Finding], *, concept_id: str | None = None, safe_only: bool = True) -> list[Edit]:
    edits = []
    for f in findings:
        if f.fix is None or (safe_only and not f.fix.safe):
            continue
        if concept_id is not None and f.concept_id != concept_id:
            continue
        edits.extend(f.fix.edits)
    return _non_overlapping(edits)


def suppress_edit(analysis, finding: Finding) -> Edit:
    """A suppression comment on its own line before the finding's line, indented like it."""
    lines = analysis.lines
    line = lines.line_of(finding.start)
    start = lines.starts[line]
    text = lines.line_text(line)
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    comment = f"{indent}{analysis.format.next_line_comment(finding.code)}\n"
    return Edit(start, start, comment)


def gloss_text(concept, analysis_lang: str, occ_lang: str) -> str | None:
    if concept.zh == concept.en:
        return None
    if occ_lang == "zh":
        abbrs = concept.abbreviations
        return f"（{concept.en}，{abbrs[0]}）" if abbrs else f"（{concept.en}）"
    return f" ({concept.zh})"


def is_glossed(analysis, occ_index: int) -> bool:
    return any(g.head == occ_index for g in analysis.glosses)


def code_actions(analysis, findings: list[Finding], start: int, end: int, termbase, occurrence_at, preferred_text) -> list[Action]:
    """Every action for the range [start, end] of an analysed document with its current findings."""
    actions: list[Action] = []
    here = [f for f in findings if f.start <= end and f.end >= start]
    concepts_done: set[str] = set()
    for f in here:
        if f.fix is not None and f.fix.edits:
            actions.append(Action(f.fix.title, QUICKFIX, list(f.fix.edits), [f], preferred=f.fix.safe))
    for f in here:
        if f.concept_id and f.concept_id not in concepts_done and f.fix is not None:
            concepts_done.add(f.concept_id)
            same = [g for g in findings if g.concept_id == f.concept_id and g.fix is not None]
            if len(same) > 1:
                concept = termbase.get(f.concept_id)
                name = concept.zh if concept is not None else f.concept_id
                actions.append(Action(f"Fix all '{name}' in this document ({len(same)})", QUICKFIX, fix_all(same, safe_only=False), same))
    for f in here:
        actions.append(Action(f"Suppress '{f.code}' on this line", QUICKFIX, [suppress_edit(analysis, f)], [f]))
    for f in here:
        if f.code in ("inconsistent", "non-preferred") and f.concept_id:
            occ = occurrence_at(analysis, f.start)
            if occ is not None and not occ.ambiguous and occ.form.text != preferred_text(f.concept_id, occ.form.lang):
                actions.append(
                    Action(
                        f"Use '{occ.form.text}' as the preferred rendering (write .nnterm.yaml)",
                        REFACTOR,
                        command=(CMD_SET_PREFERRED, [f.concept_id, occ.form.lang, occ.form.text]),
                    )
                )
    # the occurrence under the cursor: gloss, and "use this rendering" when no finding offered it
    occ = occurrence_at(analysis, start)
    if occ is not None and not occ.ambiguous:
        index = analysis.occurrences.index(occ)
        concept = termbase.get(occ.form.concept_id)
        gloss = gloss_text(concept, analysis.lang, occ.lang) if concept is not None else None
        if gloss and not is_glossed(analysis, index) and not any(f.code == "missing-gloss" and f.start == occ.start for f in here):
            title = f"Add the English gloss {gloss.strip()}" if occ.lang == "zh" else f"Add the Chinese gloss {gloss.strip()}"
            actions.append(Action(title, QUICKFIX, [Edit(occ.end, occ.end, gloss)]))
        form = occ.form
        if concept is not None and form.kind == "term" and form.text != preferred_text(concept.id, form.lang):
            if not any(a.command and a.command[1][2] == form.text for a in actions):
                actions.append(
                    Action(
                        f"Use '{form.text}' as the preferred rendering (write .nnterm.yaml)",
                        REFACTOR,
                        command=(CMD_SET_PREFERRED, [concept.id, form.lang, form.text]),
                    )
                )
    elif occ is None:
        word = selected_or_word(analysis, start, end)
        if word and not termbase.lookup(word):
            actions.append(Action(f"Add '{word}' to the term base ({TERMS_FILE})", REFACTOR, command=(CMD_ADD_TERM, [word])))
    return actions


_WORD = re.compile(r"[A-Za-z][A-Za-z0-9-]*(?: [A-Za-z][A-Za-z0-9-]*)*")


def selected_or_word(analysis, start: int, end: int) -> str | None:
    """The selected prose text (one line, at most 40 characters), or the English word under the cursor."""
    text = analysis.text
    masked = analysis.prose.masked
    if end > start:
        sel = text[start:end].strip()
        if not sel or "\n" in sel or len(sel) > 40 or "\x01" in masked[start:end]:
            return None
        return sel
    i = j = start
    while i > 0 and text[i - 1].isascii() and text[i - 1].isalnum():
        i -= 1
    while j < len(text) and text[j].isascii() and (text[j].isalnum() or text[j] == "-"):
        j += 1
    if j - i < 2 or "\x01" in masked[i:j]:
        return None
    return text[i:j]


# --------------------------------------------------------------------------------------------------------------
# editing .nnterm.yaml and the workspace term file (text-level, so comments and layout survive)


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _top_key_block(lines: list[str], key: str) -> tuple[int, int] | None:
    """(index of the `key:` line, index after its block) for a block-style top-level key."""
    pat = re.compile(rf"^{re.escape(key)}:\s*(#.*)?$")
    for i, line in enumerate(lines):
        if pat.match(line):
            j = i + 1
            while j < len(lines) and (not lines[j].strip() or lines[j][:1] in " \t" or lines[j].lstrip().startswith("#")):
                j += 1
            while j > i + 1 and not lines[j - 1].strip():
                j -= 1
            return i, j
    return None


def _has_top_key(lines: list[str], key: str) -> bool:
    return any(re.match(rf"^{re.escape(key)}\s*:", line) for line in lines)


def _dump_fallback(text: str, update) -> str:
    import yaml

    doc = yaml.safe_load(text) or {}
    update(doc)
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def set_preferred_in_config(text: str | None, concept_id: str, lang: str, value: str) -> str:
    """The config text with `preferred: {concept_id: {lang: value}}` set (other languages of that entry kept)."""
    import yaml

    text = text or ""
    doc = yaml.safe_load(text) if text.strip() else {}
    old = ((doc or {}).get("preferred") or {}).get(concept_id)
    entry: dict[str, str] = {}
    if isinstance(old, dict):
        entry.update({k: v for k, v in old.items() if v})
    entry[lang] = value
    rendered = "{" + ", ".join(f"{k}: {_q(v)}" for k, v in sorted(entry.items())) + "}"
    lines = text.splitlines()
    block = _top_key_block(lines, "preferred")
    if block is None and _has_top_key(lines, "preferred"):

        def update(d):
            d.setdefault("preferred", {})[concept_id] = entry

        return _dump_fallback(text, update)
    if block is None:
        sep = "" if not text or text.endswith("\n") else "\n"
        return f"{text}{sep}preferred:\n  {concept_id}: {rendered}\n"
    i, j = block
    body = lines[i + 1 : j]
    kept: list[str] = []
    skipping = False
    entry_pat = re.compile(rf"^(\s+){re.escape(concept_id)}\s*:")
    indent = None
    for line in body:
        m = entry_pat.match(line)
        if m:
            skipping = True
            indent = len(m.group(1))
            continue
        if skipping and line.strip() and len(line) - len(line.lstrip()) > (indent or 0):
            continue
        skipping = False
        kept.append(line)
    ind = next((len(l) - len(l.lstrip()) for l in kept if l.strip() and not l.lstrip().startswith("#")), 2)
    new = lines[: i + 1] + [" " * ind + f"{concept_id}: {rendered}"] + kept + lines[j:]
    return "\n".join(new) + "\n"


def add_terms_file_to_config(text: str | None, rel: str) -> str:
    import yaml

    text = text or ""
    doc = (yaml.safe_load(text) if text.strip() else {}) or {}
    if rel in (doc.get("terms") or []):
        return text
    lines = text.splitlines()
    block = _top_key_block(lines, "terms")
    if block is None and _has_top_key(lines, "terms"):
        return _dump_fallback(text, lambda d: d.setdefault("terms", []).append(rel) if d.get("terms") else d.__setitem__("terms", [rel]))
    if block is None:
        sep = "" if not text or text.endswith("\n") else "\n"
        return f"{text}{sep}terms:\n  - {rel}\n"
    i, j = block
    ind = next((len(l) - len(l.lstrip()) for l in lines[i + 1 : j] if l.strip().startswith("-")), 2)
    new = lines[:j] + [" " * ind + f"- {rel}"] + lines[j:]
    return "\n".join(new) + "\n"


def concept_id_for(word: str, taken) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", word.lower()).strip("-")
    if not base or any(is_han(c) for c in word):
        from ...termbase.pinyin import keys

        full, _ = keys(word)
        base = (sorted(full)[0] if full else "") or "term"
        base = re.sub(r"[^a-z0-9]+", "-", base).strip("-") or "term"
    cid = base
    n = 2
    while cid in taken:
        cid = f"{base}-{n}"
        n += 1
    return cid


def add_concept_to_term_file(text: str | None, word: str, taken) -> tuple[str, str]:
    """(new term-file text, concept id) with a concept for ``word`` appended. A word in one language only gets the
    same text in both (a name, like ReLU) until the writer adds the other rendering."""
    cid = concept_id_for(word, taken)
    has_han = any(is_han(c) for c in word)
    entry = (
        f"  - id: {cid}\n"
        f"    en: {_q(word)}\n"
        f"    zh: {_q(word)}\n"
        f"    # TODO: add the {'English' if has_han else 'Chinese'} rendering and a definition\n"
    )
    if not text or not text.strip():
        return f"# Project terms (nnterm-ls)\ncategory: project\nconcepts:\n{entry}", cid
    lines = text.splitlines()
    block = _top_key_block(lines, "concepts")
    if block is not None and all(not l.strip() for l in lines[block[1]:]):
        return text.rstrip("\n") + "\n" + entry, cid
    import yaml

    doc = yaml.safe_load(text) or {}
    doc.setdefault("concepts", []).append({"id": cid, "en": word, "zh": word})
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), cid
