"""Parts of issue 13's contract tested through the real `nnterm check` that the engine tests covered only in process."""

from __future__ import annotations

import json


def test_missing_gloss_once_per_set_at_the_first_mention_in_reading_order(nnterm, tmp_path):
    (tmp_path / "ch1.md").write_text("我们先讲批量归一化。\n", encoding="utf-8")
    (tmp_path / "ch2.md").write_text("再讲批量归一化。然后还是批量归一化。\n", encoding="utf-8")
    for order in (["ch1.md", "ch2.md"], ["ch2.md", "ch1.md"]):
        proc = nnterm("check", *order, "--format", "json", "--select", "missing-gloss", cwd=tmp_path)
        found = [(f["path"], f["line"], f["column"]) for f in json.loads(proc.stdout)]
        assert found == [(order[0], 1, 5 if order[0] == "ch1.md" else 3)], (order, found)
    # hidden by default in text output, counted in the summary
    proc = nnterm("check", "ch1.md", "ch2.md", cwd=tmp_path)
    assert proc.stdout == "" and proc.stderr.rstrip().endswith("; 1 hint hidden")
