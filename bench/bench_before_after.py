"""`nnterm check` of two builds side by side, interleaved, on the inputs of bench_peers.py.

    .venv/bin/python bench/bench_before_after.py --before /path/to/old/checkout [--repeat 5] [--work DIR]

The other build runs with this venv's Python and ``PYTHONPATH`` set to its checkout (so its own code is imported);
each build has its own warm term-base cache. Median wall and CPU time (user + system) of --repeat runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_peers import CORPUS, run, sample_600k  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--work")
    args = ap.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="nnterm-ba-"))
    work.mkdir(parents=True, exist_ok=True)
    code = "import sys; from nnterm_ls.cli import main; sys.exit(main())"
    builds = {
        "before": ([sys.executable, "-c", code], {"PYTHONPATH": str(Path(args.before).resolve()),
                                                   "NNTERM_CACHE_DIR": str(work / "cache-before")}),
        "after": ([sys.executable, "-c", code], {"NNTERM_CACHE_DIR": str(work / "cache-after")}),
    }
    inputs = {"600 KB of d2l-zh": sample_600k(work), "all of d2l-zh": CORPUS / "d2l-zh"}
    print("| input | build | wall (median) | CPU (median) | peak RSS | same stdout |")
    print("|---|---|---|---|---|---|")
    for label, target in inputs.items():
        runs = {name: [] for name in builds}
        for name, (cmd, env) in builds.items():  # warm each build's cache
            run([*cmd, "check", "--format", "json", str(target)], env=env, cwd=work)
        for _ in range(args.repeat):
            for name, (cmd, env) in builds.items():
                # cwd: `python -c` puts the working folder first on sys.path, before PYTHONPATH
                runs[name].append(run([*cmd, "check", "--format", "json", str(target)], env=env, cwd=work))
        same = runs["before"][-1]["out"] == runs["after"][-1]["out"]
        for name, rs in runs.items():
            print(f"| {label} | {name} | {statistics.median(r['wall'] for r in rs):.3f} s | "
                  f"{statistics.median(r['cpu'] for r in rs):.3f} s | {max(r['rss_mb'] for r in rs):.0f} MB | {same} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
