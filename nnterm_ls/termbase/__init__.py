"""Term base: concepts with their English and Chinese forms, loaded from YAML term files."""

from __future__ import annotations

import os

from .base import TermBase
from .loader import Problem, load_concepts, read_term_file
from .model import (
    ABBREVIATION,
    ADMITTED,
    CODE,
    DEPRECATED,
    PREFERRED,
    TERM,
    Concept,
    Form,
)


def load_termbase(user_files: list[str | os.PathLike] = (), *, builtin: bool = True, texts: dict[str, str] | None = None) -> TermBase:
    """The built-in base with the user's term files layered over it; problems are on ``.problems``."""
    if builtin and texts is None:
        from .compiled import load_compiled

        compiled = load_compiled(user_files)  # concepts, index and matcher table in one read
        if compiled is not None:
            return compiled
    concepts, problems = load_concepts(user_files, builtin=builtin, texts=texts)
    return TermBase(concepts, problems)


__all__ = [
    "TermBase", "Problem", "Concept", "Form", "load_termbase", "load_concepts", "read_term_file",
    "PREFERRED", "ADMITTED", "DEPRECATED", "TERM", "ABBREVIATION", "CODE",
]
