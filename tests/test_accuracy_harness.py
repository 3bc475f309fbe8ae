"""The accuracy harness (bench/accuracy/harness.py) on a text outside ../shared (--unseen), as a subprocess."""

import subprocess
import sys
from pathlib import Path

import yaml

HARNESS = Path(__file__).resolve().parent.parent / "bench" / "accuracy" / "harness.py"


def run(*args):
    return subprocess.run([sys.executable, str(HARNESS), *args], capture_output=True, text=True, encoding="utf-8")


def unseen_text(tmp_path: Path) -> Path:
    root = tmp_path / "text"
    (root / "ch").mkdir(parents=True)
    (root / "ch" / "a.md").write_text("# 一\n\n批量归一化很好。批量归一化也好。\n", encoding="utf-8")
    (root / "ch" / "b.md").write_text("# 二\n\n批归一化也行。\n", encoding="utf-8")
    return root


def test_an_unseen_text_is_scored_alone_as_one_set(tmp_path):
    proc = run("score", "--unseen", f"mine={unseen_text(tmp_path)}")
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0]: line.split() for line in proc.stdout.splitlines() if line.strip()}
    # one warning (批归一化 against the other chapter's 批量归一化: the two files are one document set), none judged;
    # no corpus of ../shared is run
    assert rows["mine"][1:4] == ["unseen", "1", "0"]
    assert "d2l-zh" not in rows and "hf-course-zh" not in rows


def test_sample_draws_from_the_unseen_text_with_its_context(tmp_path):
    out = tmp_path / "pending.yaml"
    proc = run("sample", "--unseen", f"mine={unseen_text(tmp_path)}", "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    items = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert [(i["corpus"], i["file"], i["line"], i["code"], i["found"]) for i in items] == [
        ("mine", "ch/b.md", 3, "inconsistent", "批归一化")]
    assert "批归一化也行" in items[0]["context"]


def test_a_malformed_unseen_spec_is_a_clear_error(tmp_path):
    proc = run("score", "--unseen", "mine")
    assert proc.returncode != 0 and "NAME=DIR" in proc.stderr
    proc = run("score", "--unseen", f"d2l-zh={tmp_path}")
    assert proc.returncode != 0 and "corpus of ../shared" in proc.stderr
