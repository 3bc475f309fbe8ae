"""The README's quick start shows real output: the sample lines it quotes are what `nnterm check examples/` prints."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_quick_start_output_is_true(run_nnterm):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quoted = re.findall(r"^examples/\S+:\d+:\d+: \w+ \[[\w-]+\] .*$", readme, re.M)
    assert quoted, "the README quotes no sample output"
    result = run_nnterm("check", "examples/", cwd=REPO)
    assert result.returncode == 1  # the sample has warnings on purpose, as the README says
    printed = result.stdout.splitlines()
    for line in quoted:
        assert line in printed
