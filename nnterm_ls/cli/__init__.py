"""The `nnterm` command: check, lookup, validate, export, import.

Exit codes (a contract): 0 success / nothing of warning or above found; 1 findings (check), an unknown term (lookup)
or an invalid term file (validate); 2 usage, configuration or I/O error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .. import __version__


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors exit 2, as argparse does, with our prefix
        self.print_usage(sys.stderr)
        print(f"nnterm: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    from ..rules.registry import RULE_CODES

    parser = _Parser(prog="nnterm", description="Neural-network terminology in Chinese and English: check, look up, manage the term base.")
    parser.add_argument("--version", action="version", version=f"nnterm {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = sub.add_parser("check", help="check Markdown and LaTeX documents for terminology problems")
    check.add_argument("paths", nargs="+", metavar="PATH", help="files or folders; '-' reads standard input")
    check.add_argument("--format", choices=["text", "json", "sarif", "github"], default="text")
    check.add_argument("--fix", action="store_true", help="apply every safe fix and rewrite the files")
    check.add_argument("--select", action="append", metavar="CODE", help=f"only these rules ({', '.join(RULE_CODES)})")
    check.add_argument("--ignore", action="append", metavar="CODE", help="skip these rules")
    check.add_argument("--config", metavar="FILE", help="configuration file (default: nearest .nnterm.yaml)")
    check.add_argument("--no-learn", action="store_true",
                       help="do not learn renderings from the documents' own glosses (config: learn: false)")
    check.add_argument("--stdin-filename", metavar="NAME", help="name (and so format) of the document read from '-'")

    lookup = sub.add_parser("lookup", help="show the concept each term names")
    lookup.add_argument("terms", nargs="+", metavar="TERM")
    lookup.add_argument("--json", action="store_true", help="print one JSON array, an element per TERM")
    lookup.add_argument("--terms", dest="term_files", action="append", default=[], metavar="FILE", help="extra term file")

    validate = sub.add_parser("validate", help="check the built-in term base or the given term files")
    validate.add_argument("files", nargs="*", metavar="FILE")

    export = sub.add_parser("export", help="write the whole term base")
    export.add_argument("--format", choices=["csv", "tbx", "json"], required=True)
    export.add_argument("-o", "--output", metavar="FILE", help="default: standard output")
    export.add_argument("--terms", dest="term_files", action="append", default=[], metavar="FILE", help="extra term file")

    imp = sub.add_parser("import", help="read CSV, TBX or JSON into a YAML term file")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--format", choices=["csv", "tbx", "json"], help="default: from the file name")
    imp.add_argument("-o", "--output", metavar="FILE", help="default: standard output")
    imp.add_argument("--category", help="category of the imported concepts")
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")
        except (AttributeError, ValueError):
            pass
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        if args.command == "check":
            from .check import run_check

            return run_check(args)
        if args.command == "lookup":
            return _lookup(args)
        if args.command == "validate":
            return _validate(args)
        if args.command == "export":
            return _export(args)
        if args.command == "import":
            return _import(args)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    return 2


def _load(term_files):
    from ..termbase import load_termbase

    tb = load_termbase(term_files)
    for p in tb.problems:
        if p.severity == "error":
            print(f"nnterm: term file error: {p}", file=sys.stderr)
    return tb


def _lookup(args) -> int:
    from ..termview import render_concept

    tb = _load(args.term_files)
    results = [(term, tb.lookup(term)) for term in args.terms]
    if args.json:
        print(json.dumps([[c.to_json() for c in concepts] for _t, concepts in results], ensure_ascii=False, indent=2))
    else:
        blocks = []
        for term, concepts in results:
            if not concepts:
                suggestions = tb.suggest(term)
                hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
                blocks.append(f"{term}: unknown term{hint}")
                continue
            if len(concepts) > 1:
                blocks.append(f"{term}: names {len(concepts)} concepts")
            blocks.extend(render_concept(c, term, tb) for c in concepts)
        print("\n\n".join(blocks))
    return 0 if all(c for _t, c in results) else 1


def _validate(args) -> int:
    from ..paths import builtin_term_files
    from ..termbase.loader import Builder

    b = Builder()
    for f in builtin_term_files():
        b.add_file(f)
    given = [str(Path(f)) for f in args.files]
    for f in given:
        b.add_file(f, user=True)
    concepts, problems = b.finish()
    if given:
        wanted = {str(Path(f).resolve()) for f in given}
        problems = [p for p in problems if str(Path(p.path).resolve()) in wanted]
    for p in problems:
        print(str(p))
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    scope = f"{len(given)} file(s)" if given else f"built-in base ({len(builtin_term_files())} files)"
    print(f"{scope}: {len(concepts)} concepts, {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if errors else 0


def _export(args) -> int:
    from ..termbase.interchange import export_csv, export_json, export_tbx

    tb = _load(args.term_files)
    concepts = list(tb.concepts.values())
    text = {"csv": export_csv, "tbx": export_tbx, "json": export_json}[args.format](concepts)
    return _write(text, args.output)


def _import(args) -> int:
    from ..termbase.interchange import ImportError_, records_from, term_file

    path = Path(args.file)
    fmt = args.format or {".csv": "csv", ".tbx": "tbx", ".xml": "tbx", ".json": "json"}.get(path.suffix.lower())
    if fmt is None:
        print(f"nnterm: cannot tell the format of {path}; pass --format csv|tbx|json", file=sys.stderr)
        return 2
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"nnterm: {path}: cannot read: {exc}", file=sys.stderr)
        return 2
    try:
        records = records_from(text, fmt)
    except ImportError_ as exc:
        print(f"nnterm: {path}: {exc}", file=sys.stderr)
        return 1
    rc = _write(term_file(records, args.category), args.output)
    print(f"nnterm: imported {len(records)} concepts from {path}", file=sys.stderr)
    return rc


def _write(text: str, output: str | None) -> int:
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"nnterm: {output}: cannot write: {exc}", file=sys.stderr)
            return 2
    else:
        sys.stdout.write(text)
    return 0
