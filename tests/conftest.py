"""Shared test helpers: run the real `nnterm` command as a subprocess, over one warm term-base cache.

Every `nnterm` and `nnterm-ls` process of the session shares ``nnterm_cache`` (warmed once, before the first test
that uses it), so no test pays for building the built-in base from YAML. Tests of the cache itself use a cache
directory of their own (``fresh_cache`` below, or ``NNTERM_CACHE_DIR`` set by the test).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared_guard import missing

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def nnterm_command() -> list[str]:
    exe = Path(sys.executable).with_name("nnterm")
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-c", "import sys; from nnterm_ls.cli import main; sys.exit(main())"]


@pytest.fixture(scope="session")
def nnterm_cache(tmp_path_factory) -> Path:
    """One term-base cache directory for the session, warmed with the built-in base."""
    cache = tmp_path_factory.mktemp("nnterm-cache")
    env = {**os.environ, "NNTERM_CACHE_DIR": str(cache), "PYTHONIOENCODING": "utf-8"}
    env.pop("NNTERM_NO_CACHE", None)
    proc = subprocess.run([*nnterm_command(), "lookup", "学习率"], env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert list((cache / "nnterm-ls").glob("base-*.pickle")), "warming the term-base cache wrote no cache file"
    return cache


@pytest.fixture
def fresh_cache(tmp_path_factory) -> Path:
    """An empty cache directory, for a test about the cache itself (pass it as NNTERM_CACHE_DIR in ``env``)."""
    return tmp_path_factory.mktemp("cold-cache")


@pytest.fixture
def run_nnterm(nnterm_cache):
    cache = nnterm_cache

    def run(*args: str, cwd: Path | None = None, input: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
        full_env = {**os.environ, "NNTERM_CACHE_DIR": str(cache), "PYTHONIOENCODING": "utf-8", **(env or {})}
        return subprocess.run(
            [*nnterm_command(), *args],
            cwd=cwd,
            input=input,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=full_env,
            timeout=300,
        )

    return run


def shared_or_skip() -> Path:
    """../shared, or skip the test (a failure when NNTERM_REQUIRE_SHARED=1, as in CI)."""
    if not SHARED.is_dir():
        missing("../shared is not present")
    return SHARED
