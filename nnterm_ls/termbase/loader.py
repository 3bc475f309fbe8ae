"""Loading term files: safe YAML -> validated concepts, layered (built-in base, then user files), cached.

Every problem is reported with file, line and what is wrong; a broken file or concept is skipped and never takes the
rest of the base down with it.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..paths import builtin_term_files, schema_path
from .model import (
    ABBREVIATION,
    ADMITTED,
    CODE,
    DEPRECATED,
    PREFERRED,
    TERM,
    Concept,
    Form,
    Source,
    default_case,
)


@dataclass(slots=True)
class Problem:
    path: str
    line: int
    message: str
    severity: str = "error"  # error | warning
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"


_validator = None


def _schema_validator():
    global _validator
    if _validator is None:
        import jsonschema  # imported on a cache miss only: it is slow to import

        schema = json.loads(schema_path("terms.schema.json").read_text(encoding="utf-8"))
        _validator = jsonschema.Draft202012Validator(schema)
    return _validator


_EXTRA_KEYS = re.compile(r"'([^']+)' (?:was|were) unexpected")


def _schema_problems(doc, path: str) -> tuple[list[Problem], set[int]]:
    """Schema errors as problems; also the indexes of concepts that are invalid and must be skipped."""
    from .. import yamlutil

    problems: list[Problem] = []
    bad: set[int] = set()
    errors = sorted(_schema_validator().iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    for err in errors:
        where = list(err.absolute_path)
        if len(where) >= 2 and where[0] == "concepts" and isinstance(where[1], int):
            bad.add(where[1])
        line = yamlutil.line_at_path(doc, where)
        message = _describe(err, where)
        if err.validator == "additionalProperties":
            target = doc
            for part in where:
                target = target[part]
            for key in _EXTRA_KEYS.findall(err.message):
                kline = target.line_of(key) if isinstance(target, yamlutil.LineDict) else line
                problems.append(Problem(path, kline, f"unknown key {key!r} in {_where_text(where)}"))
            continue
        problems.append(Problem(path, line, message))
    return problems, bad


def _where_text(where) -> str:
    if not where:
        return "the file"
    return "/".join(str(p) for p in where)


def _describe(err, where) -> str:
    field = _where_text(where)
    if err.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", err.message)
        return f"missing required key {missing[0]!r} in {field}" if missing else err.message
    if err.validator == "pattern" and where and where[-1] == "id":
        return f"invalid id {err.instance!r}: use a lowercase English slug such as 'batch-normalization'"
    if err.validator in ("type", "oneOf"):
        return f"{field}: expected {_expected(err)}, got {type(err.instance).__name__} {err.instance!r}"[:300]
    if err.validator == "enum":
        return f"{field}: {err.instance!r} is not one of {err.validator_value}"
    if err.validator == "minLength":
        return f"{field}: must not be empty"
    return f"{field}: {err.message}"


def _expected(err) -> str:
    if err.validator == "type":
        return str(err.validator_value)
    return "a string or an object with 'text'"


# --------------------------------------------------------------------------------------------------------------


def _form_from(entry, lang: str, status: str, kind: str, concept_id: str, path: str, fallback_line: int,
               designation: str = "", head: bool = False) -> Form:
    if isinstance(entry, dict):
        text = str(entry["text"]).strip()
        ambiguous = bool(entry.get("ambiguous", False))
        case = entry.get("case")
        note = entry.get("note")
        line = getattr(entry, "line", fallback_line)
    else:
        text = str(entry).strip()
        ambiguous, case, note = False, None, None
        line = getattr(entry, "line", fallback_line)
    if case is None:
        case = default_case(text, kind)
    return Form(
        text=text,
        lang=lang,
        status=status,
        kind=kind,
        ambiguous=ambiguous,
        case=case,
        note=note,
        concept_id=concept_id,
        source=Source(path, line),
        designation=designation,
        head=head,
    )


def _designation_name(d) -> str:
    value = d.get("en") if d.get("en") is not None else d.get("zh")
    return str(value["text"] if isinstance(value, dict) else value).strip()


def _entry_forms(entry, cid: str, path: str) -> list[Form]:
    """All forms an entry declares, in a stable order: preferred, abbreviations, code, admitted, deprecated."""
    line = entry.line
    forms: list[Form] = []
    for lang in ("en", "zh"):
        if lang in entry:
            forms.append(_form_from(entry[lang], lang, PREFERRED, TERM, cid, path, entry.line_of(lang)))
    for key, kind in (("abbr", ABBREVIATION), ("code", CODE)):
        for item in entry.get(key) or []:
            forms.append(_form_from(item, "en", ADMITTED, kind, cid, path, line))
    for key, status in (("variants", ADMITTED), ("deprecated", DEPRECATED)):
        block = entry.get(key) or {}
        for lang in ("en", "zh"):
            for item in block.get(lang) or []:
                forms.append(_form_from(item, lang, status, TERM, cid, path, line))
    # other designations (synonyms), each with its own preferred forms and rival renderings
    for d in entry.get("designations") or []:
        name = _designation_name(d)
        dline = getattr(d, "line", line)
        for lang in ("en", "zh"):
            if lang in d:
                forms.append(_form_from(d[lang], lang, ADMITTED, TERM, cid, path, dline, name, True))
        for key, status in (("variants", ADMITTED), ("deprecated", DEPRECATED)):
            block = d.get(key) or {}
            for lang in ("en", "zh"):
                for item in block.get(lang) or []:
                    forms.append(_form_from(item, lang, status, TERM, cid, path, dline, name))
    return forms


def _new_concept(entry, path: str, category: str, problems: list[Problem], user: bool = False) -> Concept | None:
    cid = str(entry["id"])
    # the built-in base defines every concept; a user's own term file may leave the definition out
    required = ("en", "zh") if user else ("en", "zh", "definition")
    missing = [k for k in required if k not in entry]
    if missing:
        for k in missing:
            problems.append(Problem(path, entry.line, f"concept {cid!r}: missing required key {k!r} (a new concept needs {', '.join(required)})"))
        return None
    definition = entry.get("definition") or {"en": "", "zh": ""}
    if not user and not all(definition.get(lang) for lang in ("en", "zh")):
        problems.append(Problem(path, entry.line_of("definition"), f"concept {cid!r}: the built-in base defines "
                                "every concept in English and in Chinese (definition: {en: …, zh: …})"))
    return Concept(
        id=cid,
        category=str(entry.get("category") or category or "general"),
        forms=_entry_forms(entry, cid, path),
        definition_en=str(definition.get("en", "")).strip(),
        definition_zh=str(definition.get("zh", "")).strip(),
        related=[str(r) for r in entry.get("related") or []],
        seeds=[str(s) for s in entry.get("seeds") or []],
        common=bool(entry.get("common", False)),
        cues=[str(c) for c in entry.get("cues", []) if str(c).strip()],
        source=Source(path, entry.line),
    )


def _overlay(concept: Concept, entry, path: str) -> None:
    """A user entry for an existing id: add forms, choose another preferred rendering, override fields."""
    new_forms = _entry_forms(entry, concept.id, path)
    for form in new_forms:
        existing = next((f for f in concept.forms if f.text == form.text and f.lang == form.lang), None)
        if form.status == PREFERRED:
            for f in concept.forms:
                if f.lang == form.lang and f.status == PREFERRED:
                    f.status = ADMITTED
        if existing is not None:
            existing.status = form.status
            existing.kind = form.kind if form.status != PREFERRED else existing.kind
            existing.ambiguous = existing.ambiguous or form.ambiguous
            if form.note:
                existing.note = form.note
            existing.source = form.source
        else:
            concept.forms.append(form)
    if "definition" in entry:
        concept.definition_en = str(entry["definition"].get("en", concept.definition_en)).strip()
        concept.definition_zh = str(entry["definition"].get("zh", concept.definition_zh)).strip()
    if "category" in entry:
        concept.category = str(entry["category"])
    for r in entry.get("related") or []:
        if r not in concept.related:
            concept.related.append(str(r))
    if "common" in entry:
        concept.common = bool(entry["common"])
    if "cues" in entry:
        concept.cues = [str(c) for c in entry["cues"] if str(c).strip()]
    # keep the preferred forms first
    concept.forms.sort(key=lambda f: (f.status != PREFERRED,))


def read_term_file(path: str | os.PathLike, text: str | None = None, *, schema: bool = True) -> tuple[object | None, list[Problem]]:
    """Parse and schema-check one term file. Returns (document or None, problems). ``schema=False``: parse only (the
    built-in base, which `nnterm validate` and the test suite check against the schema where it is built)."""
    p = str(path)
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return None, [Problem(p, 1, f"cannot read term file: {exc}")]
    from .. import yamlutil  # here: a process that finds its term base compiled never imports YAML

    try:
        doc = yamlutil.load(text)
    except yamlutil.YamlError as exc:
        return None, [Problem(p, exc.line, f"YAML syntax error: {exc.message}", column=exc.column)]
    if doc is None:
        return None, [Problem(p, 1, "empty term file (expected a mapping with 'concepts')", severity="warning")]
    if not isinstance(doc, dict):
        return None, [Problem(p, getattr(doc, "line", 1), "a term file must be a mapping with 'concepts'")]
    problems, bad = _schema_problems(doc, p) if schema else ([], set())
    doc._bad = bad  # type: ignore[attr-defined]
    return doc, problems


class Builder:
    """Accumulates layers of term files into one set of concepts."""

    def __init__(self, *, schema_for_builtin: bool = True) -> None:
        # the built-in files are schema-checked by `nnterm validate` and the tests, not on every load (the check is
        # two thirds of a cold start); user files always are
        self.schema_for_builtin = schema_for_builtin
        self.concepts: dict[str, Concept] = {}
        self.problems: list[Problem] = []
        self.files: list[str] = []
        self.related_lines: dict[str, tuple[str, int]] = {}

    def add_file(self, path: str | os.PathLike, *, user: bool = False, text: str | None = None) -> None:
        p = str(path)
        self.files.append(p)
        doc, problems = read_term_file(p, text, schema=user or self.schema_for_builtin)
        self.problems.extend(problems)
        if doc is None:
            return
        concepts = doc.get("concepts")
        if not isinstance(concepts, list):
            return
        category = doc.get("category") if isinstance(doc.get("category"), str) else Path(p).stem
        bad = getattr(doc, "_bad", set())
        seen_here: dict[str, int] = {}
        for index, entry in enumerate(concepts):
            if index in bad or not isinstance(entry, dict) or "id" not in entry:
                continue
            cid = str(entry["id"])
            if cid in seen_here:
                self.problems.append(Problem(p, entry.line, f"duplicate concept id {cid!r} (first defined at line {seen_here[cid]})"))
                continue
            seen_here[cid] = entry.line
            if cid in self.concepts:
                existing = self.concepts[cid]
                if not user:
                    src = existing.source
                    self.problems.append(Problem(p, entry.line, f"duplicate concept id {cid!r} (first defined at {src.path}:{src.line})"))
                    continue
                _overlay(existing, entry, p)
                continue
            concept = _new_concept(entry, p, category, self.problems, user)
            if concept is not None:
                self.related_lines[cid] = (p, entry.line_of("related"))
            if concept is not None:
                self.concepts[cid] = concept

    def finish(self) -> tuple[dict[str, Concept], list[Problem]]:
        self._check_forms()
        self._check_related()
        return self.concepts, self.problems

    def _check_forms(self) -> None:
        from ..textutil import lookup_key

        owners: dict[str, list[Form]] = {}
        for concept in self.concepts.values():
            seen: dict[str, Form] = {}
            for form in concept.forms:
                key = lookup_key(form.text)
                if not key:
                    self._problem(form, f"concept {concept.id!r}: empty form")
                    continue
                if key in seen:
                    first = seen[key]
                    same_name = first.status == PREFERRED and form.status == PREFERRED  # zh repeats en for a name
                    if not same_name and first.text == form.text and first.lang == form.lang:
                        self._problem(form, f"concept {concept.id!r} lists {form.text!r} twice", "warning")
                    continue
                seen[key] = form
                owners.setdefault(key, []).append(form)
        for forms in owners.values():
            ids = {f.concept_id for f in forms}
            if len(ids) < 2:
                continue
            if all(f.ambiguous for f in forms):
                continue
            first = forms[0]
            for form in forms[1:]:
                if form.concept_id == first.concept_id:
                    continue
                others = sorted(ids - {form.concept_id})
                where = f"{first.source.path}:{first.source.line}" if first.source else "?"
                self._problem(
                    form,
                    f"form {form.text!r} of {form.concept_id!r} is also a form of {', '.join(map(repr, others))} "
                    f"(at {where}); mark it `ambiguous: true` in every concept that lists it",
                )

    def _check_related(self) -> None:
        for concept in self.concepts.values():
            for rid in concept.related:
                if rid not in self.concepts:
                    src = concept.source
                    path, line = self.related_lines.get(concept.id, (src.path if src else "?", src.line if src else 1))
                    self.problems.append(Problem(path, line, f"concept {concept.id!r}: related id {rid!r} does not exist"))

    def _problem(self, form: Form, message: str, severity: str = "error") -> None:
        src = form.source
        self.problems.append(Problem(src.path if src else "?", src.line if src else 1, message, severity))


# --------------------------------------------------------------------------------------------------------------
# cache


from .cachedir import CACHE_FORMAT, _cache_dir  # noqa: E402  (beside the compiled base's fingerprint)


def _fingerprint(files: list[Path], user_files: list[Path]) -> str:
    h = hashlib.sha256(f"{__version__}|{CACHE_FORMAT}".encode())
    for tag, group in (("b", files), ("u", user_files)):
        for f in group:
            try:
                st = f.stat()
                h.update(f"{tag}|{f.resolve()}|{st.st_mtime_ns}|{st.st_size}\n".encode())
            except OSError:
                h.update(f"{tag}|{f}|missing\n".encode())
    return h.hexdigest()[:32]


def build(files: list[Path], user_files: list[Path], texts: dict[str, str] | None = None, *,
          schema_for_builtin: bool = True) -> tuple[dict[str, Concept], list[Problem]]:
    texts = texts or {}
    b = Builder(schema_for_builtin=schema_for_builtin)
    for f in files:
        b.add_file(f, text=texts.get(str(f)))
    for f in user_files:
        b.add_file(f, user=True, text=texts.get(str(f)))
    return b.finish()


def layer_over(concepts: dict[str, Concept], problems: list[Problem], user_files: list[Path],
               texts: dict[str, str] | None = None) -> tuple[dict[str, Concept], list[Problem]]:
    """User term files layered over an already built base (its concepts are changed in place)."""
    texts = texts or {}
    b = Builder()
    b.concepts = concepts
    b.problems = [p for p in problems]
    for f in user_files:
        b.add_file(f, user=True, text=texts.get(str(f)))
    concepts, found = b.finish()
    seen: set[str] = set()
    unique = []
    for p in found:  # the base's own problems are found again by the final checks
        if str(p) not in seen:
            seen.add(str(p))
            unique.append(p)
    return concepts, unique


def load_concepts(
    user_files: list[str | os.PathLike] = (),
    *,
    builtin: bool = True,
    texts: dict[str, str] | None = None,
    use_cache: bool = True,
) -> tuple[dict[str, Concept], list[Problem]]:
    """Load the built-in base (unless ``builtin=False``) and layer the user files over it.

    ``texts`` maps a path to unsaved contents (an editor buffer); such loads bypass the cache.
    """
    files = builtin_term_files() if builtin else []
    users = [Path(u) for u in user_files]
    if builtin and users and use_cache:
        # the built-in layer comes from its own cache, so that a user's term file costs its own parse only
        base, base_problems = load_concepts((), builtin=True, use_cache=True)
        return layer_over(pickle.loads(pickle.dumps(base, protocol=pickle.HIGHEST_PROTOCOL)), base_problems, users, texts)
    cache_dir = _cache_dir() if use_cache and not texts else None
    cache_file = None
    if cache_dir is not None:
        cache_file = cache_dir / f"base-{_fingerprint(files, users)}.pickle"
        try:
            with open(cache_file, "rb") as fh:
                return pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
            pass
    result = None
    if builtin and not users and not texts and use_cache:
        from .compiled import load_prebuilt

        shipped = load_prebuilt()  # the wheel's prebuilt base, when it was built from these very files
        if shipped is not None:
            result = (shipped[0], list(shipped[1]))
    if result is None:
        # the shipped files were schema-checked where they were built (`nnterm validate`, tests/test_termbase.py)
        result = build(files, users, texts, schema_for_builtin=not builtin)
    if cache_file is not None:
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as fh:
                pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cache_file)
        except OSError:
            pass
    return result


__all__ = ["Problem", "Builder", "load_concepts", "read_term_file", "build"]
