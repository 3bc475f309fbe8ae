"""`nnterm init` through the real command (issue 13): a commented .nnterm.yaml that loads, detects a LaTeX root and a
Markdown book's index, writes the text's dominant renderings as `preferred` with --from-text, never overwrites."""

from __future__ import annotations

import pytest
import yaml

from nnterm_ls.config import load_config
from nnterm_ls.rules.registry import RULE_CODES

THESIS_MAIN = ("\\documentclass{article}\n\\begin{document}\n批量归一化很好。批量归一化常用。\n"
               "\\input{chapters/one}\n\\end{document}\n")
CHAPTER = "第一章也用批量归一化，偶尔写成批归一化。我们使用丢弃法。丢弃法很好。后文又写暂退法。\n"


@pytest.fixture
def thesis(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "main.tex").write_text(THESIS_MAIN, encoding="utf-8")
    (tmp_path / "chapters" / "one.tex").write_text(CHAPTER, encoding="utf-8")
    (tmp_path / "chapters" / "notes.tex").write_text("% 没有 documentclass 的文件不是根文件\n", encoding="utf-8")
    return tmp_path


def test_init_writes_a_commented_config_that_loads(thesis, nnterm):
    proc = nnterm("init", cwd=thesis)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == f"nnterm: wrote .nnterm.yaml (LaTeX root main.tex)\n"
    text = (thesis / ".nnterm.yaml").read_text(encoding="utf-8")
    assert "# LaTeX root file: main.tex\n" in text and "nnterm check main.tex" in text
    for code in RULE_CODES:  # every rule, with its default, commented out
        assert f"#   {code}: " in text
    assert yaml.safe_load(text) is None  # nothing set: every line is a comment
    # the file is a valid configuration, and nnterm check runs with it
    load_config(thesis / ".nnterm.yaml")
    check = nnterm("check", "main.tex", "-q", cwd=thesis)
    assert check.returncode == 1 and check.stderr == ""


def test_init_never_overwrites(thesis, nnterm):
    (thesis / ".nnterm.yaml").write_text("learn: false\n", encoding="utf-8")
    proc = nnterm("init", "--from-text", cwd=thesis)
    assert proc.returncode == 1
    assert "already exists; nothing was written" in proc.stderr
    assert (thesis / ".nnterm.yaml").read_text(encoding="utf-8") == "learn: false\n"
    (thesis / ".nnterm.yaml").unlink()
    (thesis / ".nnterm.yml").write_text("learn: false\n", encoding="utf-8")
    assert nnterm("init", cwd=thesis).returncode == 1 and not (thesis / ".nnterm.yaml").exists()
    # --stdout shows what it would write, and writes nothing
    proc = nnterm("init", "--stdout", cwd=thesis)
    assert proc.returncode == 0 and proc.stdout.startswith("# nnterm configuration") and not (thesis / ".nnterm.yaml").exists()


def test_from_text_writes_the_dominant_renderings(thesis, nnterm, nnterm_json):
    proc = nnterm("init", ".", "--from-text", cwd=thesis)
    assert proc.returncode == 0, proc.stderr
    assert "2 preferred renderings from the text" in proc.stderr
    doc = yaml.safe_load((thesis / ".nnterm.yaml").read_text(encoding="utf-8"))
    assert doc == {"preferred": {"batch-normalization": "批量归一化", "dropout": "丢弃法"}}
    # with the written preferences the same minorities are reported, now as configured
    _c, data, err = nnterm_json("main.tex", "--select", "inconsistent", cwd=thesis)
    assert err == ""
    assert sorted(d["found"] for d in data) == ["批归一化", "暂退法"]
    assert all(".nnterm.yaml 配置使用" in d["message"] for d in data)


def test_markdown_book_index_is_detected(tmp_path, nnterm):
    (tmp_path / "SUMMARY.md").write_text("- [一](one.md)\n- [二](two.md)\n", encoding="utf-8")
    (tmp_path / "one.md").write_text("第一章。\n", encoding="utf-8")
    (tmp_path / "two.md").write_text("第二章。\n", encoding="utf-8")
    proc = nnterm("init", "--stdout", cwd=tmp_path)
    assert "# Reading order of the Markdown files: from SUMMARY.md (mdBook)." in proc.stdout
    (tmp_path / "SUMMARY.md").unlink()
    proc = nnterm("init", "--stdout", cwd=tmp_path)
    assert '# order: ["one.md", "two.md"]' in proc.stdout  # no index: path order, and how to set one


def test_init_of_a_missing_folder(tmp_path, nnterm):
    proc = nnterm("init", "nowhere", cwd=tmp_path)
    assert proc.returncode == 2 and "no such folder" in proc.stderr
