"""Helpers shared by the engine tests (imported by conftest.py and the test modules)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from shared_guard import missing, present_or_missing  # noqa: F401  (re-exported for the corpus tests)

from nnterm_ls.analysis import Engine
from nnterm_ls.config import Config
from nnterm_ls.termbase import load_termbase

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
MINI_TERMS = FIXTURES / "mini-terms.yaml"
ENGINE_FIXTURES = FIXTURES / "engine"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"

OPEN, CLOSE = "⟦", "⟧"


def marked(src: str) -> tuple[str, list[tuple[int, int]]]:
    """Strip ⟦ ⟧ markers; return the plain text and the marked spans (offsets into the plain text)."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    start = None
    n = 0
    for ch in src:
        if ch == OPEN:
            assert start is None, "nested marker"
            start = n
        elif ch == CLOSE:
            assert start is not None, "unbalanced marker"
            spans.append((start, n))
            start = None
        else:
            out.append(ch)
            n += 1
    assert start is None, "unbalanced marker"
    return "".join(out), spans


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and code-point column, computed independently of the engine."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def mini_termbase(*extra):
    tb = load_termbase([MINI_TERMS, *extra], builtin=False)
    assert not [p for p in tb.problems if p.severity == "error"], tb.problems
    return tb



def make_engine(config: Config | None = None, extra_terms=(), **kw) -> Engine:
    return Engine(termbase=mini_termbase(*extra_terms), config=config or Config(), **kw)


def spans_of(engine: Engine, text: str, kind: str, path: str | None = None) -> list[tuple[int, int]]:
    path = path or ("doc.tex" if kind == "latex" else "doc.md")
    return [(o.start, o.end) for o in engine.analyze(path, text, kind).occurrences]


def check(engine: Engine, text: str, kind: str = "markdown", path: str | None = None):
    path = path or ("doc.tex" if kind == "latex" else "doc.md")
    return engine.check_text(path, text, kind)


def nnterm_command() -> list[str]:
    exe = Path(sys.executable).with_name("nnterm")
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-c", "import sys; from nnterm_ls.cli import main; sys.exit(main())"]



def corpus_or_skip() -> Path:
    """../shared/corpus, or skip the test (a failure when NNTERM_REQUIRE_SHARED=1, as in CI)."""
    if not CORPUS.is_dir():
        missing("../shared/corpus is not present")
    return CORPUS
