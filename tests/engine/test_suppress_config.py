"""Suppression comments (both formats) and configuration (.nnterm.yaml) at the engine level."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine_helpers import ENGINE_FIXTURES, Config, check, make_engine, marked
from nnterm_ls.config import ConfigError, find_config, load_config, parse_config


def codes_at(findings, text):
    return sorted((f.code, text.count("\n", 0, f.start) + 1) for f in findings)


@pytest.fixture(scope="module")
def engine():
    return make_engine(Config(), select=["deprecated", "casing"])


MD = {
    "next-line-all": ("<!-- nnterm-disable-next-line -->\n批次标准化\n批次标准化\n", [("deprecated", 3)]),
    "next-line-code": ("<!-- nnterm-disable-next-line deprecated -->\n批次标准化 relu\n",
                       [("casing", 2)]),
    "next-line-other-code": ("<!-- nnterm-disable-next-line casing -->\n批次标准化\n", [("deprecated", 2)]),
    "next-line-two-codes": ("<!-- nnterm-disable-next-line deprecated casing -->\n批次标准化 relu\n", []),
    "range": ("批次标准化\n<!-- nnterm-disable -->\n批次标准化\n\nrelu\n<!-- nnterm-enable -->\n批次标准化\n",
              [("deprecated", 1), ("deprecated", 7)]),
    "range-with-code": ("<!-- nnterm-disable casing -->\n批次标准化 relu\n<!-- nnterm-enable casing -->\nrelu\n",
                        [("casing", 4), ("deprecated", 2)]),
    "range-unclosed": ("批次标准化\n<!-- nnterm-disable -->\n批次标准化\n\n\n批次标准化\n", [("deprecated", 1)]),
    "in-code-is-not-a-comment": ("`<!-- nnterm-disable-next-line -->`\n批次标准化\n", [("deprecated", 2)]),
    "same-line-all": ("批次标准化 relu <!-- nnterm-disable-line -->\n批次标准化\n", [("deprecated", 2)]),
    "same-line-code": ("批次标准化 relu <!-- nnterm-disable-line casing -->\n", [("deprecated", 1)]),
    "same-line-before-the-finding": ("<!-- nnterm-disable-line deprecated --> 批次标准化\n", []),
}


@pytest.mark.parametrize("name", MD)
def test_markdown_suppressions(engine, name):
    text, expected = MD[name]
    assert codes_at(check(engine, text, "markdown"), text) == sorted(expected)


TEX = {
    "next-line-all": ("% nnterm-disable-next-line\n批次标准化\n批次标准化\n", [("deprecated", 3)]),
    "next-line-code": ("% nnterm-disable-next-line deprecated\n批次标准化 relu\n", [("casing", 2)]),
    "range": ("% nnterm-disable\n批次标准化\n\nrelu\n% nnterm-enable\n批次标准化\n", [("deprecated", 6)]),
    "range-with-code": ("% nnterm-disable casing\n批次标准化 relu\n% nnterm-enable casing\nrelu\n",
                        [("casing", 4), ("deprecated", 2)]),
    "escaped-percent": ("50\\% nnterm-disable-next-line\n批次标准化\n", [("deprecated", 2)]),
    "same-line-all": ("批次标准化 relu % nnterm-disable-line\n批次标准化\n", [("deprecated", 2)]),
    "same-line-code": ("批次标准化 relu % nnterm-disable-line deprecated\n", [("casing", 1)]),
}


@pytest.mark.parametrize("name", TEX)
def test_latex_suppressions(engine, name):
    text, expected = TEX[name]
    assert codes_at(check(engine, text, "latex"), text) == sorted(expected)


# -- configuration ------------------------------------------------------------------------------------------------


def test_find_config_upward(tmp_path):
    (tmp_path / ".nnterm.yaml").write_text("ignore: [学习率]\n", encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    doc = deep / "x.md"
    doc.write_text("x", encoding="utf-8")
    assert find_config(doc) == (tmp_path / ".nnterm.yaml").resolve()
    assert find_config(deep) == (tmp_path / ".nnterm.yaml").resolve()
    assert load_config(find_config(doc)).ignore == ["学习率"]


def test_rule_off_and_severity():
    cfg = parse_config("rules:\n  deprecated: off\n  casing: error\n  missing-gloss: {severity: info}\n", "/v/.nnterm.yaml")
    eng = make_engine(cfg)
    found = check(eng, "使用批次标准化与 relu，调整学习率。")
    assert {f.code: f.severity for f in found} == {"casing": "error", "missing-gloss": "info"}


def test_preferred_unknown_form_is_a_problem():
    cfg = parse_config("preferred:\n  batch-normalization: 批量正规化\n  no-such-concept: x\n", "/v/.nnterm.yaml")
    eng = make_engine(cfg)
    problems = sorted((p.line, p.message) for p in eng.config_problems)
    assert [line for line, _ in problems] == [2, 3]
    assert "批量正规化" in problems[0][1] and "no-such-concept" in problems[1][1]


def test_extra_term_files_relative_to_config(tmp_path):
    (tmp_path / "terms").mkdir()
    (tmp_path / "terms" / "extra.yaml").write_text((ENGINE_FIXTURES / "extra-terms.yaml").read_text("utf-8"), "utf-8")
    (tmp_path / ".nnterm.yaml").write_text("terms: [terms/extra.yaml]\n", encoding="utf-8")
    cfg = load_config(tmp_path / ".nnterm.yaml")
    assert cfg.terms == [str((tmp_path / "terms" / "extra.yaml").resolve())]
    eng = make_engine(cfg, extra_terms=cfg.terms)
    assert [f.code for f in check(eng, "We use Tensorflow.")] == ["casing"]


def test_ignore_words_in_config():
    eng = make_engine(parse_config("ignore: [relu]\n", "/v/.nnterm.yaml"))
    assert [f for f in check(eng, "We use relu.") if f.code == "casing"] == []


def test_latex_skip_lists_in_config():
    cfg = parse_config("latex:\n  skip_commands: [myterm]\n  skip_environments: [myverb]\n", "/v/.nnterm.yaml")
    eng = make_engine(cfg, select=["deprecated"])
    text, expected = marked("\\myterm{批次标准化}\\begin{myverb}\n批次标准化\n\\end{myverb}\n⟦批次标准化⟧\n")
    assert [(f.start, f.end) for f in check(eng, text, "latex")] == expected


BROKEN_CONFIGS = [
    ("rules:\n  deprecated: sometimes\n", 2),
    ("rules:\n  no-such-rule: off\n", 2),
    ("ignore: [a, b]\nunknown_key: 1\n", 2),
    ("rules:\n  casing: [\n", None),  # YAML syntax error
    ("latex:\n  skip_commands: notalist\n", 2),
]


@pytest.mark.parametrize("text,line", BROKEN_CONFIGS)
def test_broken_config_names_file_and_line(tmp_path, text, line):
    p = tmp_path / ".nnterm.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(p)
    err = info.value
    assert Path(err.path) == p
    assert err.line >= 1
    if line is not None:
        assert err.line == line
    assert str(err).startswith(f"{p}:{err.line}: ")


def test_latex_suppression_in_verbatim_is_not_a_comment(engine):
    text = "\\begin{verbatim}\n% nnterm-disable-next-line\n\\end{verbatim}\n批次标准化\n"
    # the verbatim line ends two lines above the term; a real comment there would not apply anyway, so use a range
    text = "\\begin{verbatim}\n% nnterm-disable\n\\end{verbatim}\n批次标准化\n"
    assert codes_at(check(engine, text, "latex"), text) == [("deprecated", 4)]
