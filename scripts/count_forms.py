#!/usr/bin/env python3
"""Count how often each form of the term base is used in the real corpora: the frequency signal completion ranks by.

Every Markdown, MDX and LaTeX file under ../shared/corpus (except hf-course-zh, held out so that it stays an unseen
text for judging completion) is analysed as `nnterm check` would (prose only: code, math, citations and the like are
masked); each occurrence that is prose counts once for the form it matched (an ambiguous occurrence counts for
every concept it may name). Output: data/corpus-counts.tsv, one row per form used at least once::

    concept_id  form  count

sorted by concept and form, with a header line giving the corpora counted. Deterministic; no network. Rerun after a
term-base change: ``python scripts/count_forms.py [CORPUS_DIR] [-o data/corpus-counts.tsv]``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nnterm_ls.analysis import Engine  # noqa: E402
from nnterm_ls.config import Config  # noqa: E402
from nnterm_ls.workspace import discover  # noqa: E402

HELD_OUT = {"hf-course-zh"}


def count(corpus: Path) -> tuple[Counter, list[str]]:
    engine = Engine(config=Config(), learn=False)
    counts: Counter = Counter()
    used = []
    for sub in sorted(p for p in corpus.iterdir() if p.is_dir() and p.name not in HELD_OUT):
        used.append(sub.name)
        for path in discover([str(sub)], Config()).files:
            try:
                text = Path(path).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                continue
            analysis = engine.analyze(str(path), text)
            for occ, use in zip(analysis.occurrences, analysis.uses):
                if use.skip is not None:
                    continue
                for form in occ.forms:
                    counts[(form.concept_id, form.text)] += 1
    return counts, used


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("-o", "--output", default=str(ROOT / "data" / "corpus-counts.tsv"))
    args = parser.parse_args(argv)
    counts, used = count(Path(args.corpus))
    lines = [f"# form counts in the prose of: {', '.join(used)} (scripts/count_forms.py)", "concept_id\tform\tcount"]
    lines += [f"{cid}\t{form}\t{n}" for (cid, form), n in sorted(counts.items())]
    Path(args.output).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(counts)} forms of {len({c for c, _f in counts})} concepts -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
