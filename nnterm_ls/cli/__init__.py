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


class _Formatter(argparse.HelpFormatter):
    """Descriptions (one paragraph) are wrapped to the terminal; the epilog's laid-out sections are kept as written."""

    def _fill_text(self, text, width, indent):
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
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
    check.add_argument("--jobs", "-j", type=int, metavar="N",
                       help="analyse the documents in N processes (default: one per idle CPU, up to 4, for 256 KB "
                            "of text or more on Linux; 1: in this process only); the findings are the same")
    check.add_argument("--stdin-filename", metavar="NAME",
                       help="the name of the document read from '-': shown in the output, and its suffix picks the "
                            "format (default: Markdown)")

    gloss = sub.add_parser(
        "glossary", help="write the term table of the concepts a document set uses (术语表, 缩略语表)",
        description="Write the bilingual term table of the concepts the documents use: Chinese, English, "
                    "abbreviation and where each is first used (file:line, or the LaTeX label of its section). Only "
                    "terms the set uses, in the renderings it uses after consistency (learned renderings included). "
                    "The documents are read as 'nnterm check' reads them (LaTeX \\input followed).",
        epilog=_epilog(
            "  latex     --style denotation: ThuThesis \\item[ABBR] 全称（English） in a denotation environment\n"
            "            --style glossaries: \\newglossaryentry / \\newacronym definitions, ready to \\input\n"
            "            --style table: a longtable (\\usepackage{longtable})\n"
            "  markdown  a table under a 术语表 heading\n"
            "  csv       zh, en, abbreviation, first_use, label, concept, key\n"
            "  tbx       TBX-Basic, one conceptEntry per row",
            "  0 the table was written\n  2 usage, configuration or I/O error",
            [("nnterm glossary thesis/main.tex --style denotation -o data/denotation.tex",
              "the thesis's 缩略语表 for ThuThesis, sorted by pinyin"),
             ("nnterm glossary docs/ --format markdown --sort en", "a Markdown term table sorted by English")]))
    gloss.add_argument("paths", nargs="+", metavar="PATH", help="files or folders, as for 'nnterm check'")
    gloss.add_argument("--format", choices=["latex", "markdown", "csv", "tbx"], default="latex",
                       help="output format (default: latex)")
    gloss.add_argument("--style", choices=["denotation", "glossaries", "table"], default="denotation",
                       help="LaTeX style (default: denotation); only with --format latex")
    gloss.add_argument("--sort", choices=["pinyin", "en"], default="pinyin",
                       help="order of the rows: by the pinyin of the Chinese (default) or by the English")
    gloss.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    gloss.add_argument("--config", metavar="FILE", help="use this configuration file (default: the nearest .nnterm.yaml)")

    lookup = sub.add_parser(
        "lookup", help="show the concept each term names",
        description="Show the concept each TERM names: English in any case, plural or hyphen/space variant, "
                    "Chinese, abbreviation or pinyin; unknown terms get close matches suggested.",
        epilog=_epilog("  text (default): the concept view; --json: one JSON array, an element per TERM",
                       "  0 every TERM was found\n  1 a TERM is unknown\n"
                       "  2 usage error, or a --terms file that cannot be read or has errors",
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
                       "  0 written\n  2 usage or I/O error, or a --terms file that cannot be read or has errors "
                       "(nothing is written)",
                       [("nnterm export --format tbx -o nnterm.tbx", "for memoQ or Trados"),
                        ("nnterm export --format csv | head", "the first rows as CSV")]))
    export.add_argument("--format", choices=["csv", "tbx", "json"], required=True, help="the format to write")
    export.add_argument("-o", "--output", metavar="FILE", help="write to this file (default: standard output)")
    export.add_argument("--terms", dest="term_files", action="append", default=[], metavar="FILE",
                        help="an extra term file to include (repeatable)")

    imp = sub.add_parser(
        "import", help="read a glossary or term base into a term file layered over the built-in base",
        description="Read a glossary or a term base (CSV, TSV, TBX, JSON, or the tables of a Markdown glossary) and "
                    "write a YAML term file to list under terms: in .nnterm.yaml. The file is layered over the "
                    "built-in base: a concept the base already has is written as an overlay of only what the input "
                    "adds or changes, and said so above it and on standard error; the built-in preferred rendering "
                    "is changed only where the input states a preferred term (TBX administrativeStatus "
                    "preferredTerm-admn-sts, a status column, a JSON form's status) or with --prefer-input.",
        epilog=_epilog(
            "  the term file (on standard output, or -o FILE): its first line points editors at the schema "
            "installed\n  with nnterm; on standard error a line per built-in concept it changes, a note per thing "
            "left out\n  or kept, and a count line",
            "  0 imported\n  1 the input cannot be read as the format (or the file written does not load: a bug)\n"
            "  2 usage or I/O error (a file that is not UTF-8 included)",
            [("nnterm import glossary.csv -o terms/lab-terms.yaml", "a plain English,Chinese glossary"),
             ("nnterm import team.tbx --prefer-input -o terms/team.yaml",
              "a TBX file whose first term of each entry is preferred, even over the built-in one")]))
    imp.add_argument("file", metavar="FILE", help="the file to import (UTF-8)")
    imp.add_argument("--format", choices=["csv", "tsv", "tbx", "json", "markdown"],
                     help="its format (default: from the file name: .csv, .tsv or .tab, .tbx or .xml, .json, .md)")
    imp.add_argument("-o", "--output", metavar="FILE", help="write the term file here (default: standard output)")
    imp.add_argument("--category", help="the category of the new concepts (default: the file name of the term file)")
    imp.add_argument("--prefer-input", action="store_true",
                     help="take the input's preferred term also where it only implies one (the first term of a TBX "
                          "entry without administrativeStatus, the first rendering of a glossary row without a "
                          "status column); without it, only a stated preferred term replaces a built-in one")
    imp.add_argument("--standalone", action="store_true",
                     help="write every concept of the input in full, without comparing it with the built-in base "
                          "(for a term base of its own)")
    imp.add_argument("-q", "--quiet", action="store_true",
                     help="print only the count line, not the change of every built-in concept")

    init = sub.add_parser(
        "init", help="write a commented .nnterm.yaml for a folder",
        description="Write a commented .nnterm.yaml for FOLDER: the rules and their default severities, the reading "
                    "order found (a LaTeX root file, a Markdown book's index), and with --from-text the renderings "
                    "the text already uses most as preferred. An existing configuration is never overwritten.",
        epilog=_epilog("  a commented .nnterm.yaml written into FOLDER (with --stdout: printed on standard output "
                       "instead)",
                       "  0 written\n  1 a configuration already exists (nothing written)\n"
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
        if args.command == "glossary":
            return _glossary(args)
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
    """The base with the --terms files over it, or None when one of those files has an error (each is printed; the
    command then exits 2 without output, as check does for a broken configuration)."""
    from ..termbase import load_termbase

    tb = load_termbase(term_files)
    errors = [p for p in tb.problems if p.severity == "error"]
    for p in errors:
        print(f"nnterm: term file error: {p}", file=sys.stderr)
    given = {str(Path(f).resolve()) for f in term_files}
    if any(str(Path(p.path).resolve()) in given for p in errors):
        print("nnterm: a term file given with --terms has errors; nothing was done", file=sys.stderr)
        return None
    return tb


def _lookup(args) -> int:
    from ..termview import render_concept

    tb = _load(args.term_files)
    if tb is None:
        return 2
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
    if tb is None:
        return 2
    concepts = list(tb.concepts.values())
    text = {"csv": export_csv, "tbx": export_tbx, "json": export_json}[args.format](concepts)
    return _write(text, args.output)


IMPORT_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".tbx": "tbx", ".xml": "tbx", ".json": "json",
                   ".md": "markdown", ".markdown": "markdown"}


def _import(args) -> int:
    from ..paths import schema_path
    from ..termbase import load_termbase
    from ..termbase.interchange import ImportError_, records_from, term_file
    from ..termbase.layering import describe, layered_term_file, plan
    from ..termbase.loader import layer_over

    path = Path(args.file)
    fmt = args.format or IMPORT_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        print(f"nnterm: cannot tell the format of {path}; pass --format csv|tsv|tbx|json|markdown", file=sys.stderr)
        return 2
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        print(f"nnterm: {path}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8 and import "
              "it again", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"nnterm: {path}: cannot read: {exc}", file=sys.stderr)
        return 2
    try:
        records = records_from(text, fmt)
    except ImportError_ as exc:
        print(f"nnterm: {path}: {exc}", file=sys.stderr)
        return 1
    schema = schema_path("terms.schema.json").resolve().as_uri()
    if args.standalone:
        rc = _write(term_file(records, args.category, schema), args.output)
        if rc == 0:
            print(f"nnterm: {path}: {len(records)} concepts written in full (not compared with the built-in base)",
                  file=sys.stderr)
        return rc
    base = load_termbase()
    p = plan(records, base, prefer_input=args.prefer_input, category=args.category)
    out = layered_term_file(p, path.name, schema, __version__)
    # the file must load over the built-in base without an error: say so if it does not (and write it anyway)
    import pickle

    copy = pickle.loads(pickle.dumps(base.concepts))
    target = args.output or "<imported>"
    _c, problems = layer_over(copy, [], [Path(target)], texts={str(Path(target)): out})
    errors = [pr for pr in problems if pr.severity == "error" and pr.path == str(Path(target))]
    rc = _write(out, args.output)
    if rc:
        return rc
    if not args.quiet:
        for change in p.changed:
            print(f"nnterm: changes {describe(change)}", file=sys.stderr)
        for change in p.changes:
            for note in change.kept:
                print(f"nnterm: note: {change.id}: {note}", file=sys.stderr)
    where = f"; written to {args.output}" if args.output else ""
    print(f"nnterm: {path}: {len(records)} entries read, {len(p.changes)} concepts: {len(p.changed)} change built-in concepts, "
          f"{len(p.unchanged)} already in the built-in base as they are (not written), {len(p.new)} new"
          + (f", {len(p.dropped)} left out" if p.dropped else "") + where, file=sys.stderr)
    for pr in errors:
        print(f"nnterm: the imported file has a problem (please report it): {pr}", file=sys.stderr)
    return 1 if errors else 0


def _glossary(args) -> int:
    from ..analysis import Engine
    from ..config import find_config, load_config_checked
    from ..termtable import term_table
    from ..workspace import collect, discover

    if args.style != "denotation" and args.format != "latex":
        print("nnterm: --style applies to --format latex only", file=sys.stderr)
        return 2
    if args.config:
        config, errors = load_config_checked(args.config)
    else:
        start = Path(args.paths[0])
        found = find_config(start if start.exists() else Path.cwd())
        config, errors = load_config_checked(found) if found else (None, [])
    if errors:
        for e in errors:
            print(f"{e.where()}: error: {e.message}", file=sys.stderr)
        return 2
    engine = Engine(config=config)
    inputs = discover(args.paths, engine.config)
    status = 0
    for err in inputs.errors:
        print(f"nnterm: {err}", file=sys.stderr)
        status = 2
    if not inputs.files:
        return 2

    def analyse(f: Path):
        nonlocal status
        try:
            return engine.analyze(str(f), f.read_bytes().decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError) as exc:
            print(f"nnterm: {f}: cannot read: {exc}", file=sys.stderr)
            status = 2
            return None

    docs = collect(inputs.files, analyse)
    where = str(Path(args.output).resolve().parent) if args.output else None
    text = term_table(engine, docs, args.format, args.style, args.sort, relative_to=where)
    return _write(text, args.output) or status


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
