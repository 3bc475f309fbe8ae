"""`nnterm check`: find the documents, analyse them as one set, report, and optionally fix."""

from __future__ import annotations

import sys
from pathlib import Path

from ..analysis import Engine
from ..config import Config, ConfigError, find_config, load_config
from ..fsutil import write_atomic
from ..rules.findings import apply_edits
from ..rules.registry import RULE_CODES
from ..severity import SEVERITY_RANK
from ..workspace import collect, discover
from .output import RENDERERS


def _progress(i: int, total: int) -> None:
    width = 30
    done = int(width * i / total)
    sys.stderr.write(f"\rnnterm: checking [{'#' * done}{'.' * (width - done)}] {i}/{total}")
    if i == total:
        sys.stderr.write("\r" + " " * (width + 40) + "\r")
    sys.stderr.flush()


def run_check(args) -> int:
    for code in (args.select or []) + (args.ignore or []):
        if code not in RULE_CODES:
            print(f"nnterm: unknown rule code {code!r} (known: {', '.join(RULE_CODES)})", file=sys.stderr)
            return 2
    stdin_mode = args.paths == ["-"]
    if "-" in args.paths and not stdin_mode:
        print("nnterm: '-' (standard input) cannot be combined with other paths", file=sys.stderr)
        return 2
    try:
        if args.config:
            config = load_config(args.config)
        else:
            start = args.stdin_filename if stdin_mode and args.stdin_filename else (args.paths[0] if args.paths else ".")
            found = find_config(Path(start) if Path(start).exists() else Path.cwd())
            config = load_config(found) if found else Config()
    except ConfigError as exc:
        print(f"nnterm: configuration error: {exc}", file=sys.stderr)
        return 2
    engine = Engine(config=config, select=args.select, ignore=args.ignore, learn=False if args.no_learn else None)
    status = 0
    for problem in engine.termbase.problems:
        if problem.severity == "error":
            print(f"nnterm: term file error: {problem}", file=sys.stderr)
            status = 2
    for problem in engine.config_problems:
        print(f"nnterm: configuration error: {problem}", file=sys.stderr)
        status = 2

    docs = []
    if stdin_mode:
        name = args.stdin_filename or "<stdin>"
        data = sys.stdin.buffer.read()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            print(f"nnterm: {name}: cannot decode as UTF-8: {exc}", file=sys.stderr)
            return 2
        docs.append(engine.analyze(name, text))
    else:
        inputs = discover(args.paths, config)
        for err in inputs.errors:
            print(f"nnterm: {err}", file=sys.stderr)
            status = 2
        show_progress = sys.stderr.isatty() and len(inputs.files) >= 10 and args.format == "text"
        failed = False
        count = [0]
        with_bom: set[str] = set()  # written back with their byte-order mark by --fix

        def analyse(f: Path):
            nonlocal failed
            count[0] += 1
            if show_progress:
                _progress(min(count[0], len(inputs.files)), len(inputs.files))
            try:
                data = f.read_bytes()
                text = data.decode("utf-8-sig")
                if data.startswith(b"\xef\xbb\xbf"):
                    with_bom.add(str(f))
            except (OSError, UnicodeDecodeError) as exc:
                print(f"nnterm: {f}: cannot read: {exc}", file=sys.stderr)
                failed = True
                return None
            return engine.analyze(str(f), text)

        # LaTeX \input / \include are followed: the chapters of one thesis are one set
        docs = collect(inputs.files, analyse)
        if failed:
            status = 2
    by_path = {d.path: d for d in docs}
    results = engine.check(docs)

    if args.fix:
        fixed_docs = []
        for d in docs:
            edits = [e for f in results[d.path] if f.fix and f.fix.safe for e in f.fix.edits]
            if not edits:
                fixed_docs.append(d)
                continue
            new_text = apply_edits(d.text, edits)
            if stdin_mode:
                sys.stdout.write(new_text)
            else:
                write_atomic(Path(d.path), ("\ufeff" if d.path in with_bom else "") + new_text)
            fixed_docs.append(engine.analyze(d.path, new_text, d.format))
        if stdin_mode:
            if not any(f.fix and f.fix.safe for fs in results.values() for f in fs):
                sys.stdout.write(docs[0].text)
            return status
        docs = fixed_docs
        by_path = {d.path: d for d in docs}
        results = engine.check(docs)

    items = [(f, by_path[path]) for path in by_path for f in results[path]]
    sys.stdout.write(RENDERERS[args.format](items, by_path))
    if status:
        return status
    worst = max((SEVERITY_RANK[f.severity] for f, _ in items), default=-1)
    return 1 if worst >= SEVERITY_RANK["warning"] else 0
