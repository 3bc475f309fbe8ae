"""Pinyin keys of Chinese forms, from the character table generated at build time (no pypinyin at run time)."""

from __future__ import annotations

from functools import lru_cache
from itertools import islice, product

from ..paths import data_dir

MAX_READINGS = 16  # combinations tried per form; heteronyms beyond that are rare in terms


@lru_cache(maxsize=1)
def char_table() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    with open(data_dir() / "pinyin" / "chars.tsv", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            ch, _, readings = line.rstrip("\n").partition("\t")
            if ch and readings:
                table[ch] = tuple(readings.split())
    return table


def readings(text: str) -> list[list[str]]:
    """Syllable lists for every reading of ``text`` (Latin letters and digits pass through as one syllable)."""
    table = char_table()
    per_char: list[tuple[str, ...]] = []
    latin = ""
    for ch in text:
        if ch in table:
            if latin:
                per_char.append((latin.lower(),))
                latin = ""
            per_char.append(table[ch])
        elif ch.isascii() and ch.isalnum():
            latin += ch
        else:
            if latin:
                per_char.append((latin.lower(),))
                latin = ""
    if latin:
        per_char.append((latin.lower(),))
    if not per_char:
        return []
    return [list(r) for r in islice(product(*per_char), MAX_READINGS)]


def keys(text: str) -> tuple[set[str], set[str]]:
    """(full pinyin keys, initials keys) of a Chinese form: 激活函数 -> {'jihuohanshu', ...}, {'jhhs', ...}."""
    full: set[str] = set()
    initials: set[str] = set()
    for syllables in readings(text):
        full.add("".join(syllables))
        initials.add("".join(s[0] for s in syllables))
    return full, initials
