"""Where the term-base caches live and the version of their format: all the compiled base's fingerprint needs, so
that computing it (``nnterm check --cache`` answered from the check cache) imports neither the model nor YAML."""

from __future__ import annotations

import os
from pathlib import Path


def _cache_dir() -> Path | None:
    if os.environ.get("NNTERM_NO_CACHE"):
        return None
    base = os.environ.get("NNTERM_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "nnterm-ls"


CACHE_FORMAT = "3"  # bump when the pickled model changes shape (2: designations, 3: sense cues)
