"""A broken `.nnterm.yaml` through the real `nnterm check` (issue 13): every error at once, each file:line:col in
plain words (English, or Chinese under a Chinese locale), did-you-mean for unknown keys, rule codes and concept ids,
exit 2 before anything is checked."""

from __future__ import annotations

import json

import pytest

from engine_helpers import ENGINE_FIXTURES

TERMS = json.dumps(str(ENGINE_FIXTURES / "cli-terms.yaml"))
BROKEN = (
    f"terms: [{TERMS}]\n"             # 1
    "rulse:\n"                        # 2  unknown top-level key
    "  casing: off\n"                 # 3
    "rules:\n"                        # 4
    "  casng: off\n"                  # 5  unknown rule code
    "  deprecated: warnin\n"          # 6  bad severity
    "  casing: {severty: error}\n"    # 7  unknown key inside a rule
    "latex:\n"                        # 8
    "  skip_command: [mycite]\n"      # 9  unknown key in latex
    "exclude: drafts/\n"              # 10 not a list
    "preferred:\n"                    # 11
    "  zz-blueberry-netwrk: 莓果网络\n"  # 12 unknown concept id
    "  zz-zorbnet: Zorbnet\n"         # 13 not a form of the concept
    "  蓝莓网络: 莓果网络\n"            # 14 a term, not an id
)
EN = [
    ".nnterm.yaml:2:1: error: unknown setting 'rulse' (did you mean 'rules'?); the settings are: rules, preferred, "
    "terms, ignore, latex, exclude, completion, inlay_hints, locale, order, learn, cache, cache_dir",
    ".nnterm.yaml:5:3: error: unknown rule 'casng' (did you mean 'casing'?); the rules are: inconsistent, deprecated, "
    "abbreviation-before-definition, casing, missing-gloss, non-preferred, synonym, glossary, typo",
    ".nnterm.yaml:6:15: error: rule 'deprecated': 'warnin' is not a setting (did you mean 'warning'?); use error, "
    "warning, info, hint, on or off (or {severity: …, enabled: …})",
    ".nnterm.yaml:7:12: error: unknown setting 'severty' in 'rules.casing' (did you mean 'severity'?); the settings "
    "are: severity, enabled",
    ".nnterm.yaml:9:3: error: unknown setting 'skip_command' in 'latex' (did you mean 'skip_commands'?); the settings "
    "are: skip_commands, skip_environments",
    ".nnterm.yaml:10:10: error: 'exclude' must be a list, not text",
    ".nnterm.yaml:12:3: error: preferred: unknown concept id 'zz-blueberry-netwrk' (did you mean 'zz-blueberry-network'?)",
    ".nnterm.yaml:13:15: error: preferred: 'Zorbnet' is not a form of 'zz-zorbnet' (did you mean 'ZorbNet'?) "
    "(known: ZorbNet)",
    ".nnterm.yaml:14:3: error: preferred: '蓝莓网络' is a term, not a concept id; write its id: zz-blueberry-network",
    "nnterm: 9 configuration errors; nothing was checked",
]


@pytest.fixture
def broken(tmp_path):
    (tmp_path / ".nnterm.yaml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "doc.md").write_text("篮梅网络已过时。\n", encoding="utf-8")  # a warning, never reached
    return tmp_path


def test_every_error_at_once_in_plain_words(broken, nnterm):
    proc = nnterm("check", "doc.md", cwd=broken, env={"LANG": "C.UTF-8", "LC_ALL": "", "NNTERM_LANG": ""})
    assert proc.returncode == 2
    assert proc.stdout == ""  # nothing was checked
    got = [line.replace(str(broken) + "/", "") for line in proc.stderr.splitlines()]
    assert got == EN


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "rdjson"])
def test_broken_config_stops_every_format_before_checking(broken, nnterm, fmt):
    proc = nnterm("check", "doc.md", "--format", fmt, "--fix", cwd=broken)
    assert proc.returncode == 2 and proc.stdout == ""
    assert (broken / "doc.md").read_text(encoding="utf-8") == "篮梅网络已过时。\n"  # --fix did not run


def test_chinese_messages_under_a_chinese_locale(broken, nnterm):
    proc = nnterm("check", "doc.md", cwd=broken, env={"LANG": "zh_CN.UTF-8", "LC_ALL": "", "NNTERM_LANG": ""})
    assert proc.returncode == 2
    lines = [line.replace(str(broken) + "/", "") for line in proc.stderr.splitlines()]
    assert lines[0].startswith(".nnterm.yaml:2:1: error: 未知的设置“rulse”（是不是“rules”？）")
    assert lines[2].startswith(".nnterm.yaml:6:15: error: 规则“deprecated”的设置 'warnin' 无效（是不是“warning”？）")
    assert lines[6] == ".nnterm.yaml:12:3: error: preferred：未知的概念 id“zz-blueberry-netwrk”（是不是“zz-blueberry-network”？）"
    # NNTERM_LANG overrides the locale
    proc = nnterm("check", "doc.md", cwd=broken, env={"LANG": "zh_CN.UTF-8", "NNTERM_LANG": "en"})
    assert "unknown setting 'rulse'" in proc.stderr


def test_yaml_syntax_error_has_line_and_column(tmp_path, nnterm):
    (tmp_path / "custom.yaml").write_text("rules:\n  casing: [warning\nignore: []\n", encoding="utf-8")
    (tmp_path / "doc.md").write_text("x\n", encoding="utf-8")
    proc = nnterm("check", "doc.md", "--config", "custom.yaml", cwd=tmp_path, env={"NNTERM_LANG": "en"})
    assert proc.returncode == 2
    first = proc.stderr.splitlines()[0]
    assert first.startswith("custom.yaml:3:") and ": error: YAML syntax error: " in first, first


def test_a_valid_config_is_silent(tmp_path, nnterm):
    (tmp_path / ".nnterm.yaml").write_text(
        f"terms: [{TERMS}]\nrules:\n  casing: error\n  missing-gloss: {{severity: info, enabled: true}}\n"
        "preferred:\n  zz-blueberry-network: {zh: 莓果网络}\n", encoding="utf-8")
    (tmp_path / "doc.md").write_text("这里什么也没有。\n", encoding="utf-8")
    proc = nnterm("check", "doc.md", "-q", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
