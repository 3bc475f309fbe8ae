"""Where the bundled data lives: inside the package in a wheel, beside it in a source checkout."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PKG = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def data_dir() -> Path:
    for candidate in (_PKG / "data", _PKG.parent / "data"):
        if (candidate / "terms").is_dir():
            return candidate
    raise FileNotFoundError("nnterm-ls data directory not found (expected nnterm_ls/data or ./data)")


def builtin_term_files() -> list[Path]:
    return sorted((data_dir() / "terms").glob("*.yaml"))


def schema_path(name: str) -> Path:
    return data_dir() / "schema" / name
