"""Shared test helpers: run the real `nnterm` command as a subprocess, with its own cache directory."""

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


@pytest.fixture
def run_nnterm(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")

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
