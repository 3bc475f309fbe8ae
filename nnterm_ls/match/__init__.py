"""Term matching: prose -> occurrences of the term base's forms."""

from __future__ import annotations

from functools import lru_cache

from ..paths import data_dir
from .matcher import Matcher, Normalized, Occurrence, first_ending_after, first_starting_at_or_after, is_han, normalize


@lru_cache(maxsize=1)
def builtin_blockers() -> tuple[str, ...]:
    """Ordinary words that overlap term strings (data/blockers.txt, one a line, # comments)."""
    path = data_dir() / "blockers.txt"
    if not path.exists():
        return ()
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.append(line)
    return tuple(words)


__all__ = ["Matcher", "Occurrence", "Normalized", "normalize", "is_han", "builtin_blockers", "first_ending_after",
           "first_starting_at_or_after"]
