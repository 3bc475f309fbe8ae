"""Project configuration: `.nnterm.yaml` in the checked folder or above, validated against its schema."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .severity import normalize as normalize_severity
from .paths import schema_path

CONFIG_NAMES = (".nnterm.yaml", ".nnterm.yml")
SEVERITIES = ("error", "warning", "info", "hint")


class ConfigError(Exception):
    """One problem of a configuration file, at a line and column (1-based)."""

    def __init__(self, path: str, line: int, message: str, column: int = 1) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.column = column
        self.message = message

    def where(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class ConfigErrors(ConfigError):
    """Every problem of a configuration file (raised by parse_config; the first one is its own path, line and
    message, so code that expects one ConfigError keeps working)."""

    def __init__(self, errors: list[ConfigError]) -> None:
        first = errors[0]
        super().__init__(first.path, first.line, first.message, first.column)
        self.errors = errors


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
    locale: str = "auto"  # the language of messages and editor text: auto (each document's own) | zh | en
    learn: bool = True  # learn renderings from the document set's own glosses
    cache: bool = False  # `nnterm check` reuses unchanged documents' analyses (nnterm_ls/cache.py)
    cache_dir: str | None = None  # absolute; None: the user's cache folder
    order: list[str] = field(default_factory=list)  # reading order of a Markdown book (paths or globs)
    preferred_lines: dict[str, int] = field(default_factory=dict)
    preferred_columns: dict[str, tuple[int, int]] = field(default_factory=dict)  # concept id -> key col, value col

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
    """Parse configuration text; raises ConfigErrors (a ConfigError naming the file and line of the first problem,
    with ``.errors``: every problem) when the file is broken."""
    cfg, errors = check_config(text, path)
    if errors:
        raise ConfigErrors(errors)
    return cfg


def check_config(text: str, path: str) -> tuple[Config, list[ConfigError]]:
    """Parse configuration text, collecting every problem (in file order) instead of stopping at the first; the
    Config returned is built from the parts that are valid."""
    from . import yamlutil  # here: a folder without a configuration file never imports YAML

    try:
        doc = yamlutil.load(text)
    except yamlutil.YamlError as exc:
        return Config(path=path), [ConfigError(path, exc.line, _say("yaml", message=exc.message), exc.column)]
    if doc is None:
        return Config(path=path), []
    if not isinstance(doc, dict):
        return Config(path=path), [ConfigError(path, getattr(doc, "line", 1), _say("not_mapping"))]
    positions = _positions(text)
    errors: list[tuple[tuple, ConfigError]] = []
    drop: list[list] = []  # paths to leave out when building the Config
    for err in _schema().iter_errors(doc):
        for where, message, bad in _explain(doc, err):
            line, col = _position_of(positions, where, key=bad == "key")
            errors.append(((line, col), ConfigError(path, line, message, col)))
            drop.append(where if bad != "list" else where[:-1])
    errors.sort(key=lambda item: item[0])
    cfg = _build(_without(doc, drop), path)
    for cid in cfg.preferred:
        pos = positions.get(("preferred", cid))
        if pos:
            cfg.preferred_columns[cid] = (pos[0][1], pos[1][1])
    return cfg, [e for _pos, e in errors]


def _position_of(positions, where, *, key: bool) -> tuple[int, int]:
    """(line, col) of the key at ``where`` (``key``) or of its value; the nearest enclosing one if not recorded."""
    where = tuple(where)
    while where not in positions and where:
        where = where[:-1]
    key_pos, value_pos = positions.get(where, ((1, 1), (1, 1)))
    return key_pos if key else value_pos


def _build(doc: dict, path: str) -> Config:
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
    preferred = doc.get("preferred") or {}
    for cid, value in preferred.items():
        cfg.preferred_lines[cid] = preferred.line_of(cid) if hasattr(preferred, "line_of") else 1
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
    cfg.locale = doc.get("locale") if doc.get("locale") in ("auto", "zh", "en") else "auto"
    cfg.cache = bool(doc.get("cache", False))
    cfg.cache_dir = str((base / doc["cache_dir"]).resolve()) if doc.get("cache_dir") else None
    cfg.order = [str(x) for x in (doc.get("order") or [])]
    return cfg


# -- plain-words configuration errors ---------------------------------------------------------------------------------

MESSAGES = {
    "yaml": {"en": "YAML syntax error: {message}", "zh": "YAML 语法错误：{message}"},
    "not_mapping": {"en": "the configuration must be a mapping of settings (key: value lines)",
                    "zh": "配置文件应由“键: 值”形式的设置组成"},
    "unknown_key": {"en": "unknown setting '{key}'{where}{dym}; the settings are: {known}",
                    "zh": "未知的设置“{key}”{where}{dym}；可用的设置：{known}"},
    "unknown_rule": {"en": "unknown rule '{key}'{dym}; the rules are: {known}",
                     "zh": "未知的规则“{key}”{dym}；规则有：{known}"},
    "rule_value": {"en": "rule '{rule}': {value!r} is not a setting{dym}; use error, warning, info, hint, on or off "
                         "(or {{severity: …, enabled: …}})",
                   "zh": "规则“{rule}”的设置 {value!r} 无效{dym}；可用 error、warning、info、hint、on 或 off"
                         "（或 {{severity: …, enabled: …}}）"},
    "preferred_value": {"en": "preferred '{cid}': give the rendering as text ({cid}: 批量归一化) or per language "
                              "({{zh: …, en: …}})",
                        "zh": "preferred 中“{cid}”的值应是一个译法（{cid}: 批量归一化）或按语言给出（{{zh: …, en: …}}）"},
    "type": {"en": "'{name}' must be {expected}, not {actual}", "zh": "“{name}”应为{expected}，而不是{actual}"},
    "enum": {"en": "'{name}': {value!r} is not one of {known}{dym}", "zh": "“{name}”的值 {value!r} 无效{dym}；可选：{known}"},
    "empty": {"en": "'{name}' must not be empty", "zh": "“{name}”不能为空"},
    "other": {"en": "'{name}': {message}", "zh": "“{name}”：{message}"},
    "dym": {"en": " (did you mean '{x}'?)", "zh": "（是不是“{x}”？）"},
    "in": {"en": " in '{parent}'", "zh": "（位于“{parent}”下）"},
    "unknown_concept": {"en": "preferred: unknown concept id '{cid}'{dym}", "zh": "preferred：未知的概念 id“{cid}”{dym}"},
    "term_not_id": {"en": "preferred: '{cid}' is a term, not a concept id; write its id: {ids}",
                    "zh": "preferred：“{cid}”是术语而不是概念 id；应写作它的 id：{ids}"},
    "not_a_form": {"en": "preferred: {text!r} is not a form of '{cid}'{dym} (known: {known})",
                   "zh": "preferred：{text!r} 不是“{cid}”的译法{dym}（已知译法：{known}）"},
}
TYPE_WORDS = {
    "en": {"array": "a list", "string": "text", "boolean": "true or false", "object": "a mapping (key: value lines)",
           "integer": "a whole number", "number": "a number", "null": "empty"},
    "zh": {"array": "列表", "string": "文本", "boolean": "true 或 false", "object": "“键: 值”映射", "integer": "整数",
           "number": "数字", "null": "空"},
}


def message_lang() -> str:
    """The language of configuration messages: NNTERM_LANG, else the locale (zh_* → Chinese), else English."""
    for var in ("NNTERM_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def _say(_msg: str, **values) -> str:
    lang = message_lang()
    return MESSAGES[_msg][lang].format(**values)


def did_you_mean(word: str, candidates, cutoff: float = 0.6) -> str:
    import difflib

    close = difflib.get_close_matches(str(word), [str(c) for c in candidates], n=1, cutoff=cutoff)
    return _say("dym", x=close[0]) if close else ""


def _type_name(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "null"


def _name(where) -> str:
    return ".".join(str(p) if not isinstance(p, int) else f"[{p + 1}]" for p in where).replace(".[", "[") or "top level"


def _explain(doc, err):
    """(path, message, what is bad: "key" | "value" | "list") for one schema error — several for several unknown
    keys of one mapping."""
    where = list(err.absolute_path)
    lang = message_lang()
    words = TYPE_WORDS[lang]
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        known = list((err.schema.get("properties") or {}).keys())
        for key in err.instance:
            if key not in known:
                parent = _say("in", parent=_name(where)) if where else ""
                yield [*where, key], _say("unknown_key", key=key, where=parent, dym=did_you_mean(key, known),
                                          known=", ".join(known)), "key"
        return
    if "propertyNames" in err.absolute_schema_path:
        codes = list(err.schema.get("enum") or [])
        key = err.instance
        yield [*where, key], _say("unknown_rule", key=key, dym=did_you_mean(key, codes), known=", ".join(codes)), "key"
        return
    if len(where) == 2 and where[0] == "rules":
        value = err.instance
        settings = ["error", "warning", "info", "hint", "on", "off"]
        if isinstance(value, dict):
            for k, v in value.items():
                if k not in ("severity", "enabled"):
                    yield [*where, k], _say("unknown_key", key=k, where=_say("in", parent=_name(where)),
                                            dym=did_you_mean(k, ["severity", "enabled"]), known="severity, enabled"), "key"
                elif k == "severity" and v not in ("error", "warning", "info", "information", "hint"):
                    yield [*where, k], _say("rule_value", rule=where[1], value=v, dym=did_you_mean(v, settings[:4])), "value"
                elif k == "enabled" and not isinstance(v, bool):
                    yield [*where, k], _say("type", name=_name([*where, k]), expected=words["boolean"],
                                            actual=words[_type_name(v)]), "value"
            return
        yield where, _say("rule_value", rule=where[1], value=value,
                          dym=did_you_mean(value, settings) if isinstance(value, str) else ""), "value"
        return
    if len(where) == 2 and where[0] == "preferred" and err.validator == "oneOf":
        yield where, _say("preferred_value", cid=where[1]), "value"
        return
    if err.validator == "type":
        expected = err.validator_value if isinstance(err.validator_value, str) else err.validator_value[0]
        yield where, _say("type", name=_name(where), expected=words.get(expected, expected),
                          actual=words[_type_name(err.instance)]), ("list" if where and isinstance(where[-1], int) else "value")
        return
    if err.validator == "enum":
        known = [str(x) for x in err.validator_value]
        yield where, _say("enum", name=_name(where), value=err.instance, known=", ".join(known),
                          dym=did_you_mean(err.instance, known)), "value"
        return
    if err.validator == "minLength":
        yield where, _say("empty", name=_name(where)), "value"
        return
    yield where, _say("other", name=_name(where), message=err.message), "value"


def _positions(text: str) -> dict[tuple, tuple[tuple[int, int], tuple[int, int]]]:
    """Path (keys and indexes) -> ((line, col) of its key, (line, col) of its value), 1-based, from the node tree."""
    import yaml

    out: dict = {}
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return out

    def mark(node):
        return node.start_mark.line + 1, node.start_mark.column + 1

    def walk(node, path):
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = k.value if isinstance(k, yaml.ScalarNode) else None
                if key is None:
                    continue
                sub = (*path, key)
                out[sub] = (mark(k), mark(v))
                walk(v, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                sub = (*path, i)
                out[sub] = (mark(v), mark(v))
                walk(v, sub)

    if root is not None:
        out[()] = (mark(root), mark(root))
        walk(root, ())
    return out


def _without(doc: dict, paths: list[list]) -> dict:
    """A copy of the loaded document with the values at ``paths`` left out (the invalid parts); the loaded
    document itself is not changed (containers are copied on the way down)."""
    from . import yamlutil

    clean = dict(doc)
    for where in paths:
        if not where:
            return {}
        container = clean
        for part in where[:-1]:
            child = container.get(part) if isinstance(container, dict) else None
            if not isinstance(child, dict):
                container = None
                break
            child = yamlutil.LineDict(child)
            child.line, child.key_lines = getattr(container.get(part), "line", 0), getattr(container.get(part), "key_lines", {})
            container[part] = child
            container = child
        if isinstance(container, dict):
            container.pop(where[-1], None)
    return clean


def load_config(path: str | os.PathLike) -> Config:
    p = str(path)
    try:
        text = Path(p).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(p, 1, f"cannot read configuration: {exc}") from None
    return parse_config(text, p)


def load_config_checked(path: str | os.PathLike) -> tuple[Config, list[ConfigError]]:
    """The configuration of a file and every problem in it (the CLI reports them all, then exits 2)."""
    p = str(path)
    try:
        text = Path(p).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Config(path=p), [ConfigError(p, 1, f"cannot read configuration: {exc}")]
    return check_config(text, p)


def resolve_preferences(config: Config, termbase) -> tuple[dict[tuple[str, str], str], list[ConfigError]]:
    """(concept id, lang) -> preferred text from the configuration, checked against the term base (an unknown id or
    a text that is not a form of the concept is a problem, with the closest id or form suggested)."""
    out: dict[tuple[str, str], str] = {}
    problems: list[ConfigError] = []
    where = config.path or "<config>"
    for cid, choice in config.preferred.items():
        concept = termbase.get(cid)
        line = config.preferred_lines.get(cid, 1)
        key_col, value_col = config.preferred_columns.get(cid, (1, 1))
        if concept is None:
            named = [c.id for c in termbase.lookup(cid)] if hasattr(termbase, "lookup") else []
            if named:
                problems.append(ConfigError(where, line, _say("term_not_id", cid=cid, ids=", ".join(named)), key_col))
            else:
                problems.append(ConfigError(where, line, _say("unknown_concept", cid=cid,
                                                              dym=did_you_mean(cid, termbase.concepts)), key_col))
            continue
        for lang_key, text in choice.items():
            form = next((f for f in concept.forms if f.text == text), None)
            if form is None:
                forms = list(dict.fromkeys(f.text for f in concept.forms_of("zh") + concept.forms_of("en")))
                problems.append(ConfigError(where, line, _say("not_a_form", text=text, cid=cid, known=", ".join(forms),
                                                              dym=did_you_mean(text, forms, cutoff=0.5)), value_col))
                continue
            out[(cid, form.lang if lang_key == "*" else lang_key)] = text
    return out, problems
