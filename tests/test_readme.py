"""The README's quick start shows real output: the sample it quotes is exactly what `nnterm check examples/` prints
(the findings on standard output, then the summary line on standard error; only the time in it varies)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SUMMARY = re.compile(r"^Checked \d+ files? in \d+\.\d s: .*$")


def quick_start_sample(readme: str) -> list[str]:
    """The lines of the first fenced block after the quick start's commands that shows `examples/` findings."""
    section = readme[readme.index("## Quick start"):]
    for block in re.findall(r"^```[^\n]*\n(.*?)^```", section, re.M | re.S):
        if re.search(r"^examples/\S+:\d+:\d+: ", block, re.M):
            return block.splitlines()
    raise AssertionError("the README quotes no sample output")


def test_quick_start_output_is_true(run_nnterm):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    sample = quick_start_sample(readme)
    findings = [line for line in sample if not SUMMARY.match(line)]
    summaries = [line for line in sample if SUMMARY.match(line)]
    assert findings and len(summaries) == 1, sample
    result = run_nnterm("check", "examples/", cwd=REPO)
    assert result.returncode == 1  # the sample has warnings on purpose, as the README says
    assert result.stdout.splitlines() == findings  # every line, exactly
    mask = lambda s: re.sub(r" in \d+\.\d s:", " in … s:", s)  # noqa: E731
    assert [mask(line) for line in result.stderr.splitlines()] == [mask(summaries[0])]
    # the prose around the sample tells the same: the command is the one run, the hidden hints, the exit status
    quick = readme[readme.index("## Quick start"):readme.index("## Layout")]
    assert ".venv/bin/nnterm check examples/\n" in quick
    prose = " ".join(quick.split())
    hidden = re.search(r"; ([\d,]+) hints hidden$", result.stderr.strip()).group(1)
    assert f"`--show-hints` shows the {hidden} hints" in prose and "exits with status 1" in prose
