"""What a corpus test does when ../shared (the real corpora) is missing: skip on a developer's machine, fail in CI.

``.ci/run`` exports ``NNTERM_REQUIRE_SHARED=1``, so a CI run without the corpora (or with a corpus that moved) is a
failure, never a silently shorter suite.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REQUIRE_SHARED = "NNTERM_REQUIRE_SHARED"


def shared_required() -> bool:
    return os.environ.get(REQUIRE_SHARED) == "1"


def missing(reason: str):
    """Skip the test, or fail it when ``NNTERM_REQUIRE_SHARED=1``."""
    if shared_required():
        pytest.fail(f"{reason} ({REQUIRE_SHARED}=1: the corpus tests must run)", pytrace=False)
    pytest.skip(reason)


def present_or_missing(path: Path, reason: str) -> Path:
    """``path`` when it exists; otherwise skip or fail (see ``missing``)."""
    if not path.exists():
        missing(reason)
    return path
