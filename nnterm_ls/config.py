"""Project configuration: `.nnterm.yaml` in the checked folder or above, validated against its schema."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import yamlutil
from .severity import normalize as normalize_severity
from .paths import schema_path

CONFIG_NAMES = (".nnterm.yaml", ".nnterm.yml")
SEVERITIES = ("error", "warning", "info", "hint")


class ConfigError(Exception):
    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


@dataclass
class RuleSetting:
    enabled: bool | None = None
    severity: str | None = None


@dataclass
class Config:
    path: str | None = None  # the file it came from, if any
    rules: dict[str, RuleSetting] = field(default_factory=dict)
    preferred: dict[str, dict[str, str]] = field(default_factory=dict)  # concept id -> lang -> text
    terms: list[str] = field(default_factory=list)  # absolute paths
    ignore: list[str] = field(default_factory=list)
    latex_commands: list[str] = field(default_factory=list)
    latex_environments: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    completion_style: str = "zh"
    inlay_hints: bool = False
    learn: bool = True  # learn renderings from the document set's own glosses
    order: list[str] = field(default_factory=list)  # reading order of a Markdown book (paths or globs)
    preferred_lines: dict[str, int] = field(default_factory=dict)

    @property
    def root(self) -> Path | None:
        return Path(self.path).parent if self.path else None


def find_config(start: str | os.PathLike) -> Path | None:
    """The nearest `.nnterm.yaml` in ``start`` (a file's folder, or a folder) or any folder above it."""
    p = Path(start).resolve()
    if p.is_file() or not p.exists():
        p = p.parent
    for folder in (p, *p.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
    return None


_validator = None


def _schema():
    global _validator
    if _validator is None:
        import jsonschema

        _validator = jsonschema.Draft202012Validator(json.loads(schema_path("config.schema.json").read_text(encoding="utf-8")))
    return _validator


def parse_config(text: str, path: str) -> Config:
    """Parse configuration text; raises ConfigError naming the file and line of the first problem."""
    try:
        doc = yamlutil.load(text)
    except yamlutil.YamlError as exc:
        raise ConfigError(path, exc.line, f"YAML syntax error: {exc.message}") from None
    if doc is None:
        return Config(path=path)
    if not isinstance(doc, dict):
        raise ConfigError(path, getattr(doc, "line", 1), "the configuration must be a mapping")
    errors = sorted(_schema().iter_errors(doc), key=lambda e: _error_line(doc, e))
    if errors:
        err = errors[0]
        where = list(err.absolute_path)
        line = _error_line(doc, err)
        label = "/".join(map(str, where)) or "top level"
        message = err.message
        if err.validator == "additionalProperties":
            message = f"unknown key: {err.message.split('(')[-1].rstrip(')')}"
        elif "propertyNames" in err.absolute_schema_path:
            message = f"unknown rule {err.instance!r}"
        raise ConfigError(path, line, f"{label}: {message}")
    cfg = Config(path=path)
    base = Path(path).parent
    for code, value in (doc.get("rules") or {}).items():
        setting = RuleSetting()
        if isinstance(value, bool):
            setting.enabled = value
        elif isinstance(value, str):
            if value == "off":
                setting.enabled = False
            elif value == "on":
                setting.enabled = True
            else:
                setting.enabled = True
                setting.severity = normalize_severity(value)
        elif isinstance(value, dict):
            setting.enabled = value.get("enabled", True)
            sev = value.get("severity")
            setting.severity = normalize_severity(sev)
        cfg.rules[code] = setting
    for cid, value in (doc.get("preferred") or {}).items():
        line = doc["preferred"].line_of(cid)
        cfg.preferred_lines[cid] = line
        if isinstance(value, str):
            cfg.preferred[cid] = {"*": value}
        else:
            cfg.preferred[cid] = {k: v for k, v in value.items() if v}
    cfg.terms = [str((base / t).resolve()) for t in doc.get("terms") or []]
    cfg.ignore = list(doc.get("ignore") or [])
    latex = doc.get("latex") or {}
    cfg.latex_commands = list(latex.get("skip_commands") or [])
    cfg.latex_environments = list(latex.get("skip_environments") or [])
    cfg.exclude = list(doc.get("exclude") or [])
    cfg.completion_style = (doc.get("completion") or {}).get("style", "zh")
    cfg.inlay_hints = bool(doc.get("inlay_hints", False))
    cfg.learn = bool(doc.get("learn", True))
    cfg.order = [str(x) for x in (doc.get("order") or [])]
    return cfg


def _error_line(doc, err) -> int:
    """The line of a schema error: the offending key itself for an unknown key or rule name."""
    where = list(err.absolute_path)
    line = yamlutil.line_at_path(doc, where)
    container = doc
    for part in where:
        try:
            container = container[part]
        except (KeyError, IndexError, TypeError):
            return line
    if not isinstance(container, yamlutil.LineDict):
        return line
    if "propertyNames" in err.absolute_schema_path and err.instance in container:
        return container.line_of(err.instance)
    if err.validator == "additionalProperties" and isinstance(err.schema, dict):
        known = err.schema.get("properties", {})
        unknown = [k for k in container if k not in known]
        if unknown:
            return min(container.line_of(k) for k in unknown)
    return line


def load_config(path: str | os.PathLike) -> Config:
    p = str(path)
    try:
        text = Path(p).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(p, 1, f"cannot read configuration: {exc}") from None
    return parse_config(text, p)


def resolve_preferences(config: Config, termbase) -> tuple[dict[tuple[str, str], str], list[ConfigError]]:
    """(concept id, lang) -> preferred text from the configuration, checked against the term base."""
    out: dict[tuple[str, str], str] = {}
    problems: list[ConfigError] = []
    for cid, choice in config.preferred.items():
        concept = termbase.get(cid)
        line = config.preferred_lines.get(cid, 1)
        if concept is None:
            problems.append(ConfigError(config.path or "<config>", line, f"preferred: unknown concept id {cid!r}"))
            continue
        for lang_key, text in choice.items():
            form = next((f for f in concept.forms if f.text == text), None)
            if form is None:
                known = ", ".join(f.text for f in concept.forms_of("zh") + concept.forms_of("en"))
                problems.append(ConfigError(config.path or "<config>", line, f"preferred: {text!r} is not a form of {cid!r} (known: {known})"))
                continue
            out[(cid, form.lang if lang_key == "*" else lang_key)] = text
    return out, problems
