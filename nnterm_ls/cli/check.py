"""`nnterm check`: find the documents, analyse them as one set, report, and optionally fix (or show the fix as a diff).

Standard output carries the findings (or, with ``--diff``, the diff; with ``--fix -``, the fixed text); standard
error carries everything said about the run: errors, the progress bar, what ``--fix`` did and the summary line.
"""

from __future__ import annotations

import difflib
import os
import sys
import time
from collections import Counter
from pathlib import Path

from ..config import Config, ConfigError, did_you_mean, find_config, load_config_checked
from ..fsutil import write_atomic
from ..rules.findings import Finding, apply_edits
from ..rules.registry import RULE_CODES
from ..severity import SEVERITIES, SEVERITY_RANK
from ..extract import format_for, get_format
from ..workspace import collect, discover, order_group_of
from .output import RENDERERS, render_text

# formats read by people: a threshold of warning by default, a summary on standard error
HUMAN_FORMATS = ("text", "github")


def _progress(i: int, total: int) -> None:
    width = 30
    done = int(width * i / total)
    sys.stderr.write(f"\rnnterm: checking [{'#' * done}{'.' * (width - done)}] {i}/{total}")
    if i == total:
        sys.stderr.write("\r" + " " * (width + 40) + "\r")
    sys.stderr.flush()


def use_color(choice: str, stream) -> bool:
    """--color always|never win; for auto: NO_COLOR (set, non-empty) turns colour off, FORCE_COLOR (set, not 0)
    turns it on, else colour only when ``stream`` is a terminal — never when piped."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR")
    if force is not None and force not in ("", "0", "false"):
        return True
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


def threshold_of(args) -> str:
    """The lowest severity shown: --min-severity, else hint with --show-hints, else warning for text and github
    and every finding for the machine formats (json, sarif, rdjson)."""
    if args.min_severity:
        return args.min_severity
    if args.show_hints or args.format not in HUMAN_FORMATS:
        return "hint"
    return "warning"


def _plural(n: int, word: str) -> str:
    if word == "info":
        return f"{n:,} info"
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def summary_line(n_files: int, seconds: float, shown: list[Finding], hidden: list[Finding],
                 threshold: str = "warning") -> str:
    """Checked 147 files in 0.9 s: 12 warnings (inconsistent 9, casing 3), 3 fixable; 2,855 hints hidden"""
    parts = []
    for sev in SEVERITIES:
        of_sev = [f for f in shown if f.severity == sev]
        if of_sev:
            by_rule = Counter(f.code for f in of_sev)
            rules = ", ".join(f"{code} {n:,}" for code, n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])))
            parts.append(f"{_plural(len(of_sev), sev)} ({rules})")
    body = ", ".join(parts) if parts else (f"nothing of severity {threshold} or above" if hidden else "no problems found")
    fixable = sum(1 for f in shown if f.fix and f.fix.safe)
    if fixable:
        body += f", {fixable:,} fixable"
    text = f"Checked {_plural(n_files, 'file')} in {seconds:.1f} s: {body}"
    if hidden:
        counts = Counter(f.severity for f in hidden)
        text += "; " + " and ".join(_plural(counts[s], s) for s in SEVERITIES if counts[s]) + " hidden"
    return text


def plan_fixes(findings: list[Finding], threshold: str) -> tuple[list, list[Finding]]:
    """The edits --fix applies to one document and the findings they fix: every safe fix at or above ``threshold``
    whose edits overlap no edit already taken (earlier in the text). A finding whose edits are exactly ones already
    taken (two rules, one replacement) counts as fixed too."""
    taken: list = []
    keys: set = set()
    fixed: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, f.end, f.code)):
        if not (f.fix and f.fix.safe) or SEVERITY_RANK[f.severity] < SEVERITY_RANK[threshold]:
            continue
        edits = list(f.fix.edits)
        sig = tuple((e.start, e.end, e.new_text) for e in edits)
        if all(k in keys for k in sig):
            fixed.append(f)
            continue
        if any(_overlaps(e, t) for e in edits for t in taken):
            continue
        taken.extend(edits)
        keys.update(sig)
        fixed.append(f)
    return taken, fixed


def _overlaps(a, b) -> bool:
    if a.start == a.end or b.start == b.end:  # insertions: at the same place, or inside the other edit
        return a.start == b.start or (b.start < a.start < b.end) or (a.start < b.start < a.end)
    return a.start < b.end and b.start < a.end


def _unified_diff(path: str, old: str, new: str) -> str:
    out = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                               fromfile=f"a/{path}", tofile=f"b/{path}")
    text = ""
    for line in out:
        text += line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
    return text


def _by_rule(findings: list[Finding]) -> str:
    counts = Counter(f.code for f in findings)
    return ", ".join(f"{c} {n}" for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def load_check_config(args, stdin_mode: bool) -> tuple[Config, list[ConfigError]]:
    if args.config:
        return load_config_checked(args.config)
    start = args.stdin_filename if stdin_mode and args.stdin_filename else (args.paths[0] if args.paths else ".")
    found = find_config(Path(start) if Path(start).exists() else Path.cwd())
    return load_config_checked(found) if found else (Config(), [])


def run_check(args) -> int:
    started = time.perf_counter()
    for code in (args.select or []) + (args.ignore or []):
        if code not in RULE_CODES:
            print(f"nnterm: unknown rule code {code!r}{did_you_mean(code, RULE_CODES)} (known: {', '.join(RULE_CODES)})",
                  file=sys.stderr)
            return 2
    if args.fix and args.diff:
        print("nnterm: --fix and --diff cannot be combined (--diff shows what --fix would do)", file=sys.stderr)
        return 2
    stdin_mode = args.paths == ["-"]
    if "-" in args.paths and not stdin_mode:
        print("nnterm: '-' (standard input) cannot be combined with other paths", file=sys.stderr)
        return 2
    quiet = args.quiet
    threshold = threshold_of(args)
    # --fix and --diff: every enabled rule's safe fixes, or only those at or above an explicit --min-severity
    fix_threshold = args.min_severity or "hint"

    config, config_errors = load_check_config(args, stdin_mode)
    cache = None
    rules_key = ""
    if (config.cache if args.cache is None else args.cache) and not stdin_mode and not config_errors:
        from ..cache import Cache, default_dir, engine_fingerprint, rules_fingerprint

        cache = Cache(Path(args.cache_dir or config.cache_dir or default_dir()), engine_fingerprint(config))
        rules_key = rules_fingerprint(config, args)
        if not (args.fix or args.diff):
            hit = _from_set_cache(cache, rules_key, args, config)
            if hit is not None:  # nothing changed since a run that stored this set's findings
                docs, results, status, entry, inputs_key = hit
                return _report(args, docs, results, status, started, threshold, entry.rendered,
                               lambda key, text: cache.store_set(rules_key, inputs_key, entry.with_rendering(key, text)))
    from ..analysis import Engine  # here: a run answered from the check cache never imports the engine

    engine = Engine(config=config, select=args.select, ignore=args.ignore, learn=False if args.no_learn else None)
    # the term base and matcher live as long as the process: the cyclic collector need never walk them again
    import gc

    gc.freeze()
    errors = sorted([*config_errors, *engine.config_problems], key=lambda e: (e.path, e.line, e.column))
    user_terms = set(config.terms)
    term_errors = [p for p in engine.termbase.problems if p.severity == "error"]
    if errors or any(p.path in user_terms for p in term_errors):
        # a broken configuration stops the run before anything is checked: every problem at once
        for e in errors:
            print(f"{e.where()}: error: {e.message}", file=sys.stderr)
        for p in term_errors:
            print(f"nnterm: term file error: {p}", file=sys.stderr)
        n = len(errors) + len(term_errors)
        print(f"nnterm: {n} configuration error{'s' if n != 1 else ''}; nothing was checked", file=sys.stderr)
        return 2
    status = 0
    for problem in term_errors:
        print(f"nnterm: term file error: {problem}", file=sys.stderr)
        status = 2
    members: list = []  # (path, content hash, kind, includes) of every document, for the set cache

    docs = []
    results = streamed = None
    with_bom: set[str] = set()  # written back with their byte-order mark by --fix
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
        show_progress = (not quiet and sys.stderr.isatty() and len(inputs.files) >= 10
                         and args.format == "text" and not args.diff)
        failed = False
        count = 0
        made: dict = {}  # analyses made beforehand by worker processes (--jobs), by path
        stream = not (args.fix or args.diff) and _too_large_to_hold(inputs.files)
        if cache is None and not stream:  # (a streamed set holds one analysis at a time: no batch made ahead)
            from .parallel import analyse_in_parallel, auto_jobs

            jobs = args.jobs if getattr(args, "jobs", None) is not None else auto_jobs()
            made = analyse_in_parallel(engine, inputs.files, jobs)

        def analyse(f: Path, again: bool = False, light: bool = False):
            nonlocal failed, count
            if again:  # a later pass over a set too large to hold (check_stream): the same file, read again
                known = len(members)
                doc = analyse(f)
                if doc is None:
                    raise SystemExit(2)
                del members[known:]
                return doc
            count += 1
            if show_progress:
                _progress(min(count, len(inputs.files)), len(inputs.files))
            try:
                data = f.read_bytes()
                text = data.decode("utf-8-sig")
                if data.startswith(b"\xef\xbb\xbf"):
                    with_bom.add(str(f))
            except (OSError, UnicodeDecodeError) as exc:
                print(f"nnterm: {f}: cannot read: {exc}", file=sys.stderr)
                failed = True
                return None
            if cache is None:
                doc = made.pop(str(f), None)
                if doc is not None and doc.text == text:  # (a file changed since the worker read it: analysed here)
                    return doc
                # no resolve stage here: the set check resolves each document once, after the set-level stages that
                # change its occurrences (learned renderings, senses); check_stream's first pass reads occurrences
                # and glosses only. The cache stores whole analyses
                return engine.analyze(str(f), text, resolve_uses=False)
            from ..cache import content_hash

            digest = content_hash(data)
            kind = (format_for(str(f)) or get_format("markdown")).name
            doc = cache.load_analysis(str(f), digest, kind, engine.termbase)
            if doc is None:
                doc = engine.analyze(str(f), text)
                cache.store_analysis(digest, kind, doc, engine.termbase)
            members.append((str(f), digest, kind, list(doc.includes)))
            return doc

        if stream:
            streamed = _check_streaming(engine, inputs, analyse)
            if streamed is None:  # LaTeX glossaries: checked held, as a smaller set is
                members.clear()
                failed, count = False, 0
        if streamed is not None:
            docs, results = streamed
        else:
            # LaTeX \input / \include are followed: the chapters of one thesis are one set
            docs = collect(inputs.files, analyse, inputs.groups)
            for d in docs:
                d.order_group = order_group_of(inputs, d.path)
        if failed:
            status = 2
    if results is None:
        results = engine.check(docs)
    remember = None
    if cache is not None and not (args.fix or args.diff) and not status and not failed:
        from ..cache import SetEntry

        discovered = {str(f) for f in inputs.files}
        inputs_key = [(m[0], m[1]) for m in members if m[0] in discovered]
        entry = SetEntry(members, results)

        def remember(key, text):  # the findings and this rendering of them, in one entry
            cache.store_set(rules_key, inputs_key, entry.with_rendering(key, text))
    human = args.format in HUMAN_FORMATS and not quiet

    if args.fix or args.diff:
        plans = {d.path: plan_fixes(results[d.path], fix_threshold) for d in docs}
        changed = {p: (edits, fixed) for p, (edits, fixed) in plans.items() if edits}
        n_fixed = sum(len(fixed) for _e, fixed in changed.values())
        if args.diff:
            for d in docs:
                if d.path in changed:
                    sys.stdout.write(_unified_diff(d.path, d.text, apply_edits(d.text, changed[d.path][0])))
            if not quiet:
                if changed:
                    print(f"nnterm: would fix {_plural(n_fixed, 'finding')} in {_plural(len(changed), 'file')} "
                          f"({_by_rule([f for _e, fx in changed.values() for f in fx])}); no file was changed",
                          file=sys.stderr)
                else:
                    print("nnterm: nothing to fix", file=sys.stderr)
            return status or (1 if changed else 0)
        fixed_docs = []
        for d in docs:
            if d.path not in changed:
                fixed_docs.append(d)
                continue
            edits, fixed = changed[d.path]
            new_text = apply_edits(d.text, edits)
            if stdin_mode:
                sys.stdout.write(new_text)
            else:
                write_atomic(Path(d.path), ("\ufeff" if d.path in with_bom else "") + new_text)
                if not quiet:
                    print(f"nnterm: {d.path}: fixed {_plural(len(fixed), 'finding')} ({_by_rule(fixed)})",
                          file=sys.stderr)
            fixed_docs.append(engine.analyze(d.path, new_text, d.format))
        if stdin_mode:
            if not changed:
                sys.stdout.write(docs[0].text)
            return status
        docs = fixed_docs
        by_path = {d.path: d for d in docs}
        results = engine.check(docs)
        if not quiet:
            left = sum(1 for fs in results.values() for f in fs
                       if f.fix is not None and SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fix_threshold])
            print(f"nnterm: fixed {_plural(n_fixed, 'finding')} in {_plural(len(changed), 'file')}; "
                  f"{left:,} left for the editor", file=sys.stderr)

    return _report(args, docs, results, status, started, threshold, remember=remember)


# a set whose files add up to more than this is checked one document at a time (Engine.check_stream: memory stays
# flat, each document is analysed in every pass); NNTERM_STREAM_BYTES overrides it (0: always, as the tests do)
STREAM_BYTES = 8_000_000


def _too_large_to_hold(files: list[Path]) -> bool:
    limit = int(os.environ.get("NNTERM_STREAM_BYTES") or STREAM_BYTES)
    total = 0
    for f in files:
        try:
            total += f.stat().st_size
        except OSError:
            continue
        if total > limit:
            return True
    return limit == 0


def _check_streaming(engine, inputs, analyse):
    """(documents for the renderers, findings per path) of a set checked one document at a time, or None when
    the set cannot be (LaTeX glossaries)."""
    from ..analysis import NotStreamable
    from ..cache import FileDoc
    from ..workspace import iter_collect

    files: list[Path] = []
    passes = 0

    def analyses(only=None):
        nonlocal passes
        passes += 1
        if passes == 1:  # discovery: includes are followed as the documents are read
            for f, doc in iter_collect(inputs.files, lambda f: analyse(f, light=True), inputs.groups):
                doc.order_group = order_group_of(inputs, doc.path)
                files.append(f)
                yield len(files) - 1, doc
            return
        for pos, f in enumerate(files):
            if only is None or pos in only:
                doc = analyse(f, again=True)
                doc.order_group = order_group_of(inputs, doc.path)
                yield pos, doc

    docs, results = [], {}
    try:
        for doc, found in engine.check_stream(analyses):
            results[doc.path] = found
            docs.append(FileDoc(doc.path, doc.kind))
    except NotStreamable:
        return None
    return docs, results


def _report(args, docs, results, status: int, started: float, threshold: str, rendered: dict | None = None,
            remember=None) -> int:
    """Render the findings of the set, the summary line and the exit status. ``rendered``: outputs of this set
    already rendered (from the check cache), by format, threshold and colour; ``remember(key, text)`` stores one."""
    quiet = args.quiet
    human = args.format in HUMAN_FORMATS and not quiet
    by_path = {d.path: d for d in docs}
    shown: list[tuple[Finding, object]] = []
    hidden: list[Finding] = []
    for path in by_path:
        for f in results[path]:
            if SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold]:
                shown.append((f, by_path[path]))
            else:
                hidden.append(f)
    color = args.format == "text" and use_color(args.color, sys.stdout)
    key = (args.format, threshold, color)
    out = rendered.get(key) if rendered else None
    if out is None:
        if args.format == "text":
            out = render_text(shown, by_path, color=color)
        else:
            out = RENDERERS[args.format](shown, by_path)
        if remember is not None:
            remember(key, out)
    sys.stdout.write(out)
    sys.stdout.flush()
    if human and docs:
        line = summary_line(len(docs), time.perf_counter() - started, [f for f, _d in shown], hidden, threshold)
        if use_color(args.color, sys.stderr):
            line = f"\x1b[1m{line}\x1b[0m"
        print(line, file=sys.stderr)
    if status:
        return status
    worst = max((SEVERITY_RANK[f.severity] for f, _ in shown), default=-1)
    return 1 if worst >= SEVERITY_RANK["warning"] else 0


def _from_set_cache(cache, rules_key: str, args, config):
    """(docs, findings, status) of a set whose every member is unchanged since a run stored it, or None. The
    members are collected again the way ``collect`` does (the stored includes of each unchanged document), so a
    new or removed ``\\input`` target is a miss."""
    from ..cache import LightDoc, content_hash

    inputs = discover(args.paths, config)
    if inputs.errors:
        return None
    read: dict[str, tuple[str, bytes]] = {}

    def load(f: Path):
        try:
            data = f.read_bytes()
            return content_hash(data), data
        except OSError:
            return None

    for f in inputs.files:
        got = load(f)
        if got is None:
            return None
        read[str(f)] = got
    inputs_key = [(str(f), read[str(f)][0]) for f in inputs.files]
    entry = cache.load_set(rules_key, inputs_key)
    if entry is None:
        return None
    stored = {m[0]: m for m in entry.members}
    missing = False

    class _Member:
        def __init__(self, path, includes):
            self.path, self.includes = path, includes

    def analyse(f: Path):
        nonlocal missing
        path = str(f)
        m = stored.get(path)
        got = read.get(path) or load(f)
        if m is None or got is None or got[0] != m[1]:
            missing = True
            return None
        read[path] = got
        return _Member(path, m[3])

    order = [m.path for m in collect(inputs.files, analyse)]
    if missing or order != [m[0] for m in entry.members]:
        return None
    # a stored entry was written only by a run that decoded every member: the bytes decode
    docs = [LightDoc(m[0], read[m[0]][1], m[2]) for m in entry.members]
    return docs, entry.findings, 0, entry, inputs_key
