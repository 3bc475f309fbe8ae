"""The rule registry: codes, default severities and messages from data/rules.yaml, overridden by configuration.

A rule is a module of this package named after its code (``abbreviation-before-definition`` ->
``abbreviation_before_definition.py``) with ``CODE`` and ``findings(ctx, doc, pos)``, plus its entry in
``data/rules.yaml``. Nothing else lists the rules: the CLI, the server, the SARIF rule table and the schemas read
them from here (the schema files are checked against ``data/rules.yaml`` by the test suite).
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType

from ..paths import data_dir


@dataclass(frozen=True)
class RuleSpec:
    code: str
    severity: str
    enabled: bool
    summary: str
    message: dict
    fix: dict  # lang -> title template (a plain text is the English title)
    extra: dict


@lru_cache(maxsize=1)
def builtin_rules() -> dict[str, RuleSpec]:
    import yaml  # here, not at import: the codes below are read without it (start-up of every command)

    doc = yaml.load((data_dir() / "rules.yaml").read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    out: dict[str, RuleSpec] = {}
    for code, spec in doc["rules"].items():
        known = {"severity", "enabled", "summary", "message", "fix"}
        out[code] = RuleSpec(
            code=code,
            severity=spec["severity"],
            enabled=bool(spec.get("enabled", True)),
            summary=spec.get("summary", ""),
            message=spec["message"],
            fix=_by_lang(spec.get("fix", "")),
            extra={k: v for k, v in spec.items() if k not in known},
        )
    return out


def _by_lang(value) -> dict:
    return dict(value) if isinstance(value, dict) else {"en": value}


def rule_codes() -> tuple[str, ...]:
    """The codes of data/rules.yaml in order, read without a YAML parser: the keys indented by two spaces under
    the top-level ``rules:`` (tests/engine/test_registry.py checks they are exactly the parsed file's)."""
    text = (data_dir() / "rules.yaml").read_text(encoding="utf-8")
    block = re.search(r"^rules:[ \t]*\n(.*?)(?=^\S|\Z)", text, re.M | re.S)
    return tuple(re.findall(r"^  ([A-Za-z0-9_-]+):", block.group(1) if block else "", re.M))


RULE_CODES = rule_codes()


def module_name(code: str) -> str:
    return code.replace("-", "_")


@lru_cache(maxsize=1)
def rule_modules() -> dict[str, ModuleType]:
    """Rule code -> its module, in the order of data/rules.yaml."""
    out = {}
    for code in RULE_CODES:
        module = importlib.import_module(f"{__package__}.{module_name(code)}")
        if getattr(module, "CODE", None) != code:
            raise RuntimeError(f"rule module {module.__name__} must declare CODE = {code!r}")
        out[code] = module
    return out


# -- the set level: per-document summaries, merged and decided, then each document's findings --------------------
#
# A rule that reads the whole set (inconsistent with non-preferred and synonym, abbreviation-before-definition,
# missing-gloss, typo) has ``summarize(ctx, doc)`` (what it needs of one document, small), ``decide(ctx, ...)`` (the set's
# facts, from the summaries in reading order) and ``depends(ctx, facts, pos, summary)`` (the facts one document's
# findings read). Every rule has ``findings(ctx, doc, pos)``: one document's findings, from its own analysis and the
# set's facts. ``Engine.check`` keeps summaries and findings per document (incremental.py).


def summarize(ctx, doc, previous: tuple | None = None) -> dict:
    """One document's summaries for the set-level rules. ``previous``: (the summaries of the version the document
    was edited from, the edited run's start, its end before and after the edit, that version's analysis), when the
    text, the occurrences and the uses outside the run are that version's, moved after it (incremental.RuleMemo)."""
    from . import abbreviation_before_definition as abbreviation
    from . import inconsistent, missing_gloss, typo
    from .moved import Moved

    # an edit that left every occurrence and use as it was, moved: the summaries that hold only occurrences moved
    moved = Moved.of(doc, previous[4], *previous[1:4]) if previous is not None and len(previous) > 4 else None

    def kept(code):
        return (previous[0][code], moved) if moved is not None and code in previous[0] else None

    out = {inconsistent.CODE: inconsistent.summarize(ctx, doc, kept(inconsistent.CODE))}  # (the editor's counts)
    if ctx.rules.enabled(abbreviation.CODE):
        out[abbreviation.CODE] = abbreviation.summarize(ctx, doc, kept(abbreviation.CODE))
    if ctx.rules.enabled(missing_gloss.CODE):
        out[missing_gloss.CODE] = missing_gloss.summarize(ctx, doc, kept(missing_gloss.CODE))
    if ctx.rules.enabled(typo.CODE):
        before = previous[0].get(typo.CODE) if previous is not None else None
        out[typo.CODE] = typo.summarize(ctx, doc, (before, *previous[1:4]) if before is not None else None)
    return out


def decide(ctx, summaries: list[dict] | None, merged=None, keep: dict | None = None) -> dict:
    """The set's facts of every set-level rule, from the documents' summaries in reading order. ``merged``: the
    inconsistent summaries already merged (``nnterm check`` folds them as it goes); ``keep``: what the previous
    check of the same set decided, reused where its inputs are the same (the engine's memo)."""
    from . import abbreviation_before_definition as abbreviation
    from . import inconsistent, missing_gloss, synonym, typo

    if merged is None and keep is not None:
        facts = {inconsistent.CODE: inconsistent.decide_summaries(ctx, [s[inconsistent.CODE] for s in summaries], keep)}
        groups = facts[inconsistent.CODE].merged_groups
    else:
        if merged is None:
            merged = inconsistent.merge([s[inconsistent.CODE] for s in summaries])
        facts = {inconsistent.CODE: inconsistent.decide(ctx, merged)}
        groups = lambda: merged.groups  # noqa: E731
    if ctx.rules.enabled(synonym.CODE):
        facts[synonym.CODE] = synonym.decide(ctx, groups())
    for module in (abbreviation, missing_gloss, typo):
        if ctx.rules.enabled(module.CODE) and summaries is not None:
            parts = [s[module.CODE] for s in summaries]
            if module in (abbreviation, missing_gloss) and keep is not None:  # (kept between checks: the engine's memo)
                facts[module.CODE] = module.decide(ctx, parts, keep.setdefault(module.CODE, {}))
            else:
                facts[module.CODE] = module.decide(ctx, parts)
    return facts


def depends(ctx, pos: int) -> tuple:
    """The set's facts that document ``pos``'s findings read: the same value means the same findings for the
    same analysis."""
    from . import abbreviation_before_definition as abbreviation
    from . import inconsistent, missing_gloss, synonym, typo

    summary = ctx.summaries[pos]
    out = []
    for module, part in ((inconsistent, inconsistent.CODE), (synonym, inconsistent.CODE),
                         (abbreviation, abbreviation.CODE), (missing_gloss, missing_gloss.CODE), (typo, typo.CODE)):
        facts = ctx.facts.get(module.CODE)
        out.append(None if facts is None else module.depends(ctx, facts, pos, summary[part]))
    facts = ctx.facts.get(inconsistent.CODE)
    out.append(facts.prescribed if facts is not None else None)  # (the deprecated rule reads the set's term lists)
    if summary[inconsistent.CODE].deprecated:  # (and whether the set writes the replacement)
        from . import deprecated

        out.append(deprecated.depends(ctx, facts, summary[inconsistent.CODE].deprecated))
    glossary = ctx.memo.get("glossary")
    path = ctx.docs[pos].path
    out.append(tuple(p for p in glossary.problems if p.path == path) if glossary and glossary.problems else ())
    return tuple(out)


def document_findings(ctx, doc, pos: int) -> list:
    """Every enabled rule's findings in one document of the set, in rule order (not yet suppressed or sorted)."""
    out: list = []
    for code, module in rule_modules().items():
        if ctx.rules.enabled(code):
            out.extend(module.findings(ctx, doc, pos))
    return out


class RuleSet:
    """Which rules run and at which severity, after configuration and --select/--ignore."""

    def __init__(self, config=None, select: list[str] | None = None, ignore: list[str] | None = None) -> None:
        self.specs = builtin_rules()
        self._enabled = {code: spec.enabled for code, spec in self.specs.items()}
        self._severity = {code: spec.severity for code, spec in self.specs.items()}
        if config is not None:
            for code, setting in config.rules.items():
                if setting.enabled is not None:
                    self._enabled[code] = setting.enabled
                if setting.severity:
                    self._severity[code] = setting.severity
        if select:
            self._enabled = {code: code in select for code in self.specs}
        for code in ignore or ():
            self._enabled[code] = False

    def enabled(self, code: str) -> bool:
        return self._enabled.get(code, False)

    def severity(self, code: str) -> str:
        return self._severity[code]

    def message(self, code: str, lang: str, key: str = "message", **values) -> str:
        spec = self.specs[code]
        templates = spec.message if key == "message" else spec.extra[key]
        template = templates.get(lang) or templates["en"]
        return template.format(**values)

    def fix_title(self, code: str, lang: str = "en", key: str = "fix", **values) -> str:
        spec = self.specs[code]
        templates = spec.fix if key == "fix" else _by_lang(spec.extra[key])
        return (templates.get(lang) or templates["en"]).format(**values)

    def extra(self, code: str, key: str, default=None):
        return self.specs[code].extra.get(key, default)
