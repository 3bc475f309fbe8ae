"""`nnterm import` over the built-in base: which imported concepts are built-in ones, and what the term file changes.

An imported record is matched to a built-in concept by its id, else by the concepts its terms name (its English term
first, then its Chinese ones; a term naming several concepts is narrowed by the record's other terms). A matched
record becomes an overlay entry holding only what it adds or changes: new forms, a stated status, a new definition,
related ids. A preferred rendering changes only where the input states it (a TBX administrativeStatus of
preferredTerm-admn-sts, a status column, the ``status`` of a JSON form) or where the user passes ``prefer_input``;
a preferred rendering the input only implies (the first term of an entry) is added as an admitted one. Every other
record becomes a new concept. A form that is already a form of another built-in concept is left out (it would make
the file invalid), unless that form is ambiguous in the base, where it is written ambiguous too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from ..textutil import lookup_key
from .base import TermBase
from .interchange import entry_from_record, slug
from .model import ABBREVIATION, ADMITTED, DEPRECATED, PREFERRED, TERM, Concept

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass
class Change:
    """What the file does to one concept (``builtin`` is None for a new concept)."""

    id: str
    builtin: Concept | None
    record: dict
    changes: list[str] = field(default_factory=list)  # what the entry changes, in words
    kept: list[str] = field(default_factory=list)  # what the input has that the entry does not take, and why
    entry: dict | None = None  # the entry written (None: nothing to write)


@dataclass
class Plan:
    changes: list[Change]

    @property
    def changed(self) -> list[Change]:
        return [c for c in self.changes if c.builtin is not None and c.entry is not None]

    @property
    def unchanged(self) -> list[Change]:
        return [c for c in self.changes if c.builtin is not None and c.entry is None]

    @property
    def new(self) -> list[Change]:
        return [c for c in self.changes if c.builtin is None and c.entry is not None]

    @property
    def dropped(self) -> list[Change]:
        return [c for c in self.changes if c.builtin is None and c.entry is None]


def _normalized(rec: dict) -> dict:
    """The record's forms, with the top-level en/zh of the JSON shape as stated preferred forms."""
    forms = [dict(f) for f in rec.get("forms") or []]
    for f in forms:
        f.setdefault("type", TERM)
        f.setdefault("status", ADMITTED)
        f.setdefault("stated", True)
        f["text"] = str(f["text"]).strip()
    for lang in ("en", "zh"):
        if rec.get(lang) and not any(f["lang"] == lang and f["status"] == PREFERRED for f in forms):
            forms.insert(0, {"text": str(rec[lang]).strip(), "lang": lang, "status": PREFERRED, "stated": True,
                             "type": TERM})
    return {**rec, "forms": forms}


def _named(tb: TermBase, text: str) -> list[str]:
    """Ids of the concepts a term names (forms only: an id typed as a term does not count)."""
    out: list[str] = []
    for f in tb.find_forms(text):
        if f.concept_id not in out:
            out.append(f.concept_id)
    return out


def _ambiguous_in_base(tb: TermBase, text: str) -> bool:
    return any(f.ambiguous for f in tb.find_forms(text))


def match(rec: dict, tb: TermBase) -> str | None:
    """The id of the built-in concept a record is, or None for a new concept."""
    if rec["id"] in tb.concepts:
        return rec["id"]
    terms = [f for f in rec["forms"] if f["type"] == TERM]
    terms.sort(key=lambda f: (f["lang"] != "en", f["status"] != PREFERRED))
    named = [_named(tb, f["text"]) for f in terms]
    for i, ids in enumerate(named):
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            others = {cid for j, more in enumerate(named) if j != i for cid in more}
            narrowed = [cid for cid in ids if cid in others]
            return narrowed[0] if len(narrowed) == 1 else None
    return None


def _form_key(f) -> tuple[str, str]:
    text = f["text"] if isinstance(f, dict) else f.text
    lang = f["lang"] if isinstance(f, dict) else f.lang
    return lang, lookup_key(text)


def _taken(written: dict, f: dict, owner: str, change: Change, claim: bool = True) -> bool:
    """Whether an earlier entry of this file already has the form for another concept (then it is left out);
    else the form is claimed for ``owner`` (``claim=False``: the caller claims it once the concept is kept)."""
    key = lookup_key(f["text"])
    other = written.get(key)
    if other is not None and other != owner:
        change.kept.append(f"left out {f['lang']} {f['text']!r}: an earlier entry of this file gives it to {other}")
        return True
    if claim:
        written[key] = owner
    return False


def _overlay(change: Change, tb: TermBase, prefer_input: bool, state: dict, written: dict) -> None:
    """Fill ``change`` for a record matched to a built-in concept. ``state`` holds what earlier records of the same
    concept already added (a glossary may list one concept on several rows)."""
    concept = change.builtin
    rec = change.record
    have = state.setdefault("forms", {_form_key(f): f for f in concept.forms})
    delta: list[dict] = state.setdefault("delta", [])
    preferred = state.setdefault("preferred", {lang: concept.preferred(lang).text for lang in ("en", "zh")})
    demoted: list[dict] = []
    for f in rec["forms"]:
        key = _form_key(f)
        lang, text = f["lang"], f["text"]
        owners = _named(tb, text)
        if owners and concept.id not in owners:
            if not _ambiguous_in_base(tb, text):
                change.kept.append(f"left out {lang} {text!r}: a form of the built-in concept {owners[0]}")
                continue
            f = {**f, "ambiguous": True}
        if _taken(written, f, concept.id, change):
            continue
        wants_preferred = f["status"] == PREFERRED and f["type"] == TERM and not f.get("designation")
        if wants_preferred and preferred[lang] != text and lookup_key(preferred[lang]) != key[1]:
            if f["stated"] or prefer_input:
                if state.get(f"preferred-set-{lang}"):
                    change.kept.append(f"kept the preferred {lang} {preferred[lang]!r}: the input also marks "
                                       f"{text!r} preferred")
                    f = {**f, "status": ADMITTED}
                else:
                    why = "marked preferred in the input" if f["stated"] else "--prefer-input"
                    change.changes.append(f"preferred {lang} {preferred[lang]} → {text} ({why})")
                    preferred[lang] = text
                    state[f"preferred-set-{lang}"] = True
                    delta.append(f)
                    have[key] = f
                    continue
            else:
                change.kept.append(f"kept the built-in preferred {lang} {preferred[lang]!r}: the input does not "
                                   f"mark {text!r} preferred (--prefer-input would take it)")
                f = {**f, "status": ADMITTED}
        elif f["status"] == PREFERRED:
            f = {**f, "status": ADMITTED}  # the concept's own preferred form (or an abbreviation): nothing to change
        existing = have.get(key)
        if existing is None and concept.id in owners:
            continue  # another spelling of one of its forms (a plural, a hyphen): nothing to add
        if existing is None:
            status = f["status"]
            kind = "" if f["type"] == TERM else f" {f['type']}"
            change.changes.append(f"adds {lang}{kind} {text} ({status})")
            delta.append(f)
            have[key] = f
            continue
        if isinstance(existing, dict) or not f["stated"] or f["type"] != TERM or f["status"] == existing.status:
            continue
        if existing.status == PREFERRED:  # the built-in preferred one, marked otherwise: only with a new preferred
            demoted.append(f)
            continue
        change.changes.append(f"{lang} {text}: {existing.status} → {f['status']} (stated in the input)")
        delta.append(f)
    for f in demoted:
        lang = f["lang"]
        if state.get(f"preferred-set-{lang}"):
            if f["status"] != ADMITTED:  # the new preferred one makes the old one admitted by itself
                change.changes.append(f"{lang} {f['text']}: admitted → {f['status']} (stated in the input)")
                delta.append(f)
        else:
            change.kept.append(f"kept the built-in preferred {lang} {f['text']!r}: the input marks it "
                               f"{f['status']} but marks no other {lang} term preferred")
    definition = rec.get("definition") or {}
    new_def = {lang: str(definition.get(lang) or "").strip() for lang in ("en", "zh")}
    old_def = {"en": concept.definition_en, "zh": concept.definition_zh}
    changed = [lang for lang in ("en", "zh") if new_def[lang] and new_def[lang] != old_def[lang]]
    if changed:
        state["definition"] = {lang: new_def[lang] if lang in changed else old_def[lang] for lang in ("en", "zh")}
        change.changes.append(f"changes the definition ({', '.join(changed)})")
    related = state.setdefault("related", [])
    for rid in rec.get("related") or []:
        if rid in concept.related or rid in related or rid == concept.id:
            continue
        if rid not in tb.concepts:
            change.kept.append(f"left out related {rid!r}: no built-in concept has that id")
            continue
        related.append(rid)
        change.changes.append(f"adds related {rid}")
    entry_rec = {"id": concept.id, "forms": delta, "definition": state.get("definition") or {}, "related": related}
    entry = entry_from_record(entry_rec)
    change.entry = entry if len(entry) > 1 else None


def _new(change: Change, tb: TermBase, ids: set[str], category: str | None, written: dict) -> None:
    rec = change.record
    forms = []
    for f in rec["forms"]:
        owners = _named(tb, f["text"])
        if owners:
            if not _ambiguous_in_base(tb, f["text"]):
                change.kept.append(f"left out {f['lang']} {f['text']!r}: a form of the built-in concept {owners[0]}")
                continue
            f = {**f, "ambiguous": True}
        if _taken(written, f, change.id, change, claim=False):
            continue
        forms.append(f)
    for lang in ("en", "zh"):
        main = [i for i, f in enumerate(forms) if f["lang"] == lang and f["type"] == TERM and not f.get("designation")]
        if not main:
            change.kept.append("left out the whole concept: a new concept needs an English and a Chinese term "
                               f"(it has no {'English' if lang == 'en' else 'Chinese'} one)")
            return
        first = next((i for i in main if forms[i]["status"] == PREFERRED), main[0])
        for i in main:  # one preferred form per language: the first marked so, else the first
            status = PREFERRED if i == first else ADMITTED if forms[i]["status"] == PREFERRED else forms[i]["status"]
            forms[i] = {**forms[i], "status": status}
    cid = change.id
    if not _ID.match(cid) or cid in ids:
        english = next(f["text"] for f in forms if f["lang"] == "en" and f["status"] == PREFERRED)
        base, n = slug(english if not _ID.match(cid) else cid), 2
        cid = base
        while cid in ids or cid in tb.concepts:
            cid, n = f"{base}-{n}", n + 1
        change.kept.append(f"id {change.id!r} written as {cid!r}")
        change.id = cid
    ids.add(cid)
    for f in forms:
        written[lookup_key(f["text"])] = cid
    entry = entry_from_record({**rec, "id": cid, "forms": forms})
    if category:
        entry["category"] = category
    change.entry = entry


def plan(records: list[dict], tb: TermBase, *, prefer_input: bool = False, category: str | None = None) -> Plan:
    changes: list[Change] = []
    states: dict[str, dict] = {}
    by_builtin: dict[str, Change] = {}
    ids: set[str] = set()
    written: dict[str, str] = {}  # lookup key of every form this file writes -> the concept it is written for
    for raw in records:
        rec = _normalized(raw)
        cid = match(rec, tb)
        if cid is None:
            change = Change(str(rec["id"]), None, rec)
            _new(change, tb, ids, category, written)
            changes.append(change)
            continue
        change = by_builtin.get(cid)
        if change is None:
            change = by_builtin[cid] = Change(cid, tb.concepts[cid], rec)
            changes.append(change)
        change.record = rec
        _overlay(change, tb, prefer_input, states.setdefault(cid, {}), written)
    # related ids of new concepts must exist in the base or in this file
    known = set(tb.concepts) | {c.id for c in changes if c.builtin is None and c.entry is not None}
    for change in changes:
        if change.builtin is None and change.entry is not None and change.entry.get("related"):
            missing = [r for r in change.entry["related"] if r not in known]
            for r in missing:
                change.kept.append(f"left out related {r!r}: no such concept")
            change.entry["related"] = [r for r in change.entry["related"] if r in known]
            if not change.entry["related"]:
                del change.entry["related"]
    return Plan(changes)


def _where(concept: Concept) -> str:
    src = concept.source
    if src is None:
        return "built-in"
    return f"built-in, {src.path.replace(chr(92), '/').rsplit('/', 1)[-1]}:{src.line}"


def describe(change: Change) -> str:
    """One line about a concept: `batch-normalization (built-in, normalization.yaml:40): adds zh 批归一化层 …`."""
    if change.builtin is not None:
        return f"{change.id} ({_where(change.builtin)}): " + "; ".join(change.changes)
    return f"{change.id}: new concept"


def layered_term_file(p: Plan, source: str, schema: str, version: str) -> str:
    """The YAML term file of a plan: a header saying what it changes, an entry per changed or new concept with a
    comment above it."""
    changed, new = p.changed, p.new
    header = [
        f"# yaml-language-server: $schema={schema}",
        f"# Imported by nnterm {version} from {source}. List this file under `terms:` in .nnterm.yaml: it is layered",
        "# over the built-in term base. An entry whose id is a built-in concept changes that concept (what it",
        "# changes is said above it); the other entries are new concepts.",
    ]
    if changed:
        header.append(f"# Built-in concepts this file changes ({len(changed)}): " + ", ".join(c.id for c in changed))
    else:
        header.append("# Built-in concepts this file changes: none")
    if p.unchanged:
        header.append(f"# {len(p.unchanged)} imported concepts are already in the built-in base as they are: "
                      "not written")
    body = ["concepts:"] if changed or new else ["concepts: []"]
    for change in [*changed, *new]:
        comment = describe(change)
        body.append("")
        body.extend("  # " + line for line in _wrap(comment, 114))
        dumped = yaml.safe_dump([change.entry], allow_unicode=True, sort_keys=False, width=116)
        body.extend(("  " + line) if line else line for line in dumped.splitlines())
    return "\n".join(header + body) + "\n"


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = "   " + word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return lines


__all__ = ["Plan", "Change", "plan", "match", "describe", "layered_term_file"]
