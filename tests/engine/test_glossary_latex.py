"""`nnterm glossary` output compiled by a real LaTeX run: xelatex with ctex from Debian's TeX Live (.ci/run installs
texlive-xetex, texlive-lang-chinese and texlive-latex-extra). One document per style. Without xelatex the test is
skipped on a developer's machine and fails in CI (CI or NNTERM_REQUIRE_SHARED=1 set)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from engine_helpers import REPO

SAMPLE = REPO / "tests" / "data" / "gloss-thesis" / "main.tex"

# a minimal stand-in for ThuThesis's denotation environment (its optional argument is the label width)
PREAMBLES = {
    "denotation": "\\newenvironment{denotation}[1][2.5cm]{\\begin{description}}{\\end{description}}\n",
    "glossaries": "\\usepackage[acronym]{glossaries}\n\\makenoidxglossaries\n\\input{table}\n",
    "table": "\\usepackage{longtable}\n",
}
BODIES = {
    "denotation": "\\input{table}\n",
    "glossaries": "\\glsaddall\n\\printnoidxglossaries\n",
    "table": "\\section{引言}\\label{chap:intro}\n\\input{table}\n",
}


def xelatex() -> str:
    exe = shutil.which("xelatex")
    if exe is None:
        reason = "xelatex is not installed (apt-get install texlive-xetex texlive-lang-chinese texlive-latex-extra)"
        if os.environ.get("CI") or os.environ.get("NNTERM_REQUIRE_SHARED") == "1":
            pytest.fail(reason + "; CI must compile the term tables", pytrace=False)
        pytest.skip(reason)
    return exe


@pytest.mark.parametrize("style", ["denotation", "glossaries", "table"])
def test_term_table_compiles_with_xelatex(style, tmp_path, run_nnterm):
    exe = xelatex()
    table = tmp_path / "table.tex"
    proc = run_nnterm("glossary", str(SAMPLE), "--style", style, "-o", str(table))
    assert proc.returncode == 0, proc.stderr
    written = table.read_text(encoding="utf-8")
    assert "卷积神经网络" in written and "CNN" in written
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{ctexart}\n" + PREAMBLES[style] + "\\begin{document}\n" + BODIES[style] + "\\end{document}\n",
        encoding="utf-8")
    runs = 2 if style == "glossaries" else 1  # the no-index glossary is printed on the second run
    for _ in range(runs):
        run = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], cwd=tmp_path,
                             capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=600)
        assert run.returncode == 0, run.stdout[-3000:]
    log = (tmp_path / "doc.log").read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log  # every Chinese character had a glyph
    assert (tmp_path / "doc.pdf").stat().st_size > 1000
    if style == "glossaries":
        assert "Empty glossary" not in log  # the entries were defined and printed
