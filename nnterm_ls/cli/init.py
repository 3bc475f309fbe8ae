"""`nnterm init`: a commented `.nnterm.yaml` for a folder, never written over an existing one.

It says what it found: a LaTeX root file (checked with its \\input chapters), a Markdown book's index (the reading
order), and with ``--from-text`` the rendering of each concept the text already uses most, written as ``preferred``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ..config import CONFIG_NAMES, Config
from ..rules.registry import builtin_rules
from ..workspace import discover

_DOCUMENTCLASS = re.compile(r"^[^%\n]*\\documentclass\b", re.M)
_BEGIN_DOCUMENT = re.compile(r"^[^%\n]*\\begin\{document\}", re.M)


def latex_roots(folder: Path, files: list[Path]) -> list[Path]:
    """The .tex files that are a document's root: \\documentclass and \\begin{document}."""
    out = []
    for f in files:
        if f.suffix.lower() not in (".tex", ".ltx"):
            continue
        try:
            text = f.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if _DOCUMENTCLASS.search(text) and _BEGIN_DOCUMENT.search(text):
            out.append(f)
    return out


def markdown_index(folder: Path) -> tuple[str, str] | None:
    """(file, what it is) of the index a Markdown book declares its reading order in, as `nnterm check` reads it."""
    index = folder / "index.md"
    if index.is_file() and "```toc" in index.read_text(encoding="utf-8", errors="replace"):
        return "index.md", "```toc blocks (d2l / Sphinx)"
    for name in ("SUMMARY.md", "src/SUMMARY.md"):
        if (folder / name).is_file():
            return name, "mdBook"
    if (folder / "mkdocs.yml").is_file():
        return "mkdocs.yml", "MkDocs nav"
    return None


def dominant_renderings(folder: Path, files: list[Path]) -> dict[str, dict[str, tuple[str, list[str]]]]:
    """concept id -> lang -> (the rendering used most, the rival renderings found), for every concept the text
    renders in two or more ways (what the `inconsistent` rule keeps, with no preference configured)."""
    from ..analysis import Engine

    engine = Engine(config=Config(), select=["inconsistent"])
    docs = []
    for f in files:
        try:
            docs.append(engine.analyze(str(f), f.read_bytes().decode("utf-8-sig")))
        except (OSError, UnicodeDecodeError):
            continue
    out: dict[str, dict[str, tuple[str, list[str]]]] = {}
    for findings in engine.check(docs).values():
        for f in findings:
            if f.code != "inconsistent" or not f.concept_id or f.suggestion is None or f.learned_from:
                continue
            concept = engine.termbase.get(f.concept_id)
            form = next((x for x in concept.forms if x.text == f.suggestion), None) if concept else None
            if form is None:  # a spelling of a form, or a learned rendering: not something `preferred` can name
                continue
            kept, rivals = out.setdefault(f.concept_id, {}).get(form.lang, (form.text, []))
            if f.found not in rivals:
                rivals.append(f.found)
            out[f.concept_id][form.lang] = (kept, rivals)
    return out


def render(folder: Path, files: list[Path], from_text: bool) -> tuple[str, list[str]]:
    """The configuration text and what was found (for the message on standard error)."""
    notes: list[str] = []
    lines = [
        "# nnterm configuration (written by `nnterm init`). Every setting is optional: a commented-out line shows",
        "# the setting and its default. Reference: the README's \"Configuration: .nnterm.yaml\".",
        "",
    ]
    roots = latex_roots(folder, files)
    md = [f for f in files if f.suffix.lower() in (".md", ".markdown", ".mdx")]
    if roots:
        names = ", ".join(str(r.relative_to(folder)) for r in roots)
        notes.append(f"LaTeX root {names}")
        lines += [f"# LaTeX root file{'s' if len(roots) > 1 else ''}: {names}",
                  f"# Check with `nnterm check {roots[0].relative_to(folder)}`: its \\input/\\include chapters are "
                  "followed and read in that order.", ""]
    index = markdown_index(folder)
    if index:
        notes.append(f"reading order from {index[0]}")
        lines += [f"# Reading order of the Markdown files: from {index[0]} ({index[1]}). To set it yourself:",
                  "# order: [preface.md, \"chapters/*.md\"]", ""]
    elif len(md) > 1:
        listed = ", ".join(f'"{f.relative_to(folder)}"' for f in md[:8]) + (", ..." if len(md) > 8 else "")
        lines += ["# Reading order of the Markdown files (for abbreviations defined in an earlier chapter and the first",
                  "# mention that wants a gloss): path order unless listed here, e.g.",
                  f"# order: [{listed}]", ""]
    lines += ["# Rules: code -> off | on | error | warning | info | hint (or {severity: …, enabled: …}); defaults shown.",
              "# rules:"]
    for code, spec in builtin_rules().items():
        value = spec.severity if spec.enabled else "off"
        lines.append(f"#   {code}: {value}".ljust(48) + f"# {spec.summary}")
    lines.append("")
    chosen = dominant_renderings(folder, files) if from_text else {}
    if chosen:
        notes.append(f"{len(chosen)} preferred rendering{'s' if len(chosen) != 1 else ''} from the text")
        lines += ["# The rendering this project uses, per concept id (`nnterm lookup TERM` shows a term's id).",
                  "# Written by --from-text: the rendering the text uses most; the others found are in the comments.",
                  "preferred:"]
        for cid in sorted(chosen):
            by_lang = chosen[cid]
            others = "; ".join(f"also: {', '.join(r)}" for _k, r in by_lang.values())
            if len(by_lang) == 1:
                (_lang, (kept, _r)), = by_lang.items()
                entry = f"  {cid}: {_quote(kept)}"
            else:
                entry = f"  {cid}: {{" + ", ".join(f"{lang}: {_quote(k)}" for lang, (k, _r) in sorted(by_lang.items())) + "}"
            lines.append(entry.ljust(48) + f"# {others}")
    else:
        lines += ["# The rendering this project uses, per concept id (`nnterm lookup TERM` shows a term's id);",
                  "# `nnterm init --from-text` writes the renderings the text already uses most.",
                  "# preferred:",
                  "#   batch-normalization: 批量归一化",
                  "#   dropout: {zh: 暂退法, en: dropout}"]
    lines += [
        "",
        "# terms: [terms/lab-terms.yaml]              # extra term files, relative to this file",
        "# ignore: [BN层]                             # words never matched as terms",
        "# latex:",
        "#   skip_commands: [mycite, codeword]        # commands whose arguments are not prose",
        "#   skip_environments: [algorithm]",
        "# exclude: [drafts/]                         # gitignore-style patterns of files not to check",
        "# learn: true                                # learn renderings from the text's own glosses",
        "",
    ]
    return "\n".join(lines), notes


def _quote(text: str) -> str:
    import json

    return text if re.fullmatch(r"[\w\u4e00-\u9fff][\w\u4e00-\u9fff .-]*", text) and not text.endswith(" ") else json.dumps(text, ensure_ascii=False)


def run_init(args) -> int:
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"nnterm: {folder}: no such folder", file=sys.stderr)
        return 2
    existing = next((folder / n for n in CONFIG_NAMES if (folder / n).exists()), None)
    if existing is not None and not args.stdout:
        print(f"nnterm: {existing} already exists; nothing was written (nnterm init never overwrites a "
              "configuration; use --stdout to see what it would write)", file=sys.stderr)
        return 1
    files = discover([str(folder)], Config()).files
    text, notes = render(folder, files, args.from_text)
    if args.stdout:
        sys.stdout.write(text)
        return 0
    target = folder / CONFIG_NAMES[0]
    try:
        with open(target, "x", encoding="utf-8") as out:  # "x": fails rather than overwrite
            out.write(text)
    except FileExistsError:
        print(f"nnterm: {target} already exists; nothing was written", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"nnterm: {target}: cannot write: {exc}", file=sys.stderr)
        return 2
    found = f" ({'; '.join(notes)})" if notes else ""
    print(f"nnterm: wrote {target}{found}", file=sys.stderr)
    return 0
