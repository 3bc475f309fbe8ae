"""`nnterm check --fix` reporting what it did, and `--diff` (a dry run as a unified diff), through the real command:
both honour --select, --ignore and --min-severity (issue 13)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from engine_helpers import ENGINE_FIXTURES

CONFIG = f"terms: [{json.dumps(str(ENGINE_FIXTURES / 'cli-terms.yaml'))}]\n"
A = "蓝莓网络很好。蓝莓网络常用。莓果网络也行。\n\n篮梅网络已过时。We use zorbnet here.\n"
A_FIXED = "蓝莓网络很好。蓝莓网络常用。蓝莓网络也行。\n\n蓝莓网络已过时。We use ZorbNet here.\n"
B = "第二章用篮梅网络，不用 zorbnet。\n"
B_FIXED = "第二章用蓝莓网络，不用 ZorbNet。\n"
ENV = {"NO_COLOR": "", "FORCE_COLOR": ""}


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".nnterm.yaml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "a.md").write_text(A, encoding="utf-8")
    (tmp_path / "b.md").write_text(B, encoding="utf-8")
    return tmp_path


def check(nnterm, *args, cwd, **kw):
    return nnterm("check", *args, cwd=cwd, env=ENV, **kw)


def read(p):
    return p.read_text(encoding="utf-8")


def test_fix_reports_per_file_and_in_total(project, nnterm):
    proc = check(nnterm, ".", "--fix", cwd=project)
    assert read(project / "a.md") == A_FIXED and read(project / "b.md") == B_FIXED
    lines = proc.stderr.splitlines()
    assert lines[:3] == [
        "nnterm: a.md: fixed 3 findings (casing 1, deprecated 1, inconsistent 1)",
        "nnterm: b.md: fixed 2 findings (casing 1, deprecated 1)",
        # what is left: the missing-gloss hint, whose insertion is for the editor only
        "nnterm: fixed 5 findings in 2 files; 1 left for the editor",
    ]
    assert lines[3].startswith("Checked 2 files in ") and lines[3].endswith(
        ": nothing of severity warning or above; 1 hint hidden")
    assert proc.stdout == "" and proc.returncode == 0
    # a second run has nothing to fix
    again = check(nnterm, ".", "--fix", cwd=project)
    assert again.stderr.splitlines()[0] == "nnterm: fixed 0 findings in 0 files; 1 left for the editor"


def test_fix_quiet_says_nothing(project, nnterm):
    proc = check(nnterm, ".", "--fix", "-q", cwd=project)
    assert proc.stderr == "" and proc.stdout == "" and read(project / "a.md") == A_FIXED


def test_diff_is_a_dry_run_of_fix(project, nnterm, tmp_path_factory):
    proc = check(nnterm, ".", "--diff", cwd=project)
    assert proc.returncode == 1
    assert read(project / "a.md") == A and read(project / "b.md") == B  # untouched
    assert proc.stdout == (
        "--- a/a.md\n+++ b/a.md\n@@ -1,3 +1,3 @@\n"
        "-蓝莓网络很好。蓝莓网络常用。莓果网络也行。\n+蓝莓网络很好。蓝莓网络常用。蓝莓网络也行。\n \n"
        "-篮梅网络已过时。We use zorbnet here.\n+蓝莓网络已过时。We use ZorbNet here.\n"
        "--- a/b.md\n+++ b/b.md\n@@ -1 +1 @@\n"
        "-第二章用篮梅网络，不用 zorbnet。\n+第二章用蓝莓网络，不用 ZorbNet。\n"
    )
    assert proc.stderr == ("nnterm: would fix 5 findings in 2 files (casing 2, deprecated 2, inconsistent 1); "
                           "no file was changed\n")
    # the diff is a real patch: git apply turns a copy into what --fix writes
    copy = tmp_path_factory.mktemp("patched")
    for name in ("a.md", "b.md"):
        shutil.copy(project / name, copy / name)
    subprocess.run(["git", "apply", "-p1", "-"], input=proc.stdout.encode("utf-8"), cwd=copy, check=True)
    assert read(copy / "a.md") == A_FIXED and read(copy / "b.md") == B_FIXED
    # after --fix there is nothing left to change: exit 0
    check(nnterm, ".", "--fix", cwd=project)
    proc = check(nnterm, ".", "--diff", cwd=project)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "nnterm: nothing to fix\n")


def test_diff_and_fix_honour_select_and_ignore(project, nnterm):
    proc = check(nnterm, "b.md", "--diff", "--select", "casing", cwd=project)
    assert proc.stdout.splitlines()[-2:] == ["-第二章用篮梅网络，不用 zorbnet。", "+第二章用篮梅网络，不用 ZorbNet。"]
    proc = check(nnterm, "b.md", "--diff", "--ignore", "casing", cwd=project)
    assert proc.stdout.splitlines()[-1] == "+第二章用蓝莓网络，不用 zorbnet。"
    check(nnterm, "b.md", "--fix", "--ignore", "deprecated", cwd=project)
    assert read(project / "b.md") == "第二章用篮梅网络，不用 ZorbNet。\n"


def test_diff_and_fix_honour_min_severity(project, nnterm):
    (project / ".nnterm.yaml").write_text(CONFIG + "rules:\n  deprecated: error\n", encoding="utf-8")
    proc = check(nnterm, "b.md", "--diff", "--min-severity", "error", cwd=project)
    assert proc.returncode == 1 and proc.stdout.splitlines()[-1] == "+第二章用蓝莓网络，不用 zorbnet。"
    proc = check(nnterm, ".", "--fix", "--min-severity", "error", cwd=project)
    assert read(project / "b.md") == "第二章用蓝莓网络，不用 zorbnet。\n"
    assert read(project / "a.md") == A.replace("篮梅网络", "蓝莓网络")
    assert "nnterm: fixed 2 findings in 2 files" in proc.stderr


def test_diff_of_standard_input(project, nnterm):
    proc = check(nnterm, "-", "--stdin-filename", "ch.md", "--diff", cwd=project, input=B)
    assert proc.returncode == 1
    assert proc.stdout.startswith("--- a/ch.md\n+++ b/ch.md\n") and proc.stdout.endswith(f"+{B_FIXED}")


def test_fix_and_diff_together_is_a_usage_error(project, nnterm):
    proc = check(nnterm, ".", "--fix", "--diff", cwd=project)
    assert proc.returncode == 2 and "cannot be combined" in proc.stderr
    assert read(project / "a.md") == A
