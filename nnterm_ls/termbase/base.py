"""The loaded term base: concepts plus the indexes every consumer needs (lookup keys, fuzzy suggestions, pinyin)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from ..textutil import lookup_key, singulars
from .model import Concept, Form
from .loader import Problem


class TermBase:
    def __init__(self, concepts: dict[str, Concept], problems: Iterable[Problem] = ()) -> None:
        self.concepts = concepts
        self.problems = list(problems)
        self.by_key: dict[str, list[Form]] = {}
        for concept in concepts.values():
            for form in concept.forms:
                key = lookup_key(form.text)
                bucket = self.by_key.setdefault(key, [])
                if not any(f.concept_id == form.concept_id for f in bucket):
                    bucket.append(form)

    def __len__(self) -> int:
        return len(self.concepts)

    def __contains__(self, concept_id: str) -> bool:
        return concept_id in self.concepts

    def get(self, concept_id: str) -> Concept | None:
        return self.concepts.get(concept_id)

    def forms(self) -> Iterable[Form]:
        for concept in self.concepts.values():
            yield from concept.forms

    def find_forms(self, term: str) -> list[Form]:
        """The forms a typed term names: any case, plural, hyphen/space variant, full-width letters."""
        key = lookup_key(term)
        if not key:
            return []
        for candidate in (key, *singulars(key)):
            if candidate in self.by_key:
                return list(self.by_key[candidate])
        return []

    def lookup(self, term: str) -> list[Concept]:
        """Every concept a term names (several for an ambiguous form; empty when unknown)."""
        found: list[Concept] = []
        for form in self.find_forms(term):
            concept = self.concepts[form.concept_id]
            if concept not in found:
                found.append(concept)
        if not found and term.strip() in self.concepts:
            found.append(self.concepts[term.strip()])
        return found

    @cached_property
    def _suggest_keys(self) -> list[str]:
        return list(self.by_key)

    def suggest(self, term: str, limit: int = 5, cutoff: float = 60.0) -> list[str]:
        """Close matches for an unknown term (rapidfuzz over every form), best first, as the forms' texts."""
        from rapidfuzz import fuzz, process

        key = lookup_key(term)
        if not key:
            return []
        out: list[str] = []
        if key.isascii() and key.replace(" ", "").isalpha():  # pinyin: jhhs, jihuohanshu -> 激活函数
            for form in self.pinyin_index.get(key.replace(" ", ""), [])[:limit]:
                if form.text not in out:
                    out.append(form.text)
        results = process.extract(key, self._suggest_keys, scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=cutoff)
        for match, _score, _ in results:
            text = self.by_key[match][0].text
            if text not in out:
                out.append(text)
            if len(out) == limit:
                break
        return out

    @cached_property
    def pinyin_index(self) -> dict[str, list[Form]]:
        """Full pinyin and initials -> Chinese forms (jihuohanshu / jhhs -> 激活函数)."""
        from .pinyin import keys

        index: dict[str, list[Form]] = {}
        for form in self.forms():
            if form.lang != "zh" or form.text.isascii():
                continue
            full, initials = keys(form.text)
            for k in full | initials:
                bucket = index.setdefault(k, [])
                if form not in bucket:
                    bucket.append(form)
        return index
