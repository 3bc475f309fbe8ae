"""The accuracy harness: hand-judged labels on the real corpora in ../shared/corpus, scored against `nnterm check`.

    python bench/accuracy/harness.py score            # precision and recall per corpus, tuned vs kept-aside
    python bench/accuracy/harness.py sample --per-corpus 40 --seed 7
                                                      # draw unlabelled warnings into labels/pending.yaml to judge
    python bench/accuracy/harness.py score --unseen easy-rl=/tmp/unseen/easy-rl/docs
                                                      # a text outside ../shared (role "unseen")

``--unseen NAME=DIR`` (score and sample, repeatable) adds a corpus that is not in ``../shared``: a public text fetched
for the purpose and never tuned on, checked as one document set (every Markdown, MDX and LaTeX file below DIR). Its
labels are kept here like the others (keyed by NAME and the file's path below DIR); the text itself is not, so
bench/README.md says where each came from. With ``--unseen`` and no ``--corpus``, only the unseen corpora are run.

Labels live in ``labels/*.yaml`` beside this file:

* ``precision-*.yaml``: a list of judged warnings, each ``{corpus, file, line, code, found, verdict, bad_fix,
  reason}``; ``verdict`` is true when a careful copy editor of that text would change it there
  (``../shared/accuracy-policy.md``), ``bad_fix`` is true when the finding is right but its fix would damage the text.
  The score's ``--fix harm`` column counts, of the judged warnings whose fix ``nnterm check --fix`` applies, those
  that are false or carry a bad fix (harmed/applied): what running ``--fix`` over the corpus would get wrong.
* ``recall-*.yaml``: real problems found by reading, each ``{corpus, file, line, found, expected, rule, reason}``:
  the text at that line an editor would change (``found``), into what (``expected``), under which rule.

A warning is identified by (corpus, file, line, code, found), so labels survive changes of behaviour: a warning that
goes away keeps its label (it simply is no longer counted), a new one shows up as unlabelled until someone judges it.
Precision is measured over the labelled share of today's warnings, and the share itself is printed, so a low coverage
says "draw a new sample" rather than hiding.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
LABELS = HERE / "labels"
SHARED = Path(os.environ.get("NNTERM_SHARED", REPO.parent / "shared"))

# corpus -> (what to check, relative to the corpus folder, and the file suffixes of a folder walk)
CORPORA: dict[str, dict] = {
    "d2l-zh": {"paths": ["."], "role": "tuned"},
    "d2l-zh-v1": {"paths": ["."], "role": "tuned"},
    "ai-system-zh": {"paths": ["Textbook"], "role": "tuned"},
    "thu-llm-thesis": {"paths": ["thuthesis-example.tex"], "role": "tuned"},
    # kept aside: never tuned on; its numbers show how the rules generalise
    "hf-course-zh": {"paths": ["chapters/zh-CN"], "glob": "**/*.mdx", "role": "kept-aside"},
}
WARNING_LEVELS = {"error", "warning"}


def nnterm() -> list[str]:
    """The command to score: $NNTERM_CMD (split on spaces, e.g. another checkout's), else this venv's nnterm."""
    if os.environ.get("NNTERM_CMD"):
        return os.environ["NNTERM_CMD"].split()
    exe = Path(sys.executable).with_name("nnterm")
    # (nnterm_ls.cli is a package without __main__: its entry point is called directly)
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "import sys; from nnterm_ls.cli import main; sys.exit(main())"]


def corpus_root(name: str) -> Path:
    return Path(CORPORA[name]["root"]) if "root" in CORPORA[name] else SHARED / "corpus" / name


def add_unseen(specs: list[str] | None) -> list[str]:
    """Register each ``NAME=DIR`` of ``--unseen`` as a corpus of role "unseen"; returns the names."""
    names = []
    for spec in specs or []:
        name, sep, folder = spec.partition("=")
        if not sep or not name or not folder:
            raise SystemExit(f"error: --unseen takes NAME=DIR, not {spec!r}")
        if name in CORPORA and CORPORA[name]["role"] != "unseen":
            raise SystemExit(f"error: --unseen {name}: that name is a corpus of ../shared")
        root = Path(folder).resolve()
        if not root.is_dir():
            raise SystemExit(f"error: --unseen {name}: {root} is not a folder")
        CORPORA[name] = {"paths": ["."], "role": "unseen", "root": str(root)}
        names.append(name)
    return names


def _names(corpora: list[str] | None, unseen: list[str]) -> list[str]:
    """The corpora of a run: those named with --corpus, then the unseen ones; with neither, every corpus of
    ../shared; with only --unseen, just those."""
    if corpora is None:
        return unseen or list(CORPORA)
    return corpora + unseen  # (--corpus names only corpora of ../shared)


def run_corpus(name: str) -> list[dict]:
    """Every finding of `nnterm check --format json` on one corpus, checked as one document set."""
    root = corpus_root(name)
    if not root.is_dir():
        raise SystemExit(f"error: {root} is missing (set NNTERM_SHARED to the shared/ folder)")
    spec = CORPORA[name]
    args: list[str] = []
    for p in spec["paths"]:
        if "glob" in spec:
            args += sorted(str(f.relative_to(root)) for f in (root / p).glob(spec["glob"]))
        else:
            args.append(p)
    proc = subprocess.run([*nnterm(), "check", "--format", "json", *args], cwd=root, capture_output=True,
                          text=True, encoding="utf-8")
    if proc.returncode not in (0, 1):
        raise SystemExit(f"error: nnterm check failed on {name} ({proc.returncode}):\n{proc.stderr}")
    findings = json.loads(proc.stdout)
    for f in findings:
        f["corpus"] = name
        f["file"] = os.path.normpath(f["path"])
    return findings


def key(corpus: str, file: str, line: int, code: str, found: str) -> tuple:
    return (corpus, os.path.normpath(file), int(line), code, " ".join(str(found).split()))


def fkey(f: dict) -> tuple:
    return key(f["corpus"], f["file"], f["line"], f["code"], f["found"])


def load_labels(prefix: str) -> list[dict]:
    out: list[dict] = []
    for path in sorted(LABELS.glob(f"{prefix}-*.yaml")):
        items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for item in items:
            item["_source"] = path.name
            out.append(item)
    return out


def context_of(corpus: str, file: str, line: int, radius: int = 1) -> str:
    lines = (corpus_root(corpus) / file).read_text(encoding="utf-8", errors="replace").splitlines()
    lo, hi = max(0, line - 1 - radius), min(len(lines), line + radius)
    return "\n".join(lines[lo:hi])


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f} %" if b else "    –  "


def score(args) -> int:
    judged = {key(l["corpus"], l["file"], l["line"], l["code"], l["found"]): l
              for l in load_labels("precision") if l.get("verdict") is not None}
    recall_items = load_labels("recall")
    rows = []
    totals = {role: defaultdict(int) for role in ("tuned", "kept-aside", "unseen")}
    per_rule: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missed: list[dict] = []
    unseen = add_unseen(args.unseen)
    for name in _names(args.corpus, unseen):
        findings = run_corpus(name)
        warnings = [f for f in findings if f["severity"] in WARNING_LEVELS]
        pairs = [(f, judged[k]) for f in warnings if (k := fkey(f)) in judged]
        labelled = [l for _f, l in pairs]
        true = sum(1 for l in labelled if l["verdict"])
        bad_fix = sum(1 for l in labelled if l["verdict"] and l.get("bad_fix"))
        # what `--fix` would do wrong: the judged warnings whose fix it applies that are false or carry a bad fix
        applied = [l for f, l in pairs if f.get("fixable")]
        harm = sum(1 for l in applied if not l["verdict"] or l.get("bad_fix"))
        for l in labelled:
            per_rule[l["code"]][0] += bool(l["verdict"])
            per_rule[l["code"]][1] += 1
        # recall: a real problem counts as found when a warning sits on its line and covers its text
        on_line = defaultdict(list)
        for f in warnings:
            on_line[(f["file"], int(f["line"]))].append(f)
        mine = [r for r in recall_items if r["corpus"] == name]
        found_items = [r for r in mine if any(_covers(f, r) for f in on_line[(os.path.normpath(r["file"]), int(r["line"]))])]
        hit = len(found_items)
        missed.extend(r for r in mine if r not in found_items)
        role = CORPORA[name]["role"]
        t = totals[role]
        t["warnings"] += len(warnings); t["labelled"] += len(labelled); t["true"] += true
        t["bad_fix"] += bad_fix; t["recall_n"] += len(mine); t["recall_hit"] += hit
        t["harm"] += harm; t["applied"] += len(applied)
        rows.append((name, role, len(warnings), len(labelled), true, bad_fix, f"{harm}/{len(applied)}", len(mine), hit))
    print(f"{'corpus':16} {'role':10} {'warnings':>8} {'judged':>6} {'coverage':>8} {'precision':>9} "
          f"{'bad fix':>7} {'--fix harm':>10} {'recall':>14}")
    for name, role, n, lab, true, bad, harm, rn, rh in rows:
        print(f"{name:16} {role:10} {n:8} {lab:6} {pct(lab, n):>8} {pct(true, lab):>9} {bad:7} {harm:>10} "
              f"{pct(rh, rn):>8} {rh:>2}/{rn:<3}")
    for role, t in totals.items():
        if t["warnings"] or t["recall_n"]:
            print(f"{'= ' + role:27} {t['warnings']:8} {t['labelled']:6} {pct(t['labelled'], t['warnings']):>8} "
                  f"{pct(t['true'], t['labelled']):>9} {t['bad_fix']:7} {str(t['harm']) + '/' + str(t['applied']):>10} "
                  f"{pct(t['recall_hit'], t['recall_n']):>8} {t['recall_hit']:>2}/{t['recall_n']:<3}")
    print("\nprecision by rule (all corpora): " + ", ".join(
        f"{code} {pct(a, b).strip()} ({a}/{b})" for code, (a, b) in sorted(per_rule.items())))
    if args.misses:
        print("\nmissed real problems:")
        for r in missed:
            print(f"  {r['corpus']}/{r['file']}:{r['line']} [{r.get('rule')}] {r['found']} -> {r.get('expected')}")
    return 0


def _covers(f: dict, r: dict) -> bool:
    found = "".join(str(r["found"]).split())
    got = "".join(str(f["found"]).split()).replace("*", "").replace("_", "")
    return found in got or got in found


def sample(args) -> int:
    judged = {key(l["corpus"], l["file"], l["line"], l["code"], l["found"]) for l in load_labels("precision")}
    rng = random.Random(args.seed)
    out = []
    unseen = add_unseen(args.unseen)
    for name in _names(args.corpus, unseen):
        warnings = [f for f in run_corpus(name) if f["severity"] in WARNING_LEVELS and fkey(f) not in judged]
        seen, unique = set(), []
        for f in warnings:
            if fkey(f) not in seen:
                seen.add(fkey(f)); unique.append(f)
        for f in rng.sample(unique, min(args.per_corpus, len(unique))):
            out.append({"corpus": name, "file": f["file"], "line": f["line"], "code": f["code"], "found": f["found"],
                        "message": f["message"], "suggestion": f["suggestion"],
                        "context": context_of(name, f["file"], f["line"]),
                        "verdict": None, "bad_fix": False, "reason": ""})
    target = LABELS / args.output
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    print(f"wrote {len(out)} warnings to judge into {target}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("score", help="precision and recall per corpus")
    s.add_argument("--corpus", action="append", choices=list(CORPORA))
    s.add_argument("--misses", action="store_true", help="list the real problems no warning found")
    s.add_argument("--unseen", action="append", metavar="NAME=DIR", help="a text outside ../shared, never tuned on")
    s.set_defaults(func=score)
    p = sub.add_parser("sample", help="draw unlabelled warnings to judge")
    p.add_argument("--corpus", action="append", choices=list(CORPORA))
    p.add_argument("--per-corpus", type=int, default=40)
    p.add_argument("--unseen", action="append", metavar="NAME=DIR", help="a text outside ../shared, never tuned on")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--output", default="pending.yaml")
    p.set_defaults(func=sample)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
