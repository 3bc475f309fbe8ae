"""`nnterm check`: find the documents, analyse them as one set, report, and optionally fix."""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis import Engine
from ..config import Config, ConfigError, find_config, load_config
from ..extract import LATEX_SUFFIXES, MARKDOWN_SUFFIXES, kind_of
from ..rules.findings import SEVERITY_RANK, apply_edits
from ..rules.registry import RULE_CODES
from .output import RENDERERS

SUFFIXES = MARKDOWN_SUFFIXES + LATEX_SUFFIXES


@dataclass
class Inputs:
    files: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def discover(paths: list[str], config: Config) -> Inputs:
    """Files to check: given files as they are, folders walked for Markdown and LaTeX, honouring .gitignore."""
    import pathspec

    out = Inputs()
    seen: set[Path] = set()
    exclude = pathspec.PathSpec.from_lines("gitwildmatch", config.exclude) if config.exclude else None
    for raw in paths:
        p = Path(raw)
        if p.is_file():
            rp = p.resolve()
            if rp not in seen:
                seen.add(rp)
                out.files.append(p)
            continue
        if not p.is_dir():
            out.errors.append(f"{raw}: no such file or directory")
            continue
        for f in _walk(p, exclude, config.root):
            rp = f.resolve()
            if rp not in seen:
                seen.add(rp)
                out.files.append(f)
    return out


def _walk(root: Path, exclude, config_root: Path | None):
    import pathspec

    specs: list[tuple[Path, object]] = []
    # .gitignore files above the walked folder (up to the repository root) apply too
    for parent in [root.resolve(), *root.resolve().parents]:
        gi = parent / ".gitignore"
        if gi.is_file() and parent != root.resolve():
            specs.append((parent, pathspec.PathSpec.from_lines("gitwildmatch", gi.read_text(encoding="utf-8", errors="replace").splitlines())))
        if (parent / ".git").exists():
            break

    def ignored(path: Path, is_dir: bool) -> bool:
        rp = path.resolve()
        for base, spec in specs:
            try:
                rel = rp.relative_to(base).as_posix()
            except ValueError:
                continue
            if spec.match_file(rel + ("/" if is_dir else "")):
                return True
        if exclude is not None and config_root is not None:
            try:
                rel = rp.relative_to(config_root.resolve()).as_posix()
                if exclude.match_file(rel + ("/" if is_dir else "")):
                    return True
            except ValueError:
                pass
        return False

    for dirpath, dirnames, filenames in os.walk(root):
        d = Path(dirpath)
        gi = d / ".gitignore"
        if gi.is_file():
            specs.append((d.resolve(), pathspec.PathSpec.from_lines("gitwildmatch", gi.read_text(encoding="utf-8", errors="replace").splitlines())))
        dirnames[:] = sorted(n for n in dirnames if not n.startswith(".") and n != "node_modules" and not ignored(d / n, True))
        for name in sorted(filenames):
            f = d / name
            if f.suffix.lower() in SUFFIXES and not ignored(f, False):
                yield f


def _progress(i: int, total: int) -> None:
    width = 30
    done = int(width * i / total)
    sys.stderr.write(f"\rnnterm: checking [{'#' * done}{'.' * (width - done)}] {i}/{total}")
    if i == total:
        sys.stderr.write("\r" + " " * (width + 40) + "\r")
    sys.stderr.flush()


def write_atomic(path: Path, text: str) -> None:
    mode = path.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".nnterm", dir=str(path.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


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
    engine = Engine(config=config, select=args.select, ignore=args.ignore)
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
        docs.append(engine.analyze(name, text, kind_of(name) or "markdown"))
    else:
        inputs = discover(args.paths, config)
        for err in inputs.errors:
            print(f"nnterm: {err}", file=sys.stderr)
            status = 2
        queue = list(inputs.files)
        known = {f.resolve() for f in queue}
        show_progress = sys.stderr.isatty() and len(queue) >= 10 and args.format == "text"
        i = 0
        while i < len(queue):
            f = queue[i]
            i += 1
            if show_progress:
                _progress(i, len(queue))
            try:
                text = f.read_bytes().decode("utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                print(f"nnterm: {f}: cannot read: {exc}", file=sys.stderr)
                status = 2
                continue
            doc = engine.analyze(str(f), text)
            docs.append(doc)
            for inc in doc.includes:  # LaTeX \input / \include: the chapters of one thesis are one set
                target = _resolve_include(f, inc)
                if target is not None and target.resolve() not in known:
                    known.add(target.resolve())
                    queue.append(target)
    by_path = {d.path: d for d in docs}
    for d in docs:
        d._resolver = by_path.get  # type: ignore[attr-defined]
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
                write_atomic(Path(d.path), new_text)
            fixed_docs.append(engine.analyze(d.path, new_text, d.kind))
        if stdin_mode:
            if not any(f.fix and f.fix.safe for fs in results.values() for f in fs):
                sys.stdout.write(docs[0].text)
            return status
        docs = fixed_docs
        by_path = {d.path: d for d in docs}
        for d in docs:
            d._resolver = by_path.get  # type: ignore[attr-defined]
        results = engine.check(docs)

    items = [(f, by_path[path]) for path in by_path for f in results[path]]
    sys.stdout.write(RENDERERS[args.format](items))
    if status:
        return status
    worst = max((SEVERITY_RANK[f.severity] for f, _ in items), default=-1)
    return 1 if worst >= SEVERITY_RANK["warning"] else 0


def _resolve_include(including: Path, name: str) -> Path | None:
    for base in (including.parent, *including.parents):
        for candidate in (base / name, base / f"{name}.tex"):
            if candidate.is_file():
                return candidate
        if (base / ".git").exists():
            break
    return None
