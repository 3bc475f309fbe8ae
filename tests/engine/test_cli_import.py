"""`nnterm import` through the real command on real files (issue 13): the term file layers explicitly over the
built-in base, says which built-in concepts it changes, never changes a preferred rendering the input does not state
(or --prefer-input asks for), and its schema line points at the schema of the installed package."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from engine_helpers import present_or_missing

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
TERMS = SHARED / "reference" / "terms"
TBX_NS = "urn:iso:std:iso:30042:ed-2"


def lookup(nnterm, term_file: Path, term: str) -> dict:
    proc = nnterm("lookup", "--json", "--terms", term_file, term)
    assert proc.returncode == 0, proc.stderr
    (concept,) = json.loads(proc.stdout)[0]
    return concept


def status_of(concept: dict, text: str) -> str:
    return next(f["status"] for f in concept["forms"] if f["text"] == text)


def schema_of(term_file: Path) -> Path:
    first = term_file.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix), first
    uri = urlparse(first[len(prefix):])
    assert uri.scheme == "file", first
    return Path(unquote(uri.path))


def import_ok(nnterm, *args, cwd=None):
    proc = nnterm("import", *args, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return proc


# -- a plain glossary: the built-in preferred rendering is kept unless the input says otherwise -----------------


@pytest.fixture
def glossary(tmp_path):
    src = tmp_path / "glossary.csv"
    src.write_text("English,Chinese\nbatch normalization,批次规范化\nfrobnication layer,弗罗布层|弗层\n", encoding="utf-8")
    return src


def test_plain_csv_never_changes_a_preferred_rendering(nnterm, glossary, tmp_path):
    out = tmp_path / "lab.yaml"
    proc = import_ok(nnterm, glossary, "-o", out)
    bn = lookup(nnterm, out, "批次规范化")
    assert bn["id"] == "batch-normalization"  # matched to the built-in concept, not a new one beside it
    assert bn["zh"] == "批量归一化" and status_of(bn, "批次规范化") == "admitted"
    assert bn["en"] == "batch normalization"
    assert ("nnterm: note: batch-normalization: kept the built-in preferred zh '批量归一化': the input does not mark "
            "'批次规范化' preferred (--prefer-input would take it)") in proc.stderr.splitlines()
    assert "nnterm: changes batch-normalization (built-in, normalization.yaml:" in proc.stderr
    text = out.read_text(encoding="utf-8")
    assert "# Built-in concepts this file changes (1): batch-normalization\n" in text
    assert "  # batch-normalization (built-in, normalization.yaml:" in text and "adds zh 批次规范化 (admitted)" in text
    assert "  # frobnication-layer: new concept\n" in text
    new = lookup(nnterm, out, "frobnication layers")
    assert (new["en"], new["zh"], status_of(new, "弗层")) == ("frobnication layer", "弗罗布层", "admitted")
    assert proc.stderr.splitlines()[-1] == (
        f"nnterm: {glossary}: 2 entries read, 2 concepts: 1 change built-in concepts, 0 already in the built-in base "
        f"as they are (not written), 1 new; written to {out}")
    assert nnterm("validate", out).returncode == 0


def test_a_status_column_states_the_preferred_rendering(nnterm, tmp_path):
    src = tmp_path / "glossary.tsv"
    src.write_text("english\tchinese\tstatus\nbatch normalization\t批次规范化\t首选\ndropout\t随机失活法\tdeprecated\n",
                   encoding="utf-8")
    out = tmp_path / "lab.yaml"
    proc = import_ok(nnterm, src, "-o", out)
    bn = lookup(nnterm, out, "batch normalization")
    assert bn["zh"] == "批次规范化" and status_of(bn, "批量归一化") == "admitted"
    assert "preferred zh 批量归一化 → 批次规范化 (marked preferred in the input)" in proc.stderr
    dropout = lookup(nnterm, out, "dropout")
    assert dropout["zh"] == "丢弃法" and status_of(dropout, "随机失活法") == "deprecated"
    # an unknown status word is an error with its line, and nothing is written
    src.write_text("english\tchinese\tstatus\ndropout\t随机失活法\tdeprecated\nbias\t偏置\tmaybe\n", encoding="utf-8")
    bad_out = tmp_path / "bad.yaml"
    proc = nnterm("import", src, "-o", bad_out)
    assert proc.returncode == 1 and "line 3: unknown status 'maybe' in column 'status'" in proc.stderr
    assert not bad_out.exists()


def test_definitions_of_a_glossary(nnterm, tmp_path):
    src = tmp_path / "defs.csv"
    src.write_text("English,Chinese,Definition\nfrobnication layer,弗罗布层,A layer only this lab has.\n"
                   "dropout,丢弃法,Zeroing random units while training.\n", encoding="utf-8")
    out = tmp_path / "defs.yaml"
    proc = import_ok(nnterm, src, "-o", out)
    new = lookup(nnterm, out, "弗罗布层")
    assert new["definition"] == {"en": "A layer only this lab has.", "zh": ""}
    dropout = lookup(nnterm, out, "dropout")
    assert dropout["definition"]["en"] == "Zeroing random units while training."
    assert dropout["definition"]["zh"].startswith("一种正则化方法")  # the built-in Chinese definition is kept
    assert "nnterm: changes dropout (built-in, regularization.yaml:" in proc.stderr
    assert "changes the definition (en)" in proc.stderr


def test_prefer_input_takes_the_implied_preferred(nnterm, glossary, tmp_path):
    out = tmp_path / "lab.yaml"
    proc = import_ok(nnterm, glossary, "--prefer-input", "-o", out)
    assert lookup(nnterm, out, "batch normalization")["zh"] == "批次规范化"
    assert "preferred zh 批量归一化 → 批次规范化 (--prefer-input)" in proc.stderr


# -- TBX ---------------------------------------------------------------------------------------------------------


def tbx(entries: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<tbx xmlns="{TBX_NS}" type="TBX-Basic" style="dca" '
            f'xml:lang="en"><tbxHeader><fileDesc><sourceDesc><p>lab</p></sourceDesc></fileDesc></tbxHeader>'
            f"<text><body>{entries}</body></text></tbx>\n")


def term(text: str, status: str | None = None) -> str:
    note = f'<termNote type="administrativeStatus">{status}-admn-sts</termNote>' if status else ""
    return f"<termSec><term>{text}</term>{note}</termSec>"


def test_tbx_statuses_decide_and_a_missing_status_keeps_the_base(nnterm, tmp_path):
    src = tmp_path / "team.tbx"
    src.write_text(tbx(
        # no statuses: the first term is only implied preferred
        '<conceptEntry id="e1"><langSec xml:lang="en">' + term("dropout") + '</langSec>'
        '<langSec xml:lang="zh-CN">' + term("随机失活法") + term("丢弃法") + "</langSec></conceptEntry>"
        # stated statuses: a new preferred rendering, the old one deprecated
        '<conceptEntry id="e2"><langSec xml:lang="en">' + term("batch normalization", "preferredTerm") + "</langSec>"
        '<langSec xml:lang="zh">' + term("批次规范化", "preferredTerm") + term("批量归一化", "deprecatedTerm")
        + "</langSec></conceptEntry>"
        # a new concept whose id is no slug
        '<conceptEntry id="C_3"><langSec xml:lang="en">' + term("frobnication layer") + "</langSec>"
        '<langSec xml:lang="zh">' + term("弗罗布层") + "</langSec></conceptEntry>"), encoding="utf-8")
    out = tmp_path / "team.yaml"
    proc = import_ok(nnterm, src, "-o", out)
    dropout = lookup(nnterm, out, "dropout")
    assert dropout["zh"] == "丢弃法" and status_of(dropout, "随机失活法") == "admitted"
    bn = lookup(nnterm, out, "batch normalization")
    assert bn["zh"] == "批次规范化" and status_of(bn, "批量归一化") == "deprecated"
    assert "nnterm: note: frobnication-layer: id 'C_3' written as 'frobnication-layer'" in proc.stderr.splitlines()
    assert lookup(nnterm, out, "弗罗布层")["id"] == "frobnication-layer"
    # nnterm check reads the layered file: the deprecated built-in rendering is reported, fixed to the new preferred
    (tmp_path / ".nnterm.yaml").write_text("terms: [team.yaml]\n", encoding="utf-8")
    (tmp_path / "ch.md").write_text("本章介绍批量归一化。\n", encoding="utf-8")
    proc = nnterm("check", "ch.md", "--format", "json", "--select", "deprecated", cwd=tmp_path)
    (finding,) = json.loads(proc.stdout)
    assert (finding["found"], finding["suggestion"], finding["concept"]) == ("批量归一化", "批次规范化",
                                                                            "batch-normalization")


# -- real glossaries ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["d2l-zh.tsv", "aisystem.tsv", "术语表.md"])
def test_real_glossaries_import_to_a_valid_layer(nnterm, tmp_path, name):
    src = TERMS / name if name.endswith(".tsv") else SHARED / "corpus" / "ai-system-zh" / "Textbook" / name
    src = present_or_missing(src, f"{src} is not present")
    out = tmp_path / "glossary.yaml"
    proc = import_ok(nnterm, src, "-o", out)
    assert "entries read" in proc.stderr.splitlines()[-1]
    valid = nnterm("validate", out)
    assert valid.returncode == 0 and ", 0 error(s)" in valid.stderr, valid.stdout
    if name == "d2l-zh.tsv":  # d2l-zh (2023) writes 暂退法 for dropout: the built-in 丢弃法 stays preferred
        assert "dropout\t暂退法" in src.read_text(encoding="utf-8")
        assert lookup(nnterm, out, "dropout")["zh"] == "丢弃法"
        assert "nnterm: note: dropout: kept the built-in preferred zh '丢弃法'" in proc.stderr
    else:  # a Title Case glossary: its capitals are not casings to enforce in prose
        (tmp_path / ".nnterm.yaml").write_text("terms: [glossary.yaml]\n", encoding="utf-8")
        (tmp_path / "ch.md").write_text("本系统采用 adaptive bit rate（比特率自适应，ABR）。\n", encoding="utf-8")
        check = nnterm("check", "ch.md", "--format", "json", cwd=tmp_path)
        assert [f["code"] for f in json.loads(check.stdout) if f["code"] == "casing"] == []


def test_markdown_glossary_tables(nnterm, tmp_path):
    src = tmp_path / "术语表.md"
    src.write_text(
        "# 术语表\n\n| 符号 | 含义 |\n|---|---|\n| $x$ | 输入 |\n\n"  # not a glossary: skipped
        "## A\n\n|英文|中文|缩写|\n|---|:---:|---|\n"
        "|[Frobnication Layer](https://example.org/f)|弗罗布层||\n|Batch Normalization|批次规范化|BN|\n\n"
        "## Z\n\n| English | Chinese |\n| --- | --- |\n| Zorb Unit | 佐布单元 |\n", encoding="utf-8")
    out = tmp_path / "g.yaml"
    proc = import_ok(nnterm, src, "-o", out)
    assert proc.stderr.splitlines()[-1].startswith(f"nnterm: {src}: 3 entries read, 3 concepts: 1 change built-in")
    assert lookup(nnterm, out, "frobnication layer")["zh"] == "弗罗布层"  # the link's text, not its address
    assert lookup(nnterm, out, "佐布单元")["en"] == "Zorb Unit"
    assert lookup(nnterm, out, "批次规范化")["zh"] == "批量归一化"
    bad = tmp_path / "notes.md"
    bad.write_text("| a | b |\n|---|---|\n| 1 | 2 |\n", encoding="utf-8")
    proc = nnterm("import", bad)
    assert proc.returncode == 1 and "need a table with an English and a Chinese column (the first table's " \
        "columns: a, b)" in proc.stderr


# -- export -> import -> check -----------------------------------------------------------------------------------


MINE = """\
concepts:
  - id: batch-normalization
    zh: 批次规范化
    deprecated:
      zh: [批次归一化]
  - id: frobnication-layer
    en: frobnication layer
    zh: 弗罗布层
    deprecated:
      zh: [弗罗布子层]
"""


@pytest.mark.parametrize("fmt", ["csv", "tbx", "json"])
def test_export_import_check_round_trip(nnterm, tmp_path, fmt):
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINE, encoding="utf-8")
    exported = tmp_path / f"all.{fmt}"
    assert nnterm("export", "--format", fmt, "--terms", mine, "-o", exported).returncode == 0
    out = tmp_path / "again.yaml"
    proc = import_ok(nnterm, exported, "-o", out)
    # only what the user's layer changed is written: the rest of the exported base is the built-in base itself
    text = out.read_text(encoding="utf-8")
    assert "# Built-in concepts this file changes (1): batch-normalization\n" in text
    assert [line for line in text.splitlines() if line.startswith("  - id: ")] == [
        "  - id: batch-normalization", "  - id: frobnication-layer"]
    assert "0 new" not in proc.stderr and ", 1 new;" in proc.stderr
    (tmp_path / ".nnterm.yaml").write_text("terms: [again.yaml]\n", encoding="utf-8")
    (tmp_path / "ch.md").write_text("本章用批次归一化和弗罗布子层。\n", encoding="utf-8")
    proc = nnterm("check", "ch.md", "--format", "json", "--select", "deprecated", cwd=tmp_path)
    found = sorted((f["found"], f["suggestion"]) for f in json.loads(proc.stdout))
    assert found == [("弗罗布子层", "弗罗布层"), ("批次归一化", "批次规范化")]


def test_standalone_keeps_every_concept(nnterm, tmp_path):
    exported = tmp_path / "all.json"
    assert nnterm("export", "--format", "json", "-o", exported).returncode == 0
    out = tmp_path / "all.yaml"
    proc = import_ok(nnterm, exported, "--standalone", "-o", out)
    n = len(json.loads(exported.read_text(encoding="utf-8")))
    assert f"{n} concepts written in full" in proc.stderr
    assert out.read_text(encoding="utf-8").count("\n  - id: ") + out.read_text(encoding="utf-8").count("\n- id: ") == n


# -- the schema line ---------------------------------------------------------------------------------------------


def test_schema_line_points_at_the_schema_nnterm_runs_with(nnterm, glossary, tmp_path):
    out = tmp_path / "lab.yaml"
    import_ok(nnterm, glossary, "-o", out)
    schema = schema_of(out)
    assert schema.is_file() and json.loads(schema.read_text(encoding="utf-8"))["title"] == "nnterm-ls term file"


def test_schema_line_of_an_installed_wheel_points_into_the_package(glossary, tmp_path, nnterm_cache):
    """Installed from the wheel (not this checkout), the schema line names the copy inside the installed package."""
    target = tmp_path / "site"
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                          str(REPO)], capture_output=True, text=True, timeout=600)
    assert pip.returncode == 0, pip.stderr
    out = tmp_path / "lab.yaml"
    env = {**os.environ, "PYTHONPATH": str(target), "NNTERM_CACHE_DIR": str(nnterm_cache)}
    proc = subprocess.run([sys.executable, "-c", "import sys; from nnterm_ls.cli import main; sys.exit(main())",
                           "import", str(glossary), "-o", str(out)], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr
    schema = schema_of(out)
    assert schema == target / "nnterm_ls" / "data" / "schema" / "terms.schema.json"
    assert schema.is_file() and REPO not in schema.parents


# -- bad input ---------------------------------------------------------------------------------------------------


def test_bad_input_is_a_clear_error(nnterm, tmp_path):
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("English,Chinese\ndropout,丢弃法\n".encode("gbk"))
    proc = nnterm("import", gbk)
    assert proc.returncode == 2 and "not UTF-8 text" in proc.stderr and "save it as UTF-8" in proc.stderr
    one_column = tmp_path / "one.csv"
    one_column.write_text("English\ndropout\n", encoding="utf-8")
    proc = nnterm("import", one_column)
    assert proc.returncode == 1 and "need an English and a Chinese column" in proc.stderr
    assert nnterm("import", tmp_path / "x.docx").returncode == 2
