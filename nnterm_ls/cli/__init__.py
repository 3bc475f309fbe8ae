"""The `nnterm` command: check, lookup, validate, export, import.

Exit codes (a contract): 0 success / nothing of warning or above found; 1 findings (check), an unknown term (lookup)
or an invalid term file (validate); 2 usage, configuration or I/O error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .. import __version__


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # usage errors exit 2, as argparse does, with our prefix
        self.print_usage(sys.stderr)
        print(f"nnterm: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _epilog(formats: str | None, exits: str, examples: list[tuple[str, str]]) -> str:
    parts = []
    if formats:
        parts.append("output formats:\n" + formats)
    parts.append("exit status:\n" + exits)
    parts.append("examples:\n" + "\n".join(f"  {cmd}\n      {what}" for cmd, what in examples))
    return "\n\n".join(parts)


CHECK_FORMATS = """\
  text    path:line:col: severity [code] message (compiler style; coloured on a terminal); summary on stderr
  json    one array of findings (path, line, column, end_line, end_column, code, severity, message, found,
          suggestion, concept, fixable, related, learned_from)
  sarif   SARIF 2.1.0, for GitHub code scanning and other SARIF viewers
  github  GitHub Actions workflow commands (::warning file=…::message): annotations on a pull request
  rdjson  reviewdog's Diagnostic Format (reviewdog -f=rdjson), with suggestions"""

CHECK_EXITS = """\
  0  nothing of severity warning or above was shown (--diff: nothing would change)
  1  something of severity warning or above was shown (--diff: a file would change)
  2  usage, configuration or I/O error (a broken .nnterm.yaml stops the run before anything is checked)"""


def build_parser() -> argparse.ArgumentParser:
    from ..rules.registry import RULE_CODES
    from ..severity import SEVERITIES

    parser = _Parser(
        prog="nnterm",
        description="Neural-network terminology in Chinese and English: check documents, look terms up, manage the "
                    "term base. Run 'nnterm COMMAND --help' for the flags of a command.",
        epilog=_epilog(None, "  0 success, 1 findings or an unknown term, 2 usage, configuration or I/O error",
                       [("nnterm check thesis/main.tex", "check a LaTeX thesis (its \\input chapters too)"),
                        ("nnterm lookup 批归一化", "show the concept 批归一化 names and its preferred rendering")]),
    )
    parser.add_argument("--version", action="version", version=f"nnterm {__version__}",
                        help="print the version of nnterm and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = sub.add_parser(
        "check", help="check Markdown and LaTeX documents for terminology problems",
        description="Check Markdown, MDX and LaTeX documents for terminology problems. All the documents given are "
                    "checked together, as one document set (a rendering used in chapter 1 and a rival one in "
                    "chapter 3 are inconsistent); LaTeX \\input and \\include are followed.",
        epilog=_epilog(CHECK_FORMATS, CHECK_EXITS, [
            ("nnterm check docs/ --show-hints", "check a Markdown book and show the hints (missing glosses) too"),
            ("nnterm check thesis/main.tex --diff", "show what --fix would change, as a unified diff, without writing"),
        ]))
    check.add_argument("paths", nargs="+", metavar="PATH",
                       help="files or folders to check; folders are walked for .md, .markdown, .mdx, .tex and .ltx "
                            "files, honouring .gitignore; '-' reads standard input")
    check.add_argument("--format", choices=["text", "json", "sarif", "github", "rdjson"], default="text",
                       help="output format (default: text); see 'output formats' below")
    check.add_argument("--min-severity", choices=list(SEVERITIES), metavar="LEVEL",
                       help="show only findings of this severity or above: error, warning, info or hint (default: "
                            "warning for text and github, where hidden findings are counted in the summary; every "
                            "finding for json, sarif and rdjson); also limits what --fix and --diff change")
    check.add_argument("--show-hints", action="store_true",
                       help="show hints and info too in text and github output (the same as --min-severity hint)")
    check.add_argument("-q", "--quiet", action="store_true",
                       help="print the findings only: no summary line, no progress bar, no report of --fix")
    check.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                       help="colour the text output: auto (default) colours on a terminal only, never when piped, "
                            "and honours NO_COLOR and FORCE_COLOR")
    check.add_argument("--fix", action="store_true",
                       help="apply every safe fix and rewrite the files atomically, then report what was fixed and "
                            "what is left; with '-', the fixed text goes to standard output")
    check.add_argument("--diff", action="store_true",
                       help="dry run of --fix: print a unified diff of what it would change and leave every file "
                            "untouched (exit 1 if anything would change)")
    check.add_argument("--select", action="append", metavar="CODE",
                       help=f"run only this rule (repeatable): {', '.join(RULE_CODES)}")
    check.add_argument("--ignore", action="append", metavar="CODE", help="skip this rule (repeatable)")
    check.add_argument("--config", metavar="FILE",
                       help="use this configuration file (default: the nearest .nnterm.yaml in the first PATH's "
                            "folder or above)")
    check.add_argument("--no-learn", action="store_true",
                       help="do not learn renderings from the documents' own glosses (config: learn: false)")
    check.add_argument("--cache", action="store_true", default=None,
                       help="reuse the analyses of unchanged documents, and the whole result when nothing changed, "
                            "from the check cache (config: cache: true); cross-file rules give what they give "
                            "without it")
    check.add_argument("--no-cache", dest="cache", action="store_false",
                       help="do not use the check cache even when the configuration turns it on")
    check.add_argument("--cache-dir", metavar="DIR",
                       help="the check cache's folder (config: cache_dir; default: nnterm-ls/check in the user's "
                            "cache folder)")
    check.add_argument("--stdin-filename", metavar="NAME",
                       help="the name of the document read from '-': shown in the output, and its suffix picks the "
                            "format (default: Markdown)")

    lookup = sub.add_parser(
        "lookup", help="show the concept each term names",
        description="Show the concept each TERM names: English in any case, plural or hyphen/space variant, "
                    "Chinese, abbreviation or pinyin; unknown terms get close matches suggested.",
        epilog=_epilog("  text (default): the concept view; --json: one JSON array, an element per TERM",
                       "  0 every TERM was found\n  1 a TERM is unknown\n  2 usage error",
                       [("nnterm lookup 批归一化", "the concept, its preferred rendering and the status of 批归一化"),
                        ("nnterm lookup --json relu dropout", "two terms as JSON, for scripts")]))
    lookup.add_argument("terms", nargs="+", metavar="TERM", help="a term in Chinese or English, or an abbreviation")
    lookup.add_argument("--json", action="store_true", help="print one JSON array, an element per TERM")
    lookup.add_argument("--terms", dest="term_files", action="append", default=[], metavar="FILE",
                        help="an extra term file layered over the built-in base (repeatable)")

    validate = sub.add_parser(
        "validate", help="check the built-in term base or the given term files",
        description="Check term files: YAML syntax, unknown keys, missing preferred terms, duplicate ids, a form "
                    "claimed by two concepts without being marked ambiguous, related ids that do not exist.",
        epilog=_epilog("  file:line:col: error: message, one a line; a count on standard error",
                       "  0 no errors\n  1 an error was found\n  2 usage error",
                       [("nnterm validate", "check the built-in term base"),
                        ("nnterm validate terms/lab-terms.yaml", "check your own term file layered over it")]))
    validate.add_argument("files", nargs="*", metavar="FILE",
                          help="term files to check over the built-in base (default: the built-in base itself)")

    export = sub.add_parser(
        "export", help="write the whole term base",
        description="Write the whole term base (and any extra term files) as CSV, TBX-Basic or JSON.",
        epilog=_epilog("  csv: a row per form (lossless); tbx: TBX-Basic (ISO 30042) for CAT tools; json: an array "
                       "of concepts as lookup --json prints them",
                       "  0 written\n  2 usage or I/O error",
                       [("nnterm export --format tbx -o nnterm.tbx", "for memoQ or Trados"),
                        ("nnterm export --format csv | head", "the first rows as CSV")]))
    export.add_argument("--format", choices=["csv", "tbx", "json"], required=True, help="the format to write")
    export.add_argument("-o", "--output", metavar="FILE", help="write to this file (default: standard output)")
    export.add_argument("--terms", dest="term_files", action="append", default=[], metavar="FILE",
                        help="an extra term file to include (repeatable)")

    imp = sub.add_parser(
        "import", help="read CSV, TBX or JSON into a YAML term file",
        description="Read CSV, TBX or JSON (or a plain English,Chinese CSV) and write a YAML term file to list under "
                    "terms: in .nnterm.yaml.",
        epilog=_epilog("  a YAML term file (data/schema/terms.schema.json)",
                       "  0 imported\n  1 the input cannot be read as the format\n  2 usage or I/O error",
                       [("nnterm import glossary.csv -o terms/lab-terms.yaml", "a plain English,Chinese glossary"),
                        ("nnterm import team.tbx --category lab", "a TBX file, its concepts in the category lab")]))
    imp.add_argument("file", metavar="FILE", help="the file to import")
    imp.add_argument("--format", choices=["csv", "tbx", "json"], help="its format (default: from the file name)")
    imp.add_argument("-o", "--output", metavar="FILE", help="write to this file (default: standard output)")
    imp.add_argument("--category", help="category of the imported concepts")

    init = sub.add_parser(
        "init", help="write a commented .nnterm.yaml for a folder",
        description="Write a commented .nnterm.yaml for FOLDER: the rules and their default severities, the reading "
                    "order found (a LaTeX root file, a Markdown book's index), and with --from-text the renderings "
                    "the text already uses most as preferred. An existing configuration is never overwritten.",
        epilog=_epilog(None, "  0 written\n  1 a configuration already exists (nothing written)\n"
                             "  2 usage or I/O error",
                       [("nnterm init", "a .nnterm.yaml for the current folder"),
                        ("nnterm init thesis --from-text", "with the renderings thesis/ already uses as preferred")]))
    init.add_argument("folder", nargs="?", default=".", metavar="FOLDER", help="the project folder (default: .)")
    init.add_argument("--from-text", action="store_true",
                      help="check the folder's documents and write the rendering used most of every concept "
                           "written in two ways as its preferred rendering")
    init.add_argument("--stdout", action="store_true", help="print the configuration instead of writing the file")
    return parser


def main(argv: list[str] | None = None) -> int:
    status = _main(argv)
    if argv is None:
        # run as the command: flush and leave without the interpreter's teardown (freeing every object of a large
        # check one by one takes tens of milliseconds and changes nothing); callers passing argv get a return
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (BrokenPipeError, ValueError):
            pass
        os._exit(status)
    return status


def _main(argv: list[str] | None) -> int:
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
        if args.command == "init":
            from .init import run_init

            return run_init(args)
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
