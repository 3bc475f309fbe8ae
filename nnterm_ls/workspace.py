"""The document set, shared by the CLI and the language server: which files belong to it and in which order.

* discovery: files given as they are, folders walked for every registered format's suffixes, honouring
  ``.gitignore`` files (of the folder and above it, up to the repository root) and the configuration's ``exclude``;
* includes: LaTeX ``\\input``/``\\include`` targets are followed from each document (the chapters of a thesis are
  one set, in reading order);
* reading order: the order files were given or found, with included chapters after the file that includes them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .extract import format_for, suffixes


@dataclass
class Inputs:
    files: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _spec(lines):
    import pathspec

    return pathspec.PathSpec.from_lines("gitwildmatch", lines)


def discover(paths: list[str], config) -> Inputs:
    """Files to check: given files as they are, folders walked for documents, honouring .gitignore and exclude."""
    out = Inputs()
    seen: set[Path] = set()
    exclude = _spec(config.exclude) if config.exclude else None
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
        for f in walk(p, exclude, config.root):
            rp = f.resolve()
            if rp not in seen:
                seen.add(rp)
                out.files.append(f)
    return out


def walk(root: Path, exclude=None, config_root: Path | None = None) -> Iterator[Path]:
    """The documents below a folder, sorted, skipping hidden folders, node_modules and ignored paths."""
    specs: list[tuple[Path, object]] = []
    # .gitignore files above the walked folder (up to the repository root) apply too
    for parent in [root.resolve(), *root.resolve().parents]:
        gi = parent / ".gitignore"
        if gi.is_file() and parent != root.resolve():
            specs.append((parent, _spec(gi.read_text(encoding="utf-8", errors="replace").splitlines())))
        if (parent / ".git").exists():
            break
    known = suffixes()

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
            specs.append((d.resolve(), _spec(gi.read_text(encoding="utf-8", errors="replace").splitlines())))
        dirnames[:] = sorted(n for n in dirnames if not n.startswith(".") and n != "node_modules" and not ignored(d / n, True))
        for name in sorted(filenames):
            f = d / name
            if f.suffix.lower() in known and not ignored(f, False):
                yield f


def is_document(path: str | os.PathLike) -> bool:
    return format_for(str(path)) is not None


def resolve_include(including: Path, name: str) -> Path | None:
    """The file a LaTeX ``\\input{name}`` in ``including`` reads: beside it, or in a folder above (up to the
    repository root), with ``.tex`` added when the name has no suffix."""
    fmt = format_for(str(including))
    extra = fmt.include_suffixes if fmt else ()
    for base in (including.parent, *including.parents):
        for candidate in (base / name, *(base / f"{name}{s}" for s in extra)):
            if candidate.is_file():
                return candidate
        if (base / ".git").exists():
            break
    return None


def collect(files: list[Path], analyse: Callable[[Path], object | None]) -> list:
    """Analyse ``files`` in order and follow each analysis's includes (an included file is queued after the files
    queued so far). ``analyse`` returns None for a file that could not be read."""
    queue = list(files)
    known = {f.resolve() for f in queue}
    out = []
    i = 0
    while i < len(queue):
        f = queue[i]
        i += 1
        doc = analyse(f)
        if doc is None:
            continue
        out.append(doc)
        fmt = format_for(str(f))
        if fmt is None or not fmt.follows_includes:
            continue
        for inc in doc.includes:
            target = resolve_include(f, inc)
            if target is not None and target.resolve() not in known:
                known.add(target.resolve())
                queue.append(target)
    return out
