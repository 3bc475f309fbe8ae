"""The document set, shared by the CLI and the language server: which files belong to it and in which order.

* discovery: files given as they are, folders walked for every registered format's suffixes, honouring
  ``.gitignore`` files (of the folder and above it, up to the repository root) and the configuration's ``exclude``;
* includes: LaTeX ``\\input``/``\\include`` targets are followed from each document (the chapters of a thesis are
  one set, in reading order);
* reading order: LaTeX includes after the file that includes them (a root file in a checked folder orders the files
  it includes, depth first, in its ``\\input`` order); for Markdown folders the `order:` list of
  `.nnterm.yaml`, else the book's own index (d2l/Sphinx ```toc blocks in index.md, mdBook SUMMARY.md, MkDocs
  mkdocs.yml nav, a README.md that links the chapter files), else path order. Files named on the command line keep the command line's order.
"""

from __future__ import annotations

import os
import re as _re
import threading
from urllib.parse import unquote
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .extract import format_for, suffixes


@dataclass
class Inputs:
    files: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # reading-order groups (resolved path -> group): the files of one group are in a declared order among
    # themselves; between two groups no order is declared (a book without a table of contents). Files not listed
    # are in group 0 with the files named on the command line.
    groups: dict[Path, int] = field(default_factory=dict)


# Path -> resolved Path while one discover() runs in this thread (a book resolved each file ~8 times)
_memo = threading.local()


def _real(p: Path) -> Path:
    memo = getattr(_memo, "resolved", None)
    if memo is None:
        return p.resolve()
    r = memo.get(p)
    if r is None:
        r = memo[p] = p.resolve()
    return r


def _spec(lines):
    import pathspec

    return pathspec.PathSpec.from_lines("gitwildmatch", lines)


def discover(paths: list[str], config) -> Inputs:
    """Files to check: given files as they are, folders walked for documents, honouring .gitignore and exclude."""
    outer = getattr(_memo, "resolved", None)
    _memo.resolved = {}
    try:
        return _discover(paths, config)
    finally:
        _memo.resolved = outer


def _discover(paths: list[str], config) -> Inputs:
    out = Inputs()
    seen: set[Path] = set()
    exclude = _spec(config.exclude) if config.exclude else None
    for raw in paths:
        p = Path(raw)
        if p.is_file():
            rp = _real(p)
            if rp not in seen:
                seen.add(rp)
                out.files.append(p)
            continue
        if not p.is_dir():
            out.errors.append(f"{raw}: no such file or directory")
            continue
        found = []
        for f in walk(p, exclude, config.root):
            rp = _real(f)
            if rp not in seen:
                seen.add(rp)
                found.append(f)
        ordered, groups = ordered_with_groups(found, [p], config)
        base = len(out.groups) + 1
        out.groups.update({f: base + g for f, g in groups.items()})
        out.files.extend(ordered)
    return out


def order_group_of(inputs: Inputs, path: str | os.PathLike, includer_group: int | None = None) -> int:
    """The reading-order group of a checked file (an included file reads in its includer's place)."""
    g = inputs.groups.get(Path(path).resolve())
    if g is None:
        return includer_group if includer_group is not None else 0
    return g


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
        rp = _real(path)
        for base, spec in specs:
            try:
                rel = rp.relative_to(base).as_posix()
            except ValueError:
                continue
            if spec.match_file(rel + ("/" if is_dir else "")):
                return True
        if exclude is not None and config_root is not None:
            try:
                rel = rp.relative_to(_real(config_root)).as_posix()
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


def collect(files: list[Path], analyse: Callable[[Path], object | None], groups: dict[Path, int] | None = None) -> list:
    """Analyse ``files`` in order and follow each analysis's includes (an included file is queued after the files
    queued so far, in its includer's reading-order group when ``groups`` is given). ``analyse`` returns None for a
    file that could not be read."""
    return [doc for _f, doc in iter_collect(files, analyse, groups)]


def iter_collect(files: list[Path], analyse: Callable[[Path], object | None], groups: dict[Path, int] | None = None):
    """``collect`` one document at a time: (file, analysis), the caller holding what it keeps."""
    queue = list(files)
    known = {f.resolve() for f in queue}
    i = 0
    while i < len(queue):
        f = queue[i]
        i += 1
        doc = analyse(f)
        if doc is None:
            continue
        yield f, doc
        fmt = format_for(str(f))
        if fmt is None or not fmt.follows_includes:
            continue
        for inc in doc.includes:
            target = resolve_include(f, inc)
            if target is not None and target.resolve() not in known:
                known.add(target.resolve())
                queue.append(target)
                if groups is not None:
                    groups.setdefault(target.resolve(), groups.get(f.resolve(), 0))


# -- reading order of a Markdown book -----------------------------------------------------------------------------


_TOC_BLOCK = _re.compile(r"^```+\s*toc\b[^\n]*\n(.*?)^```", _re.M | _re.S)
_TOCTREE = _re.compile(r"^\s*\.\. toctree::[^\n]*\n((?:[ \t]+[^\n]*\n|[ \t]*\n)*)", _re.M)  # Sphinx, in eval_rst
_MD_LINK = _re.compile(r"\]\(<?([^)\s#<>]+\.(?:md|mdx|markdown))(?:#[^)]*)?>?\)")


def _toc_order(index: Path, seen: set[Path]) -> list[Path]:
    """d2l-style ```toc blocks and Sphinx `.. toctree::` directives, depth first: index.md, then each entry (an
    entry's own index expands)."""
    out = [index]
    seen.add(_real(index))
    try:
        text = index.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return out
    # both patterns need the letters "toc": most chapters have none, and the line-start scans cost more than this
    for block in (_TOC_BLOCK.findall(text) + _TOCTREE.findall(text)) if "toc" in text else ():
        for raw in block.splitlines():
            entry = raw.strip()
            if not entry or entry.startswith(":"):
                continue
            for candidate in (index.parent / f"{entry}.md", index.parent / entry / "index.md", index.parent / entry):
                if candidate.is_file() and _real(candidate) not in seen:
                    out.extend(_toc_order(candidate, seen))
                    break
    return out


def _summary_order(summary: Path) -> list[Path]:
    text = summary.read_text(encoding="utf-8", errors="replace")
    return [summary.parent / unquote(m) for m in _MD_LINK.findall(text)]


def _readme_order(readme: Path) -> list[Path]:
    """A book's front page that links its chapter files in order (README.md as a table of contents): counted as
    the reading order only when it links at least three of the folder's documents, most of them in subfolders."""
    if not readme.is_file():
        return []
    linked = [f for f in _summary_order(readme) if f.is_file()]
    nested = [f for f in linked if f.parent != readme.parent]
    return [readme, *linked] if len(linked) >= 3 and len(nested) * 2 >= len(linked) else []


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
    return _readme_order(folder / "README.md")


def in_reading_order(files: list[Path], folders: list[Path], config=None) -> list[Path]:
    """``files`` sorted by the reading order the walked folders declare; files it does not list keep their
    order, after the listed ones."""
    return ordered_with_groups(files, folders, config)[0]


def ordered_with_groups(files: list[Path], folders: list[Path], config=None) -> tuple[list[Path], dict[Path, int]]:
    """``files`` in reading order, and their reading-order groups (see ``Inputs.groups``): group 0 holds the files
    a declared order lists; a file no order lists is a group of its own, so that nothing is said to come before it."""
    rank: dict[Path, int] = {}
    for folder in folders:
        for f in book_order(folder, config):
            rank.setdefault(_real(f), len(rank))
    if rank:
        rank = _numbered_into(rank, files, folders)
        big = len(rank)
        ordered = sorted(files, key=lambda f: rank.get(_real(f), (big,)))
        groups = {_real(f): (0 if _real(f) in rank else 1 + i) for i, f in enumerate(ordered)}
        return ordered, groups
    # no index for the whole book: chapters in (natural) path order, and inside a chapter folder its own index's toc
    # (d2l-zh-v1: chapter_deep-learning-basics/index.md lists mlp before dropout). What that order declares: a
    # chapter's toc orders its files; numbered names order their siblings (chapter1.md, 第2章-x/2.1-y.md before
    # 第10章-z/10.1-w.md); a LaTeX folder keeps its path order (its \input order is the thesis's). Any other file
    # is a group of its own: nothing says where a reader meets it.
    files = sorted(files, key=_natural_key)
    positions = {_real(f): i for i, f in enumerate(files)}
    chapter_rank: dict[Path, tuple[int, int]] = {}
    for f in files:
        if f.name == "index.md" and _real(f) not in chapter_rank:
            text = f.read_text(encoding="utf-8", errors="replace")
            if "```toc" in text or ".. toctree::" in text:
                base = positions[_real(f)]
                for i, g in enumerate(_toc_order(f, set())):
                    chapter_rank.setdefault(_real(g), (base, i))
    # a LaTeX root (\documentclass) orders what it includes: the thesis's \input order, not the files' path order
    # (data/denotation.tex is read before data/chap01.tex)
    for f in files:
        fmt = format_for(str(f))
        if fmt is not None and fmt.follows_includes and _real(f) not in chapter_rank and _is_latex_root(f):
            base = positions[_real(f)]
            for i, g in enumerate(_latex_order(f, {_real(f)})):
                if _real(g) in positions:
                    chapter_rank.setdefault(_real(g), (base, i))
    ordered = sorted(files, key=lambda f: chapter_rank.get(_real(f), (positions[_real(f)], -1)))
    names: dict[tuple, int] = {}
    groups = {}
    for i, f in enumerate(ordered):
        r = chapter_rank.get(_real(f))
        fmt = format_for(str(f))
        if r is not None:
            name: tuple = ("toc", r[0])
        elif fmt is not None and fmt.follows_includes:
            name = ("includes",)
        elif (prefix := _numbered_prefix(f, folders)) is not None:
            name = ("numbered", prefix)
        else:
            name = ("alone", i)
        groups[_real(f)] = 1 + names.setdefault(name, len(names))
    return ordered, groups


def _numbered_into(rank: dict[Path, int], files: list[Path], folders: list[Path]) -> dict[Path, tuple]:
    """The index's order (file -> rank) as sort keys, with the files it does not list but whose numbered names place
    them among files it lists (ai-system-zh's README names chapter 4's sections without linking them: 4.2-x.md is
    read after 3.2-y.md and before 5-前言.md), where the index keeps the numbers' order for that folder."""
    keys: dict[Path, tuple] = {f: (r, 0, ()) for f, r in rank.items()}
    by_prefix: dict[tuple, list[Path]] = {}
    for f in files:
        prefix = _numbered_prefix(f, folders)
        if prefix is not None:
            by_prefix.setdefault(prefix, []).append(f)
    for members in by_prefix.values():
        members.sort(key=_natural_key)
        listed = [rank[_real(f)] for f in members if _real(f) in rank]
        if not listed or listed != sorted(listed):
            continue  # nothing listed there, or the index orders them otherwise than their numbers
        before = -1
        for f in members:
            real = _real(f)
            if real in rank:
                before = rank[real]
            else:
                keys[real] = (before, 1, _natural_key(f))
    return keys


_TEX_INCLUDE = _re.compile(r"\\(?:input|include|subfile)\s*\{([^{}\n]+)\}")


def _is_latex_root(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            head = fh.read(20000)
    except OSError:
        return False
    return any(line.lstrip().startswith("\\documentclass") for line in head.splitlines())


def _latex_order(root: Path, seen: set[Path]) -> list[Path]:
    """The files a LaTeX root includes, depth first in the order it includes them (commented lines skipped)."""
    try:
        text = root.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    out: list[Path] = []
    for line in text.splitlines():
        code = _re.split(r"(?<!\\)%", line, maxsplit=1)[0]
        for m in _TEX_INCLUDE.finditer(code):
            target = resolve_include(root, m.group(1).strip())
            if target is None or _real(target) in seen:
                continue
            seen.add(_real(target))
            out.append(target)
            out.extend(_latex_order(target, seen))
    return out


def _natural_key(path: Path) -> tuple:
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t) for t in _re.split(r"(\d+)", str(path)) if t)


_NUMBERED = _re.compile(r"^(?:(?:ch|chap|chapter|sec|section|part|appendix)[-_ ]?)?(\d+(?:[._-]\d+)*)|^第(\d+)[章节部篇]", _re.I)


def _numbered_prefix(path: Path, folders: list[Path]) -> tuple | None:
    """The folders above a file's numbered part (第10章-x/10.2-y.md -> the walked folder itself): the files with one
    prefix are ordered by their numbers. None when the file's own name carries no number."""
    if _NUMBERED.match(path.name) is None:
        return None
    parts = list(_real(path).parts[:-1])
    while parts and _NUMBERED.match(parts[-1]):
        parts.pop()
    return tuple(parts)
