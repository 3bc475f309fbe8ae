"""The stored expectation of `nnterm check` on every real corpus: write it, or compare the current build with it.

    python scripts/expected_output.py --update      # run every invocation, store tests/data/expected-output.json.gz
    python scripts/expected_output.py               # compare; prints the first differing lines of each mismatch

Each invocation runs the real `nnterm` as a subprocess with ../shared/corpus as its working folder (paths in the
output are relative to it, so the expectation does not depend on where the checkout is). Standard output and the
exit status are compared byte for byte; standard error is not (the summary line carries the time).

The expectation belongs to the accuracy of the build it was taken from: a change meant to alter findings (a rule, the
term base, resolve/) regenerates it with --update in the same commit, a speed change never does.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import hashlib
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
EXPECTED = REPO / "tests" / "data" / "expected-output.json.gz"

# (working folder, path argument); "corpus" is ../shared/corpus, "repo" is the checkout
TARGETS = [
    ("corpus", "d2l-zh"),
    ("corpus", "d2l-zh-v1"),
    ("corpus", "hf-course-zh"),
    ("corpus", "ai-system-zh"),
    ("corpus", "thesis/thuthesis"),
    ("corpus", "thesis/sjtuthesis"),
    ("corpus", "thesis/ustcthesis"),
    ("corpus", "thu-llm-thesis"),
    ("corpus", "thu-llm-thesis/thuthesis-example.tex"),
    ("repo", "examples"),
]
FORMATS = [
    ["--format", "json"],
    ["--format", "text", "--color", "never"],
]


def nnterm_command() -> list[str]:
    exe = Path(sys.executable).with_name("nnterm")
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-c", "import sys; from nnterm_ls.cli import main; sys.exit(main())"]


def invocations() -> list[tuple[str, list[str], Path]]:
    out = []
    for where, path in TARGETS:
        cwd = CORPUS if where == "corpus" else REPO
        for fmt in FORMATS:
            args = ["check", *fmt, path]
            out.append((f"{where}: nnterm {' '.join(args)}", args, cwd))
    return out


def run_one(args: list[str], cwd: Path, env: dict | None = None) -> dict:
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    proc = subprocess.run([*nnterm_command(), *args], cwd=cwd, capture_output=True, env=full_env, timeout=600)
    stdout = proc.stdout.decode("utf-8")
    return {"status": proc.returncode, "stdout": stdout,
            "sha256": hashlib.sha256(proc.stdout).hexdigest()}


def run_all(env: dict | None = None, jobs: int = 2) -> dict[str, dict]:
    items = invocations()
    with ThreadPoolExecutor(jobs) as pool:
        results = list(pool.map(lambda it: run_one(it[1], it[2], env), items))
    return {key: res for (key, _a, _c), res in zip(items, results)}


def load_expected() -> dict[str, dict]:
    with gzip.open(EXPECTED, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def compare(expected: dict[str, dict], actual: dict[str, dict], context: int = 8) -> list[str]:
    """Human-readable differences (empty when everything matches)."""
    problems = []
    for key in expected.keys() | actual.keys():
        if key not in actual or key not in expected:
            problems.append(f"{key}: {'missing from this run' if key not in actual else 'not in the expectation'}")
            continue
        e, a = expected[key], actual[key]
        if e["status"] != a["status"]:
            problems.append(f"{key}: exit status {a['status']}, expected {e['status']}")
        if e["sha256"] != a["sha256"]:
            diff = difflib.unified_diff(e["stdout"].splitlines(), a["stdout"].splitlines(), "expected", "actual",
                                        lineterm="", n=1)
            lines = list(diff)[: 2 + 3 * context]
            problems.append(f"{key}: standard output differs\n" + "\n".join(lines))
    return sorted(problems)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--update", action="store_true", help="store this build's output as the expectation")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    if not CORPUS.is_dir():
        print(f"{CORPUS}: not present", file=sys.stderr)
        return 2
    actual = run_all(jobs=args.jobs)
    if args.update:
        EXPECTED.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(actual, ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8")
        with open(EXPECTED, "wb") as fh:
            # mtime=0: the same output gives the same bytes
            with gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=9, mtime=0) as gz:
                gz.write(data)
        print(f"wrote {EXPECTED.relative_to(REPO)} ({EXPECTED.stat().st_size:,} bytes, {len(actual)} invocations)")
        return 0
    problems = compare(load_expected(), actual)
    for p in problems:
        print(p)
    print(f"{len(actual)} invocations, {len(problems)} differ")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
