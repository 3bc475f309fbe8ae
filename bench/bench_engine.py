"""Benchmarks of the term base and the analysis engine (not tests: numbers, not assertions).

    .venv/bin/python bench/bench_engine.py [--corpus ../shared/corpus] [--repeat 5]

Measures: loading the term base (cold YAML vs cached) in fresh processes; building the matcher; checking all of
d2l-zh; scaling with document size (10 KB ... 5 MB, one large Markdown file made of d2l-zh chapters); scaling with
term-base size (the real base, then x10 and x100 with generated concepts). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from nnterm_ls.analysis import Engine  # noqa: E402
from nnterm_ls.config import Config  # noqa: E402
from nnterm_ls.termbase import TermBase, load_termbase  # noqa: E402
from nnterm_ls.termbase.model import ADMITTED, PREFERRED, Concept, Form  # noqa: E402


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def load_in_fresh_process(env: dict) -> float:
    code = (
        "import time; t=time.perf_counter(); from nnterm_ls.termbase import load_termbase; "
        "tb=load_termbase(); print((time.perf_counter()-t)*1000, len(tb))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return float(out.stdout.split()[0])


def synthetic_base(real: TermBase, factor: int, seed: int = 7) -> TermBase:
    """The real base plus (factor - 1) x its size of generated concepts with Chinese and English forms."""
    rng = random.Random(seed)
    han = [chr(c) for c in range(0x4E00, 0x9FA5)]
    letters = "abcdefghijklmnopqrstuvwxyz"
    concepts = dict(real.concepts)
    for i in range(len(real.concepts) * (factor - 1)):
        cid = f"generated-{i}"
        zh = "".join(rng.choice(han) for _ in range(rng.randint(3, 6)))
        en = " ".join("".join(rng.choice(letters) for _ in range(rng.randint(4, 9))) for _ in range(rng.randint(1, 3)))
        forms = [
            Form(en, "en", PREFERRED, concept_id=cid),
            Form(zh, "zh", PREFERRED, concept_id=cid),
            Form(zh[:-1] + rng.choice(han), "zh", ADMITTED, concept_id=cid),
        ]
        concepts[cid] = Concept(cid, "generated", forms, "generated", "生成的")
    return TermBase(concepts)


def corpus_files(corpus: Path) -> list[Path]:
    return sorted((corpus / "d2l-zh").rglob("*.md"))


def check_set(engine: Engine, docs: list[tuple[str, str]]) -> int:
    analyses = [engine.analyze(p, t) for p, t in docs]
    return sum(len(v) for v in engine.check(analyses).values())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus"))
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    corpus = Path(args.corpus)
    rows: list[tuple[str, str]] = []

    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NNTERM_CACHE_DIR": cache}
        cold = [load_in_fresh_process({**env, "NNTERM_NO_CACHE": "1"}) for _ in range(3)]
        load_in_fresh_process(env)  # fills the cache
        warm = [load_in_fresh_process(env) for _ in range(5)]
    rows.append(("load term base, YAML parsed (fresh process, median of 3)", f"{statistics.median(cold):.0f} ms"))
    rows.append(("load term base, from cache (fresh process, median of 5)", f"{statistics.median(warm):.0f} ms"))

    base = load_termbase()
    t = best_of(lambda: Engine(termbase=base, config=Config()), 3)
    engine = Engine(termbase=base, config=Config())
    rows.append((f"build matcher ({engine.matcher.pattern_count} patterns)", f"{t * 1000:.0f} ms"))

    files = corpus_files(corpus)
    docs = [(str(f), f.read_text(encoding="utf-8")) for f in files]
    size = sum(len(t.encode("utf-8")) for _, t in docs)
    t = best_of(lambda: check_set(engine, docs), args.repeat)
    rows.append((f"check all of d2l-zh as one set ({len(docs)} files, {size / 1e6:.1f} MB)", f"{t * 1000:.0f} ms ({size / 1e6 / t:.1f} MB/s)"))

    big = "\n\n".join(t for _, t in docs)
    while len(big.encode("utf-8")) < 5_000_000:
        big += "\n\n" + big
    for target in (10_000, 100_000, 1_000_000, 5_000_000):
        text = big.encode("utf-8")[:target].decode("utf-8", errors="ignore")
        t = best_of(lambda: engine.check_text("big.md", text), args.repeat if target < 5_000_000 else 2)
        rows.append((f"check one Markdown file of {target / 1e6:g} MB", f"{t * 1000:.1f} ms ({target / 1e6 / t:.1f} MB/s)"))

    one_mb = big.encode("utf-8")[:1_000_000].decode("utf-8", errors="ignore")
    for factor in (10, 100):
        tb = synthetic_base(base, factor)
        t_build = time.perf_counter()
        eng = Engine(termbase=tb, config=Config())
        t_build = time.perf_counter() - t_build
        t = best_of(lambda: eng.check_text("big.md", one_mb), 3)
        rows.append((f"base x{factor} ({len(tb)} concepts, {eng.matcher.pattern_count} patterns): build / check 1 MB",
                     f"{t_build * 1000:.0f} ms / {t * 1000:.1f} ms"))

    tex_files = sorted((corpus / "thesis").rglob("*.tex"))
    tex = [(str(f), f.read_text(encoding="utf-8", errors="replace")) for f in tex_files]
    tex_big = "\n\n".join(t for _, t in tex)
    while len(tex_big.encode("utf-8")) < 1_000_000:
        tex_big += "\n\n" + tex_big
    tex_big = tex_big.encode("utf-8")[:1_000_000].decode("utf-8", errors="ignore")
    t = best_of(lambda: engine.check_text("big.tex", tex_big), args.repeat)
    rows.append(("check one LaTeX file of 1 MB (thesis templates repeated)", f"{t * 1000:.1f} ms ({1 / t:.1f} MB/s)"))

    print("| measurement | result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
