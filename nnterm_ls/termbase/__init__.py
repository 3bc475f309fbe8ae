"""Term base: concepts with their English and Chinese forms, loaded from YAML term files."""

from __future__ import annotations

import os

import importlib

# imported when first used (PEP 562): `nnterm check --cache` answered from the check cache reads only the compiled
# base's fingerprint and never loads the model, the loader or YAML
_LAZY = {"TermBase": "base", "Problem": "loader", "load_concepts": "loader", "read_term_file": "loader",
         **{name: "model" for name in ("ABBREVIATION", "ADMITTED", "CODE", "DEPRECATED", "PREFERRED", "TERM",
                                       "Concept", "Form")}}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def load_termbase(user_files: list[str | os.PathLike] = (), *, builtin: bool = True, texts: dict[str, str] | None = None) -> "TermBase":
    """The built-in base with the user's term files layered over it; problems are on ``.problems``."""
    if builtin and texts is None:
        from .compiled import load_compiled

        compiled = load_compiled(user_files)  # concepts, index and matcher table in one read
        if compiled is not None:
            return compiled
    from .base import TermBase
    from .loader import load_concepts

    concepts, problems = load_concepts(user_files, builtin=builtin, texts=texts)
    return TermBase(concepts, problems)


__all__ = [
    "TermBase", "Problem", "Concept", "Form", "load_termbase", "load_concepts", "read_term_file",
    "PREFERRED", "ADMITTED", "DEPRECATED", "TERM", "ABBREVIATION", "CODE",
]
