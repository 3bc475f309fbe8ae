"""Code actions as plain data (document-local edits or commands), and the edits to the workspace's files that the
"use this rendering" and "add this word" commands make. The server turns these into LSP objects."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from ...i18n import t
from ...match.matcher import is_han
from ...rules.base import replacement
from ...rules.findings import Edit, Finding

QUICKFIX = "quickfix"
FIX_ALL = "source.fixAll.nnterm"
REFACTOR = "refactor.rewrite"

CMD_SET_PREFERRED = "nnterm.setPreferred"
CMD_ADD_TERM = "nnterm.addTerm"
CMD_ADD_GLOSSARY_ENTRY = "nnterm.addGlossaryEntry"
CMD_INSERT_TERM_TABLE = "nnterm.insertTermTable"
CMD_DISABLE_RULE = "nnterm.disableRule"
CMD_IGNORE_WORD = "nnterm.ignoreWord"
COMMANDS = (CMD_SET_PREFERRED, CMD_ADD_TERM, CMD_ADD_GLOSSARY_ENTRY, CMD_INSERT_TERM_TABLE, CMD_DISABLE_RULE,
            CMD_IGNORE_WORD)

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
    """A suppression comment at the end of the finding's line (``<!-- nnterm-disable-line code -->``, ``%
    nnterm-disable-line code``): a comment line of its own would split a Markdown paragraph. At the end of the
    line the finding ends on; after a LaTeX comment already there, the words join it (a ``%`` comment runs to the
    end of the line)."""
    lines = analysis.lines
    line = lines.line_of(finding.end if finding.end > finding.start else finding.start)
    if finding.end > finding.start and finding.end == lines.starts[line] and line > 0:
        line -= 1  # a span ending at a line start ends on the line before
    start = lines.starts[line]
    text = lines.line_text(line)
    end = start + len(text.rstrip(" \t"))
    comment = analysis.format.line_comment(finding.code)
    existing = analysis.format.suppression.search(analysis.text, start, start + len(text))
    if existing is not None and existing.group(1) == "disable-line" and existing.group(2).strip() and existing.end() >= end:
        # one comment per line: add the code to the one there (``<!-- nnterm-disable-line a b -->``)
        codes = existing.group(2)
        insert_at = existing.start(2) + len(codes.rstrip())
        return Edit(insert_at, insert_at, f" {finding.code}")
    return Edit(end, end, comment)


def gloss_text(concept, analysis_lang: str, occ_lang: str) -> str | None:
    if concept.zh == concept.en:
        return None
    if occ_lang == "zh":
        abbrs = concept.abbreviations
        return f"（{concept.en}，{abbrs[0]}）" if abbrs else f"（{concept.en}）"
    return f" ({concept.zh})"


def is_glossed(analysis, occ_index: int) -> bool:
    return any(g.head == occ_index for g in analysis.glosses)


def _is_insertion(edit: Edit) -> bool:
    return edit.start == edit.end


def fix_all_concept(findings: list[Finding], name: str, ui: str) -> Action | None:
    """"Fix all 'X' in this document": the replacements of the concept's findings (a gloss is an insertion its
    own quick fix offers; this action does not add one). The title says what it writes."""
    replacing = [f for f in findings if f.fix is not None and f.fix.edits and not all(_is_insertion(e) for e in f.fix.edits)]
    edits = fix_all(replacing, safe_only=False)
    edits = [e for e in edits if not _is_insertion(e)]
    if len(edits) < 2:
        return None
    targets = {e.new_text for e in edits}
    if len(targets) == 1:
        title = t("fix_all_concept", ui, name=name, n=len(edits), target=next(iter(targets)))
    else:
        title = t("fix_all_concept_mixed", ui, name=name, n=len(edits))
    return Action(title, QUICKFIX, edits, replacing)


def consistency_actions(analysis, finding: Finding, occ, usage, ui: str) -> list[Action]:
    """Both directions for an inconsistency: the set's usage and the term base's (or .nnterm.yaml's)
    recommendation. The finding's own fix is one of them (it writes the rendering the rule keeps); this adds the
    others: this occurrence to the recommended rendering, this occurrence to the set's usage (when the rule kept a
    configured or listed one), and every rendering of the concept in this document to the recommended one."""
    if occ is None or occ.ambiguous:
        return []
    form = occ.form
    key = (form.concept_id, form.lang, form.designation)
    if key not in usage:
        return []
    recommended, used = usage[key]
    kept = finding.suggestion
    out: list[Action] = []
    here = analysis.text[occ.start:occ.end]
    to_rec = replacement(occ, recommended, form.lang)
    if to_rec not in (kept, here) and occ.variant_key != _key(recommended):
        out.append(Action(t("to_recommended", ui, preferred=recommended), QUICKFIX, [Edit(occ.start, occ.end, to_rec)], [finding]))
    if used:
        majority = used[0][0]
        to_major = replacement(occ, majority, form.lang)
        if to_major not in (kept, here, to_rec) and occ.variant_key != _key(majority):
            out.append(Action(t("unify_set", ui, kept=majority), QUICKFIX, [Edit(occ.start, occ.end, to_major)], [finding]))
    # the other direction for the whole document: every rendering of this name that is not the recommended one
    edits = []
    for other, use in zip(analysis.occurrences, analysis.uses):
        if use.skip is not None or use.in_gloss or other.ambiguous or other.miscased:
            continue
        of = other.form
        if (of.concept_id, of.lang, of.designation) != key or of.kind != "term" or other.variant_key == _key(recommended):
            continue
        edits.append(Edit(other.start, other.end, replacement(other, recommended, of.lang)))
    if len(edits) >= 2 or (edits and not any(a.edits == edits for a in out)):
        if not (len(edits) == 1 and edits[0].new_text == kept):
            out.append(Action(t("all_to_recommended", ui, n=len(edits), preferred=recommended), QUICKFIX, edits, [finding]))
    return out


def _key(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


def code_actions(analysis, findings: list[Finding], start: int, end: int, termbase, occurrence_at, preferred_text,
                 ui: str = "en", usage=None) -> list[Action]:
    """Every action for the range [start, end] of an analysed document with its current findings, titled in the
    writer's language ``ui``; ``usage``: the last check's renderings per concept (``Engine.usage``)."""
    actions: list[Action] = []
    usage = usage or {}
    here = [f for f in findings if f.start <= end and f.end >= start]
    concepts_done: set[str] = set()
    for f in here:
        if f.fix is not None and f.fix.edits:
            actions.append(Action(f.fix.title, QUICKFIX, list(f.fix.edits), [f], preferred=f.fix.safe))
        if f.code == "inconsistent":
            actions.extend(consistency_actions(analysis, f, occurrence_at(analysis, f.start), usage, ui))
    for f in here:
        if f.concept_id and f.concept_id not in concepts_done and f.fix is not None:
            concepts_done.add(f.concept_id)
            same = [g for g in findings if g.concept_id == f.concept_id and g.fix is not None]
            concept = termbase.get(f.concept_id)
            name = (concept.zh if ui == "zh" else concept.en) if concept is not None else f.concept_id
            action = fix_all_concept(same, name, ui)
            if action is not None:
                actions.append(action)
    for f in here:
        actions.append(Action(t("suppress_line", ui, code=f.code), QUICKFIX, [suppress_edit(analysis, f)], [f]))
    for f in here:
        if f.code in ("inconsistent", "non-preferred") and f.concept_id:
            occ = occurrence_at(analysis, f.start)
            if occ is not None and not occ.ambiguous and occ.form.text != preferred_text(f.concept_id, occ.form.lang):
                actions.append(
                    Action(t("set_preferred", ui, text=occ.form.text), REFACTOR,
                           command=(CMD_SET_PREFERRED, [f.concept_id, occ.form.lang, occ.form.text]))
                )
    # the occurrence under the cursor: gloss, and "use this rendering" when no finding offered it
    occ = occurrence_at(analysis, start)
    if occ is not None and not occ.ambiguous:
        index = analysis.occurrences.index(occ)
        concept = termbase.get(occ.form.concept_id)
        gloss = gloss_text(concept, analysis.lang, occ.lang) if concept is not None else None
        if gloss and not is_glossed(analysis, index) and not any(f.code == "missing-gloss" and f.start == occ.start for f in here):
            title = t("add_gloss_en" if occ.lang == "zh" else "add_gloss_zh", ui, gloss=gloss.strip())
            actions.append(Action(title, QUICKFIX, [Edit(occ.end, occ.end, gloss)]))
        form = occ.form
        if concept is not None and form.kind == "term" and form.text != preferred_text(concept.id, form.lang):
            if not any(a.command and a.command[1][2] == form.text for a in actions):
                actions.append(
                    Action(t("set_preferred", ui, text=form.text), REFACTOR, command=(CMD_SET_PREFERRED, [concept.id, form.lang, form.text]))
                )
    # a selection longer than the term under it (注意力汇合 over 注意力), or an unknown word under the cursor
    selected = end > start and (occ is None or (occ.start, occ.end) != (start, end))
    if occ is None or selected:
        word = selected_or_word(analysis, start, end)
        if word and not termbase.lookup(word):
            actions.append(Action(t("add_term", ui, word=word, file=TERMS_FILE), REFACTOR, command=(CMD_ADD_TERM, [word])))
    elif occ is not None:
        word = analysis.text[occ.start:occ.end]
        actions.append(Action(t("not_a_term", ui, word=word), REFACTOR, command=(CMD_IGNORE_WORD, [word])))
    for code in dict.fromkeys(f.code for f in here):
        actions.append(Action(t("disable_rule", ui, code=code), REFACTOR, command=(CMD_DISABLE_RULE, [code])))
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


def _scalar(text: str) -> str:
    """A YAML scalar: plain when it reads back as the same text, else quoted."""
    import yaml

    if re.fullmatch(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^#:]*", text) and text == text.strip():
        try:
            if yaml.safe_load(text) == text:
                return text
        except yaml.YAMLError:
            pass
    return _q(text)


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


def add_to_list_in_config(text: str | None, key: str, value: str) -> str:
    """The config text with ``value`` appended to the top-level list ``key`` (created when missing); unchanged when
    it is there already. Text-level, so comments and layout survive."""
    import yaml

    text = text or ""
    doc = (yaml.safe_load(text) if text.strip() else {}) or {}
    if value in (doc.get(key) or []):
        return text
    lines = text.splitlines()
    block = _top_key_block(lines, key)
    if block is None and _has_top_key(lines, key):  # a flow list (key: [a, b]) or an empty key
        return _dump_fallback(text, lambda d: d.__setitem__(key, [*(d.get(key) or []), value]))
    if block is None:
        sep = "" if not text or text.endswith("\n") else "\n"
        return f"{text}{sep}{key}:\n  - {_scalar(value)}\n"
    i, j = block
    ind = next((len(l) - len(l.lstrip()) for l in lines[i + 1 : j] if l.strip().startswith("-")), 2)
    new = lines[:j] + [" " * ind + f"- {_scalar(value)}"] + lines[j:]
    return "\n".join(new) + "\n"


def add_terms_file_to_config(text: str | None, rel: str) -> str:
    return add_to_list_in_config(text, "terms", rel)


def set_rule_in_config(text: str | None, code: str, value: str) -> str:
    """The config text with ``rules: {code: value}`` (value: off, on or a severity), other rules kept."""
    import yaml

    text = text or ""
    doc = (yaml.safe_load(text) if text.strip() else {}) or {}
    if (doc.get("rules") or {}).get(code) == value:
        return text
    lines = text.splitlines()
    block = _top_key_block(lines, "rules")
    if block is None and _has_top_key(lines, "rules"):
        return _dump_fallback(text, lambda d: d.__setitem__("rules", {**(d.get("rules") or {}), code: value}))
    if block is None:
        sep = "" if not text or text.endswith("\n") else "\n"
        return f"{text}{sep}rules:\n  {code}: {value}\n"
    i, j = block
    entry = re.compile(rf"^(\s+){re.escape(code)}\s*:")
    body = lines[i + 1 : j]
    for k, line in enumerate(body):
        m = entry.match(line)
        if m:
            rest = body[k + 1 :]
            while rest and rest[0].strip() and len(rest[0]) - len(rest[0].lstrip()) > len(m.group(1)):
                rest = rest[1:]  # a {severity:, enabled:} block under it
            new = lines[: i + 1] + body[:k] + [f"{m.group(1)}{code}: {value}"] + rest + lines[j:]
            return "\n".join(new) + "\n"
    ind = next((len(l) - len(l.lstrip()) for l in body if l.strip() and not l.lstrip().startswith("#")), 2)
    new = lines[:j] + [" " * ind + f"{code}: {value}"] + lines[j:]
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


def add_concept_to_term_file(text: str | None, word: str, taken, other: str | None = None) -> tuple[str, str]:
    """(new term-file text, concept id) with a concept for ``word`` appended; ``other``: its rendering in the other
    language (asked of the writer). The id is made from the English rendering (attention-pooling), else from the
    pinyin. Without ``other`` both languages get ``word`` (a name, like ReLU) and a TODO line says what to add."""
    has_han = any(is_han(c) for c in word)
    other = (other or "").strip() or None
    zh, en = (word, other or word) if has_han else (other or word, word)
    cid = concept_id_for(en if not any(is_han(c) for c in en) else zh, taken)
    entry = f"  - id: {cid}\n    en: {_q(en)}\n    zh: {_q(zh)}\n"
    if other is None:
        entry += f"    # TODO: add the {'English' if has_han else 'Chinese'} rendering and a definition\n"
    if not text or not text.strip():
        return f"# Project terms (nnterm-ls)\ncategory: project\nconcepts:\n{entry}", cid
    lines = text.splitlines()
    block = _top_key_block(lines, "concepts")
    if block is not None and all(not l.strip() for l in lines[block[1]:]):
        return text.rstrip("\n") + "\n" + entry, cid
    import yaml

    doc = yaml.safe_load(text) or {}
    doc.setdefault("concepts", []).append({"id": cid, "en": en, "zh": zh})
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), cid


def gloss_after(analysis, word: str) -> list[str]:
    """What the document writes in parentheses right after ``word`` (注意力池化（attention pooling）): the writer's
    own rendering, offered when the word is added to the term file."""
    out = []
    for m in re.finditer(re.escape(word) + r"\s*[（(]([^（）()\n]{1,60})[）)]", analysis.text):
        inner = re.split(r"[，,;；]", m.group(1))[0].strip()
        if inner and inner != word and inner not in out:
            out.append(inner)
    return out[:3]
