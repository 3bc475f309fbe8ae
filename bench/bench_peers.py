"""`nnterm check` side by side with its peers, in one run, on the same files (issue 16).

    .venv/bin/python bench/bench_peers.py --peers /path/to/node-prefix      # --repeat N, --only NAME,...
    # --nnterm /path/to/venv/bin/nnterm: time an installed wheel (prebuilt term base) instead of this checkout

Peers (each skipped with a note when it is not installed):
  textlint + textlint-rule-prh   npm (``npm install textlint textlint-rule-prh`` in the --peers folder); the prh.yml
                                 is generated from our term base: every non-preferred rendering -> the preferred one
  autocorrect --lint             npm ``autocorrect-node`` (the Rust CJK copywriting linter) in the same folder
  ripgrep -F -f                  Debian ``ripgrep``; the pattern file is every form of the base
  ahocorasick-rs                 a bare leftmost-longest scan of the text in a fresh Python process (our dependency)

Inputs: 600 KB of d2l-zh Markdown (its files in path order, concatenated), all of d2l-zh (147 files), and 20 copies
of d2l-zh (44 MB, nnterm only: time and peak RSS). Every process is timed from spawn to exit; the table gives the
median wall time and the median CPU time (user + system, from wait4: robust when other work shares the machine) of
``--repeat`` runs, and the peak RSS. Runs of the tools are interleaved, so load on the machine hits all of them alike.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO))


def run(cmd: list[str], cwd: Path | None = None, env: dict | None = None, stdin=None) -> dict:
    """Spawn, wait, and return wall time, CPU time, peak RSS, exit status and output size."""
    full_env = {**os.environ, **(env or {})}
    # as on a user's machine: compiled bytecode is written once and read after that (an environment that sets
    # PYTHONDONTWRITEBYTECODE would make every start compile every module from source, ~0.1 s)
    full_env.pop("PYTHONDONTWRITEBYTECODE", None)
    out_path = Path(tempfile.mkstemp(prefix="bench-out-")[1])
    with open(out_path, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=full_env, stdout=out, stderr=subprocess.PIPE, stdin=stdin)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    output = out_path.read_bytes()
    out_path.unlink()
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
            "status": os.waitstatus_to_exitcode(status), "out": output, "err": err}


# -- inputs --------------------------------------------------------------------------------------------------------


def sample_600k(work: Path) -> Path:
    files = sorted((CORPUS / "d2l-zh").rglob("*.md"))
    parts, size = [], 0
    for f in files:
        data = f.read_bytes()
        parts.append(data)
        size += len(data)
        if size >= 600_000:
            break
    target = work / "d2l-600k" / "d2l-600k.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"\n\n".join(parts))
    return target


def copies_of_book(work: Path, n: int) -> Path:
    root = work / f"d2l-x{n}"
    if not root.exists():
        for i in range(n):
            shutil.copytree(CORPUS / "d2l-zh", root / f"copy{i:02d}")
    return root


# -- peers' inputs from our term base ------------------------------------------------------------------------------


def _regex_literal(text: str) -> str:
    # prh writes a plain pattern as a regular expression with `-` escaped as `\-`, which its `u`-flag regexes
    # reject (textlint then exits without linting). A regex literal escapes only what needs escaping.
    special = set(r"\^$.|?*+()[]{}/")
    return "/" + "".join("\\" + c if c in special else c for c in text) + "/"


def write_prh(work: Path) -> tuple[Path, int]:
    from nnterm_ls.termbase import load_termbase

    tb = load_termbase()
    lines = ["version: 1", "rules:"]
    count = 0
    for concept in tb.concepts.values():
        for lang in ("zh", "en"):
            forms = [f for f in concept.forms if f.lang == lang]
            if not forms:
                continue
            preferred = forms[0].text
            others = [f.text for f in forms[1:] if f.text != preferred and not f.ambiguous and len(f.text) > 1]
            if not others:
                continue
            lines.append(f"  - expected: {_yaml_str(preferred)}")
            lines.append("    patterns:")
            for o in others:
                lines.append(f"      - {_yaml_str(_regex_literal(o))}")
            count += 1
    path = work / "prh.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, count


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_forms(work: Path) -> Path:
    from nnterm_ls.termbase import load_termbase

    tb = load_termbase()
    forms = sorted({f.text for c in tb.concepts.values() for f in c.forms if len(f.text) > 1})
    path = work / "forms.txt"
    path.write_text("\n".join(forms) + "\n", encoding="utf-8")
    return path


AC_SCRIPT = r"""
import sys, ahocorasick_rs
from pathlib import Path
forms = Path(sys.argv[1]).read_text(encoding="utf-8").split("\n")
texts = [p.read_text(encoding="utf-8").lower() for a in sys.argv[2:] for p in
         (sorted(Path(a).rglob("*.md")) if Path(a).is_dir() else [Path(a)])]
ac = ahocorasick_rs.AhoCorasick([f.lower() for f in forms if f], matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
print(sum(len(ac.find_matches_as_indexes(t)) for t in texts))
"""


# -- the tools -----------------------------------------------------------------------------------------------------


def tools(args, work: Path, cache: Path) -> dict[str, callable]:
    nnterm = args.nnterm
    env = {"NNTERM_CACHE_DIR": str(cache)}
    peers = Path(args.peers) if args.peers else None
    bin_dir = peers / "node_modules" / ".bin" if peers else None
    out: dict[str, callable] = {}
    out["nnterm check"] = lambda target: run([nnterm, "check", "--format", "json", str(target)], env=env)
    out["nnterm check --jobs 1"] = lambda target: run([nnterm, "check", "--format", "json", "--jobs", "1", str(target)],
                                                      env=env)
    out["nnterm check --cache (rerun)"] = lambda target: run(
        [nnterm, "check", "--format", "json", "--cache", "--cache-dir", str(work / "check-cache"), str(target)], env=env)

    def cold(target):
        fresh = Path(tempfile.mkdtemp(prefix="nnterm-cold-"))
        try:
            return run([nnterm, "check", "--format", "json", str(target)], env={"NNTERM_CACHE_DIR": str(fresh)})
        finally:
            shutil.rmtree(fresh, ignore_errors=True)

    out["nnterm check, no cache at all (cold)"] = cold
    if bin_dir is not None and (bin_dir / "textlint").exists():
        prh, _n = write_prh(work)
        rc = work / ".textlintrc.json"
        rc.write_text('{"rules": {"prh": {"rulePaths": ["%s"]}}}' % prh, encoding="utf-8")
        out["textlint + prh"] = lambda target: run(
            [str(bin_dir / "textlint"), "--config", str(rc), "--format", "compact",
             *([str(target)] if target.is_file() else [f"{target}/**/*.md"])], cwd=peers)
    if bin_dir is not None and (bin_dir / "autocorrect").exists():
        out["autocorrect --lint"] = lambda target: run([str(bin_dir / "autocorrect"), "--lint", str(target)])
    if shutil.which("rg"):
        forms = write_forms(work)
        out["ripgrep -F -f (every form)"] = lambda target: run(["rg", "-F", "-c", "-f", str(forms), str(target)])
        out["ahocorasick-rs scan (fresh Python)"] = lambda target: run(
            [sys.executable, "-c", AC_SCRIPT, str(forms), str(target)])
    return out


def findings_count(name: str, res: dict) -> str:
    text = res["out"].decode("utf-8", "replace")
    if name.startswith("nnterm"):
        return str(text.count('"code":'))
    if name.startswith("textlint"):
        m = re.search(r"(\d+) problems?", text)
        return m.group(1) if m else str(text.count(": Error") + text.count(": Warning"))
    if name.startswith("autocorrect"):
        return str(len(re.findall(r"(?m)^\S+:\d+:\d+$", text)))  # one "path:line:col" line per suggested change
    if name.startswith("ripgrep"):
        return str(sum(int(x.rsplit(":", 1)[-1]) for x in text.split() if x.rsplit(":", 1)[-1].isdigit()))
    return text.strip()[:12]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--peers", help="folder with node_modules/.bin/textlint and autocorrect (npm install there)")
    ap.add_argument("--nnterm", default=str(Path(sys.executable).with_name("nnterm")),
                    help="the nnterm command to time (default: this venv's; a venv with the wheel installed has the "
                         "prebuilt term base, an editable install builds it into the cache on a cold start)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", help="comma-separated tool names (substrings)")
    ap.add_argument("--inputs", default="600k,book,x20", help="comma-separated: 600k, book, x20")
    ap.add_argument("--work", help="working folder (default: a temporary one)")
    args = ap.parse_args()
    if not CORPUS.is_dir():
        print(f"{CORPUS} is missing", file=sys.stderr)
        return 2
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="nnterm-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    cache = work / "termbase-cache"
    inputs = {}
    wanted = args.inputs.split(",")
    if "600k" in wanted:
        inputs["600 KB of d2l-zh (one file)"] = sample_600k(work)
    if "book" in wanted:
        inputs["all of d2l-zh (147 files, 2.2 MB)"] = CORPUS / "d2l-zh"
    if "x20" in wanted:
        inputs["20 x d2l-zh (44 MB)"] = copies_of_book(work, 20)
    all_tools = tools(args, work, cache)
    if args.only:
        keep = args.only.split(",")
        all_tools = {k: v for k, v in all_tools.items() if any(s in k for s in keep)}
    # warm the term-base cache and the check cache once
    for target in inputs.values():
        run([args.nnterm, "check", "--format", "json", str(target)], env={"NNTERM_CACHE_DIR": str(cache)})
        if "nnterm check --cache (rerun)" in all_tools:
            all_tools["nnterm check --cache (rerun)"](target)
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    for label, target in inputs.items():
        size = sum(p.stat().st_size for p in ([target] if target.is_file() else target.rglob("*.md")))
        print(f"\n### {label}: {size / 1e6:.2f} MB\n")
        print("| tool | wall (median) | CPU user+sys (median) | peak RSS | exit | findings/matches |")
        print("|---|---|---|---|---|---|")
        results: dict[str, list[dict]] = {name: [] for name in all_tools}
        big = "x20" in label or "44 MB" in label
        for _ in range(1 if big else args.repeat):
            for name, fn in all_tools.items():
                if big and not name.startswith("nnterm check"):
                    continue
                if big and "cold" in name:
                    continue
                results[name].append(fn(target))
        for name, runs in results.items():
            if not runs:
                continue
            wall = statistics.median(r["wall"] for r in runs)
            cpu = statistics.median(r["cpu"] for r in runs)
            rss = max(r["rss_mb"] for r in runs)
            status = runs[-1]["status"]
            note = findings_count(name, runs[-1])
            if status not in (0, 1):
                note += f" (stderr: {runs[-1]['err'].strip()[:120]})"
            print(f"| {name} | {wall:.3f} s | {cpu:.3f} s | {rss:.0f} MB | {status} | {note} |")
    print(f"\nload average at end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
