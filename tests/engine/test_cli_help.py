"""`--help` of every subcommand through the real command (issue 13): a sentence per flag, the output formats, the
exit codes and two examples; `nnterm --version`."""

from __future__ import annotations

import argparse
import re

import pytest

from nnterm_ls import __version__
from nnterm_ls.cli import build_parser

SUBCOMMANDS = ["check", "glossary", "lookup", "validate", "export", "import", "init"]


def subparsers():
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices


def test_every_subcommand_is_covered():
    assert sorted(subparsers()) == sorted(SUBCOMMANDS)


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_help_explains_every_flag_and_has_exit_codes_and_examples(nnterm, name):
    proc = nnterm(name, "--help")
    assert proc.returncode == 0 and proc.stderr == ""
    out = proc.stdout
    assert out.startswith(f"usage: nnterm {name}")
    assert "\nexit status:\n" in out
    codes = re.findall(r"^  ([012])  ?\S", out.split("\nexit status:\n")[1], re.M)
    assert "0" in codes and "2" in codes
    examples = out.split("\nexamples:\n")[1]
    assert len(re.findall(r"^  nnterm " + name + r"\b", examples, re.M)) == 2
    for action in subparsers()[name]._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help and len(action.help.split()) >= 3, (name, action.dest)  # a sentence, not a word


def test_check_help_lists_the_output_formats(nnterm):
    out = nnterm("check", "--help").stdout
    formats = out.split("\noutput formats:\n")[1].split("\n\n")[0]
    for fmt in ("text", "json", "sarif", "github", "rdjson"):
        assert re.search(rf"^  {fmt}\s{{2,}}\S", formats, re.M), fmt
    for flag in ("--min-severity", "--show-hints", "--quiet", "--color", "--diff", "--fix", "--select", "--ignore",
                 "--config", "--no-learn", "--stdin-filename", "--format"):
        assert flag in out


def test_top_level_help_and_version(nnterm):
    proc = nnterm("--help")
    assert proc.returncode == 0
    for name in SUBCOMMANDS:
        assert re.search(rf"^    {name}\s+\S", proc.stdout, re.M), name
    proc = nnterm("--version")
    assert (proc.returncode, proc.stdout) == (0, f"nnterm {__version__}\n")
    proc = nnterm()
    assert proc.returncode == 2 and "usage: nnterm" in proc.stderr


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_help_describes_the_output_and_wraps_the_description(nnterm, name):
    out = nnterm(name, "--help", env={"COLUMNS": "80"}).stdout
    assert re.search(r"\noutput formats:\n  \S", out), name
    description = out.split("\n\n")[1]
    assert len(description.split()) >= 8 and max(map(len, description.splitlines())) <= 80, description


def test_unknown_rule_code_of_select_suggests_the_code(nnterm, tmp_path):
    (tmp_path / "a.md").write_text("x\n", encoding="utf-8")
    proc = nnterm("check", "a.md", "--select", "casng", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("nnterm: unknown rule code 'casng' (did you mean 'casing'?) (known: ")


@pytest.mark.parametrize("command", [["lookup", "学习率"], ["export", "--format", "csv", "-o", "out.csv"]])
def test_a_broken_terms_file_exits_2_and_does_nothing(nnterm, tmp_path, command):
    (tmp_path / "mine.yaml").write_text("concepts:\n  - id: Bad Id\n    en: x\n", encoding="utf-8")
    for terms in ("mine.yaml", "missing.yaml"):
        proc = nnterm(*command, "--terms", terms, cwd=tmp_path)
        assert proc.returncode == 2 and proc.stdout == "", proc.stderr
        assert f"nnterm: term file error: {terms}:" in proc.stderr
        assert proc.stderr.splitlines()[-1] == "nnterm: a term file given with --terms has errors; nothing was done"
        assert not (tmp_path / "out.csv").exists()
