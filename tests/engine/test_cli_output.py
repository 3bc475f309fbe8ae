"""`nnterm check` output as people and CI read it (issue 13), through the real command: the summary line on standard
error, the severity threshold, quiet mode, colour, the rdjson format and the `inconsistent` message's reason."""

from __future__ import annotations

import json
import re

import pytest

from engine_helpers import ENGINE_FIXTURES

CLI_TERMS = json.dumps(str(ENGINE_FIXTURES / "cli-terms.yaml"))
CONFIG = f"terms: [{CLI_TERMS}]\n"
# three warnings (inconsistent, deprecated, casing), every one with a safe fix, and a hint (missing-gloss) at 1:1
A = "蓝莓网络很好。蓝莓网络常用。莓果网络也行。\n\n篮梅网络已过时。We use zorbnet here.\n"
B = "第二章也用蓝莓网络。\n"
SUMMARY = re.compile(r"^Checked (?P<files>\d+) files? in (?P<secs>\d+\.\d) s: (?P<body>.*)$")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
NO_COLOR_ENV = {"NO_COLOR": "", "FORCE_COLOR": ""}  # neither set by the environment the tests run in


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".nnterm.yaml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "a.md").write_text(A, encoding="utf-8")
    (tmp_path / "b.md").write_text(B, encoding="utf-8")
    return tmp_path


def run(nnterm, *args, cwd, env=None):
    return nnterm("check", *args, cwd=cwd, env={**NO_COLOR_ENV, **(env or {})})


# -- the summary line -------------------------------------------------------------------------------------------


def test_summary_on_stderr_counts_by_severity_and_rule(project, nnterm, nnterm_json):
    _c, data, _e = nnterm_json(".", cwd=project)
    hints = [d for d in data if d["severity"] == "hint"]
    assert len(hints) == 1 and len([d for d in data if d["severity"] == "warning"]) == 3
    proc = run(nnterm, ".", cwd=project)
    assert proc.returncode == 1
    # the findings on stdout, warnings and above only; the summary alone on stderr
    assert [line.split(": ")[1].split(" [")[0] for line in proc.stdout.splitlines()] == ["warning"] * 3
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    m = SUMMARY.match(lines[0])
    assert m, lines[0]
    assert m["files"] == "2"
    assert m["body"] == "3 warnings (casing 1, deprecated 1, inconsistent 1), 3 fixable; 1 hint hidden"


def test_summary_with_hints_shown_and_nothing_found(project, nnterm):
    proc = run(nnterm, ".", "--show-hints", cwd=project)
    assert SUMMARY.match(proc.stderr.strip())["body"] == (
        "3 warnings (casing 1, deprecated 1, inconsistent 1), 1 hint (missing-gloss 1), 3 fixable")
    (project / "clean.md").write_text("这里什么也没有。\n", encoding="utf-8")
    proc = run(nnterm, "clean.md", cwd=project)
    assert proc.returncode == 0 and proc.stdout == ""
    m = SUMMARY.match(proc.stderr.strip())
    assert m["files"] == "1" and m["body"] == "no problems found"


def test_thousands_are_grouped_in_the_summary(tmp_path, nnterm):
    (tmp_path / ".nnterm.yaml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "many.md").write_text("篮梅网络，" * 1200 + "\n", encoding="utf-8")
    proc = run(nnterm, "many.md", "--select", "deprecated", cwd=tmp_path)
    assert SUMMARY.match(proc.stderr.strip())["body"] == "1,200 warnings (deprecated 1,200), 1,200 fixable"


# -- the severity threshold ---------------------------------------------------------------------------------------


def test_show_hints_is_min_severity_hint(project, nnterm):
    shown = run(nnterm, ".", "--show-hints", cwd=project)
    same = run(nnterm, ".", "--min-severity", "hint", cwd=project)
    assert shown.stdout == same.stdout
    assert "hint [missing-gloss]" in shown.stdout and len(shown.stdout.splitlines()) == 4
    assert shown.returncode == 1


def test_min_severity_error_hides_warnings_and_exits_0(project, nnterm):
    proc = run(nnterm, ".", "--min-severity", "error", cwd=project)
    assert proc.returncode == 0 and proc.stdout == ""
    assert SUMMARY.match(proc.stderr.strip())["body"] == "nothing of severity error or above; 3 warnings and 1 hint hidden"
    # a rule configured as an error is shown and fails the run
    (project / ".nnterm.yaml").write_text(CONFIG + "rules:\n  casing: error\n", encoding="utf-8")
    proc = run(nnterm, ".", "--min-severity", "error", cwd=project)
    assert proc.returncode == 1 and proc.stdout.count("\n") == 1 and "error [casing]" in proc.stdout
    assert SUMMARY.match(proc.stderr.strip())["body"] == "1 error (casing 1), 1 fixable; 2 warnings and 1 hint hidden"


def test_machine_formats_keep_every_finding_unless_given_a_threshold(project, nnterm, nnterm_json):
    _c, data, err = nnterm_json(".", cwd=project)
    assert {d["severity"] for d in data} == {"warning", "hint"} and err == ""  # no summary in json
    _c, data, _e = nnterm_json(".", "--min-severity", "warning", cwd=project)
    assert {d["severity"] for d in data} == {"warning"} and len(data) == 3
    sarif = json.loads(run(nnterm, ".", "--format", "sarif", cwd=project).stdout)
    assert len(sarif["runs"][0]["results"]) == 4
    sarif = json.loads(run(nnterm, ".", "--format", "sarif", "--min-severity", "warning", cwd=project).stdout)
    assert len(sarif["runs"][0]["results"]) == 3


def test_github_defaults_to_warnings_and_counts_hidden_hints(project, nnterm):
    proc = run(nnterm, ".", "--format", "github", cwd=project)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert len(lines) == 3 and all(line.startswith("::warning ") for line in lines)
    assert SUMMARY.match(proc.stderr.strip())["body"].endswith("; 1 hint hidden")
    proc = run(nnterm, ".", "--format", "github", "--show-hints", cwd=project)
    assert sum(line.startswith("::notice ") for line in proc.stdout.splitlines()) == 1


def test_quiet_prints_findings_only(project, nnterm):
    loud = run(nnterm, ".", cwd=project)
    quiet = run(nnterm, ".", "-q", cwd=project)
    assert quiet.stdout == loud.stdout and quiet.stderr == "" and quiet.returncode == 1
    assert run(nnterm, ".", "--quiet", "--format", "github", cwd=project).stderr == ""


# -- colour -----------------------------------------------------------------------------------------------------


def test_no_colour_when_piped_by_default(project, nnterm):
    proc = run(nnterm, ".", cwd=project)
    assert not ANSI.search(proc.stdout) and not ANSI.search(proc.stderr)


def test_color_always_and_force_color(project, nnterm):
    plain = run(nnterm, ".", cwd=project).stdout
    coloured = run(nnterm, ".", "--color", "always", cwd=project)
    assert ANSI.search(coloured.stdout) and ANSI.search(coloured.stderr)
    assert ANSI.sub("", coloured.stdout) == plain  # colour only: the same text
    first = coloured.stdout.splitlines()[0]
    assert first.startswith("\x1b[1ma.md\x1b[0m") and "\x1b[1;33mwarning\x1b[0m" in first  # path, severity
    assert "\x1b[35m[inconsistent]\x1b[0m" in first  # the rule code
    forced = run(nnterm, ".", cwd=project, env={"FORCE_COLOR": "1"})
    assert forced.stdout == coloured.stdout
    assert run(nnterm, ".", cwd=project, env={"FORCE_COLOR": "0"}).stdout == plain


def test_no_color_and_color_never_win(project, nnterm):
    plain = run(nnterm, ".", cwd=project).stdout
    assert run(nnterm, ".", cwd=project, env={"NO_COLOR": "1", "FORCE_COLOR": "1"}).stdout == plain
    assert run(nnterm, ".", "--color", "never", cwd=project, env={"FORCE_COLOR": "1"}).stdout == plain
    # an explicit --color always is what the user asked for, NO_COLOR or not
    assert ANSI.search(run(nnterm, ".", "--color", "always", cwd=project, env={"NO_COLOR": "1"}).stdout)
    # machine formats are never coloured
    assert not ANSI.search(run(nnterm, ".", "--format", "json", "--color", "always", cwd=project).stdout)


# -- rdjson (reviewdog) -------------------------------------------------------------------------------------------


def test_rdjson_for_reviewdog(project, nnterm, nnterm_json):
    _c, data, _e = nnterm_json(".", cwd=project)
    proc = run(nnterm, ".", "--format", "rdjson", cwd=project)
    assert proc.returncode == 1 and proc.stderr == ""
    rd = json.loads(proc.stdout)
    assert rd["source"]["name"] == "nnterm"
    diags = rd["diagnostics"]
    assert [(d["code"]["value"], d["message"]) for d in diags] == [(d["code"], d["message"]) for d in data]
    assert {d["severity"] for d in diags} == {"WARNING", "INFO"}
    lines = A.split("\n")
    for d, j in zip(diags, data):
        assert d["location"]["path"] == j["path"]
        start, end = d["location"]["range"]["start"], d["location"]["range"]["end"]
        assert (start["line"], end["line"]) == (j["line"], j["end_line"])
        # columns are 1-based UTF-8 byte counts (reviewdog's unit): the found text is those bytes of the line
        line = lines[j["line"] - 1].encode("utf-8")
        assert line[start["column"] - 1 : end["column"] - 1].decode("utf-8") == j["found"]
        if j["fixable"]:
            assert [s["text"] for s in d["suggestions"]] == [j["suggestion"]]
            assert d["suggestions"][0]["range"] == d["location"]["range"]
        else:
            assert "suggestions" not in d
    inconsistent = next(d for d in diags if d["code"]["value"] == "inconsistent")
    assert {r["location"]["path"] for r in inconsistent["related_locations"]} == {"a.md", "b.md"}  # the kept form


# -- why the kept form is kept --------------------------------------------------------------------------------------


def messages(nnterm_json, *args, cwd):
    _c, data, _e = nnterm_json(*args, "--select", "inconsistent", cwd=cwd)
    return [d["message"] for d in data]


def test_inconsistent_message_gives_the_counts(project, nnterm_json):
    assert messages(nnterm_json, ".", cwd=project) == [
        "术语不一致：“莓果网络”与“蓝莓网络”指同一概念。推荐：蓝莓网络 ｜ 本文档集现用：蓝莓网络（3 处）、莓果网络（1 处）"]
    (project / "en.md").write_text("The blueberry network is good. The blueberry network works. A blueberry net too.\n",
                                   encoding="utf-8")
    assert messages(nnterm_json, "en.md", cwd=project) == [
        "Inconsistent terminology: 'blueberry net' and 'blueberry network' name the same concept. Recommended: "
        "blueberry network | this document set uses: blueberry network (2×), blueberry net (1×)"]


def test_inconsistent_message_says_when_a_tie_is_broken(tmp_path, nnterm_json):
    (tmp_path / ".nnterm.yaml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "t.md").write_text("蓝莓网络很好。莓果网络也行。\n", encoding="utf-8")
    assert messages(nnterm_json, "t.md", cwd=tmp_path) == [
        "术语不一致：“莓果网络”与“蓝莓网络”指同一概念，二者用得一样多，保留“蓝莓网络”。推荐：蓝莓网络 ｜ 本文档集现用：蓝莓网络（1 处）、莓果网络（1 处）"]


def test_configured_minority_is_not_called_the_majority(project, nnterm_json):
    (project / ".nnterm.yaml").write_text(CONFIG + "preferred:\n  zz-blueberry-network: 莓果网络\n", encoding="utf-8")
    got = messages(nnterm_json, ".", cwd=project)
    assert len(got) == 3
    assert set(got) == {"术语不一致：“蓝莓网络”与“莓果网络”指同一概念，.nnterm.yaml 配置使用“莓果网络”。推荐：莓果网络 ｜ 本文档集现用：蓝莓网络（3 处）、莓果网络（1 处）"}
    assert not any("主要使用" in m for m in got)
