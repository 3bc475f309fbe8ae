"""The document set, shared by the CLI and the language server: which files belong to it and in which order.

* discovery: files given as they are, folders walked for every registered format's suffixes, honouring
  ``.gitignore`` files (of the folder and above it, up to the repository root) and the configuration's ``exclude``;
* includes: LaTeX ``\\input``/``\\include`` targets are followed from each document (the chapters of a thesis are
  one set, in reading order);
* reading order: LaTeX includes after the file that includes them; for Markdown folders the `order:` list of
  `.nnterm.yaml`, else the book's own index (d2l/Sphinx ```toc blocks in index.md, mdBook SUMMARY.md, MkDocs
  mkdocs.yml nav), else path order. Files named on the command line keep the command line's order.
"""

from __future__ import annotations

import os
import re as _re
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
        found = []
        for f in walk(p, exclude, config.root):
            rp = f.resolve()
            if rp not in seen:
                seen.add(rp)
                found.append(f)
        out.files.extend(in_reading_order(found, [p], config))
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


# -- reading order of a Markdown book -----------------------------------------------------------------------------


_TOC_BLOCK = _re.compile(r"^```+\s*toc\b[^\n]*\n(.*?)^```", _re.M | _re.S)
_TOCTREE = _re.compile(r"^\s*\.\. toctree::[^\n]*\n((?:[ \t]+[^\n]*\n|[ \t]*\n)*)", _re.M)  # Sphinx, in eval_rst
_MD_LINK = _re.compile(r"\]\(([^)\s#]+\.(?:md|mdx|markdown))(?:#[^)]*)?\)")


def _toc_order(index: Path, seen: set[Path]) -> list[Path]:
    """d2l-style ```toc blocks and Sphinx `.. toctree::` directives, depth first: index.md, then each entry (an
    entry's own index expands)."""
    out = [index]
    seen.add(index.resolve())
    try:
        text = index.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return out
    for block in _TOC_BLOCK.findall(text) + _TOCTREE.findall(text):
        for raw in block.splitlines():
            entry = raw.strip()
            if not entry or entry.startswith(":"):
                continue
            for candidate in (index.parent / f"{entry}.md", index.parent / entry / "index.md", index.parent / entry):
                if candidate.is_file() and candidate.resolve() not in seen:
                    out.extend(_toc_order(candidate, seen))
                    break
    return out


def _summary_order(summary: Path) -> list[Path]:
    text = summary.read_text(encoding="utf-8", errors="replace")
    return [summary.parent / m for m in _MD_LINK.findall(text)]


def _mkdocs_order(mkdocs: Path) -> list[Path]:
    import yaml

    try:
        doc = yaml.safe_load(mkdocs.read_text(encoding="utf-8", errors="replace")) or {}
    except yaml.YAMLError:
        return []
    docs_dir = mkdocs.parent / str(doc.get("docs_dir", "docs"))
    out: list[Path] = []

    def walk_nav(node) -> None:
        if isinstance(node, str):
            out.append(docs_dir / node)
        elif isinstance(node, list):
            for item in node:
                walk_nav(item)
        elif isinstance(node, dict):
            for value in node.values():
                walk_nav(value)

    walk_nav(doc.get("nav") or [])
    return out


def book_order(folder: Path, config=None) -> list[Path]:
    """The reading order a folder declares, or [] when it declares none."""
    if config is not None and getattr(config, "order", None) and config.root is not None:
        out: list[Path] = []
        for pattern in config.order:
            out.extend(sorted(config.root.glob(pattern)) if any(c in pattern for c in "*?[") else [config.root / pattern])
        return out
    index_text = (folder / "index.md").read_text(encoding="utf-8", errors="replace") if (folder / "index.md").is_file() else ""
    if "```toc" in index_text or ".. toctree::" in index_text:
        return _toc_order(folder / "index.md", set())
    for name in ("SUMMARY.md", "src/SUMMARY.md"):
        if (folder / name).is_file():
            return _summary_order(folder / name)
    if (folder / "mkdocs.yml").is_file():
        return _mkdocs_order(folder / "mkdocs.yml")
    return []


def in_reading_order(files: list[Path], folders: list[Path], config=None) -> list[Path]:
    """``files`` sorted by the reading order the walked folders declare; files it does not list keep their
    order, after the listed ones."""
    rank: dict[Path, int] = {}
    for folder in folders:
        for f in book_order(folder, config):
            rank.setdefault(f.resolve(), len(rank))
    if rank:
        big = len(rank)
        return sorted(files, key=lambda f: (rank.get(f.resolve(), big),))
    # no index for the whole book: chapters in path order, and inside a chapter folder its own index's toc
    # (d2l-zh-v1: chapter_deep-learning-basics/index.md lists mlp before dropout)
    positions = {f.resolve(): i for i, f in enumerate(files)}
    chapter_rank: dict[Path, tuple[int, int]] = {}
    for f in files:
        if f.name == "index.md" and f.resolve() not in chapter_rank:
            text = f.read_text(encoding="utf-8", errors="replace")
            if "```toc" in text or ".. toctree::" in text:
                base = positions[f.resolve()]
                for i, g in enumerate(_toc_order(f, set())):
                    chapter_rank.setdefault(g.resolve(), (base, i))
    if not chapter_rank:
        return files
    return sorted(files, key=lambda f: chapter_rank.get(f.resolve(), (positions[f.resolve()], -1)))
