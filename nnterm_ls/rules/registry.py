"""The rule registry: codes, default severities and messages from data/rules.yaml, overridden by configuration.

A rule is a module of this package named after its code (``abbreviation-before-definition`` ->
``abbreviation_before_definition.py``) with ``CODE`` and ``run(ctx) -> Iterator[Finding]``, plus its entry in
``data/rules.yaml``. Nothing else lists the rules: the CLI, the server, the SARIF rule table and the schemas read
them from here (the schema files are checked against ``data/rules.yaml`` by the test suite).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
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


def run_rules(ctx) -> Iterator:
    """Every enabled rule over a checked document set."""
    for code, module in rule_modules().items():
        if ctx.rules.enabled(code):
            yield from module.run(ctx)


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
