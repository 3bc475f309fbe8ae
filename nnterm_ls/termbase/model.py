"""The term base's data model: concept -> language -> forms with a status (after TBX / ISO 30042)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PREFERRED = "preferred"
ADMITTED = "admitted"
DEPRECATED = "deprecated"
STATUSES = (PREFERRED, ADMITTED, DEPRECATED)

TERM = "term"
ABBREVIATION = "abbreviation"
CODE = "code"

# How a form's casing is treated by the matcher.
CASE_IGNORE = "ignore"  # any casing is the same form (lowercase terms: "dropout", "Dropout")
CASE_EXACT = "exact"  # only this casing is the form; others are not matched at all
CASE_CHECK = "check"  # other casings are matched and reported as miscased (relu, Tensorflow)

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


@dataclass(slots=True)
class Source:
    path: str
    line: int  # 1-based


@dataclass(slots=True)
class Form:
    text: str
    lang: str  # "en" | "zh"
    status: str  # preferred | admitted | deprecated
    kind: str = TERM  # term | abbreviation | code
    ambiguous: bool = False
    case: str = CASE_IGNORE
    note: str | None = None
    concept_id: str = ""
    source: Source | None = None
    # the designation (TBX/ISO 704 "term") this form renders: "" for the concept's main name, else the name of one
    # of its other designations (a synonym: "Gaussian distribution" beside "normal distribution"). Forms of one
    # designation are rival renderings of one name; forms of two designations are synonyms.
    designation: str = ""
    head: bool = False  # the designation's own preferred form in its language (the main designation's: PREFERRED)

    def to_json(self) -> dict:
        out = {"text": self.text, "lang": self.lang, "status": self.status, "type": self.kind}
        if self.ambiguous:
            out["ambiguous"] = True
        if self.note:
            out["note"] = self.note
        if self.designation:
            out["designation"] = self.designation
            if self.head:
                out["head"] = True
        return out


@dataclass(slots=True)
class Concept:
    id: str
    category: str
    forms: list[Form]
    definition_en: str
    definition_zh: str
    related: list[str] = field(default_factory=list)
    seeds: list[str] = field(default_factory=list)
    common: bool = False
    source: Source | None = None
    # words that, near an ambiguous form of this concept, show the form means this concept (访问 near 令牌)
    cues: list[str] = field(default_factory=list)

    def preferred(self, lang: str) -> Form:
        for f in self.forms:
            if f.lang == lang and f.status == PREFERRED:
                return f
        raise KeyError(f"{self.id} has no preferred {lang} form")

    @property
    def en(self) -> str:
        return self.preferred("en").text

    @property
    def zh(self) -> str:
        return self.preferred("zh").text

    @property
    def abbreviations(self) -> list[str]:
        return [f.text for f in self.forms if f.kind == ABBREVIATION and f.status != DEPRECATED]

    @property
    def designations(self) -> list[str]:
        """The names of the concept's designations, the main one ("") first."""
        out = [""]
        for f in self.forms:
            if f.designation and f.designation not in out:
                out.append(f.designation)
        return out

    def designation_head(self, designation: str, lang: str) -> Form | None:
        """The preferred form of a designation in a language (None when the designation has none there)."""
        if not designation:
            return self.preferred(lang) if any(f.lang == lang and f.status == PREFERRED for f in self.forms) else None
        for f in self.forms:
            if f.designation == designation and f.lang == lang and f.head:
                return f
        return None

    def forms_of(self, lang: str, kind: str | None = TERM) -> list[Form]:
        return [f for f in self.forms if f.lang == lang and (kind is None or f.kind == kind)]

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "en": self.en,
            "zh": self.zh,
            "category": self.category,
            "forms": [f.to_json() for f in self.forms],
            "definition": {"en": self.definition_en, "zh": self.definition_zh},
            "related": list(self.related),
            "seeds": list(self.seeds),
            "common": self.common,
            **({"cues": list(self.cues)} if self.cues else {}),
        }


def default_case(text: str, kind: str) -> str:
    """Lowercase forms match any casing; forms written with capitals are names whose casing is checked."""
    if kind == CODE:
        return CASE_EXACT
    if text == text.lower():
        return CASE_IGNORE
    return CASE_CHECK
