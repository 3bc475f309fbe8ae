"""Fixtures for the analysis-engine and `nnterm check` tests.

Expected positions are written into the test text with markers: ``⟦学习率⟧`` marks a span that must be found.
``marked()`` (engine_helpers.py) strips the markers and returns the text and the expected spans, so no expected
offset is copied from the program's output.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from engine_helpers import Config, Engine, mini_termbase, nnterm_command


@pytest.fixture(scope="session")
def mini_engine() -> Engine:
    return Engine(termbase=mini_termbase(), config=Config())


@pytest.fixture
def nnterm(nnterm_cache):
    """Run the real `nnterm` command; returns CompletedProcess (text mode, UTF-8). The term-base cache is the
    session's warm one (tests/conftest.py); pass ``env={"NNTERM_CACHE_DIR": ...}`` for a cold one."""
    cache = nnterm_cache

    def run(*args, cwd=None, input=None, env=None) -> subprocess.CompletedProcess:
        full_env = {**os.environ, "NNTERM_CACHE_DIR": str(cache), "PYTHONIOENCODING": "utf-8", **(env or {})}
        return subprocess.run(
            [*nnterm_command(), *map(str, args)],
            cwd=cwd, input=input, capture_output=True, text=True, encoding="utf-8", env=full_env, timeout=300,
        )

    return run


@pytest.fixture
def nnterm_json(nnterm):
    """Run `nnterm check --format json ...`; return (exit code, findings list or None, stderr)."""

    def run(*args, **kw):
        proc = nnterm("check", "--format", "json", *args, **kw)
        assert proc.returncode in (0, 1, 2), proc.stderr
        data = json.loads(proc.stdout) if proc.stdout.strip() else None
        return proc.returncode, data, proc.stderr

    return run
