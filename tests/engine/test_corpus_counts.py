"""data/corpus-counts.tsv, the frequency signal completion ranks by: written by scripts/count_forms.py from the real
corpora (hf-course-zh held out), and about the term base as it is."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from shared_guard import present_or_missing

from nnterm_ls.termbase import load_termbase

REPO = Path(__file__).resolve().parents[2]
COUNTS = REPO / "data" / "corpus-counts.tsv"


def rows(text: str) -> dict[tuple[str, str], int]:
    out = {}
    for line in text.splitlines()[2:]:
        cid, form, n = line.split("\t")
        out[(cid, form)] = int(n)
    return out


def test_every_counted_form_is_a_form_of_its_concept():
    tb = load_termbase([])
    counted = rows(COUNTS.read_text(encoding="utf-8"))
    assert len(counted) > 1000
    stale = [(cid, form) for cid, form in counted if cid not in tb.concepts or form not in {f.text for f in tb.concepts[cid].forms}]
    assert not stale, f"rerun scripts/count_forms.py: {stale[:5]}"
    assert "hf-course-zh" not in COUNTS.read_text(encoding="utf-8").splitlines()[0]


def test_the_script_counts_what_the_file_says_on_one_corpus(tmp_path):
    """Run on one real book: every count it writes is at most the file's (the file counts more books)."""
    corpus = present_or_missing(REPO.parent / "shared" / "corpus", "../shared/corpus is not present")
    one = tmp_path / "corpus"
    one.mkdir()
    (one / "thu-llm-thesis").symlink_to(corpus / "thu-llm-thesis")
    out = tmp_path / "counts.tsv"
    subprocess.run([sys.executable, str(REPO / "scripts" / "count_forms.py"), str(one), "-o", str(out)], check=True, capture_output=True)
    mine = rows(out.read_text(encoding="utf-8"))
    full = rows(COUNTS.read_text(encoding="utf-8"))
    assert mine and all(n <= full.get(k, 0) for k, n in mine.items())
    assert mine[("large-language-model", "大模型")] >= 10
