"""Character-level normalisation shared by the term base (lookup keys) and the matcher.

Every function here preserves length where the matcher depends on it (``fold_chars``), so offsets into a folded
string are offsets into the original.
"""

from __future__ import annotations

import re

# Full-width Latin letters and digits -> ASCII, and hyphen-like marks -> space so that "back-propagation",
# "back propagation" and "back‐propagation" fold to one key. Full-width punctuation (，：（）) is left alone: it is
# ordinary Chinese punctuation and terms never contain it.
_LETTERS = [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]
_FULLWIDTH_ONLY = {cp: cp - 0xFEE0 for cp in _LETTERS}
_FOLD = dict(_FULLWIDTH_ONLY)
for _dash in ("-", "\u2010", "\u2011", "\u2012", "\uff0d"):
    _FOLD[ord(_dash)] = 0x20

_WS = re.compile(r"\s+")
# a space between Latin and Han is typographic (F1 分数, ROC 曲线), not part of the term
_LATIN_HAN_SPACE = re.compile(
    r"(?<=[A-Za-z0-9])\s+(?=[\u3400-\u9fff\uf900-\ufaff])|(?<=[\u3400-\u9fff\uf900-\ufaff])\s+(?=[A-Za-z0-9])"
)


_FULLWIDTH = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_RARE = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff0d\u2010-\u2012]")


def fold_chars(text: str) -> str:
    """Length-preserving fold: full-width to ASCII, dashes to space, lowercase."""
    # str.translate with a table is slow on large texts: only run it when a rare character is present
    out = text.replace("-", " ")
    if _RARE.search(out):
        out = _RARE.sub(lambda m: m.group().translate(_FOLD), out)
    low = out.lower()
    if len(low) == len(out):
        return low
    # A few characters change length when lowercased (U+0130): fall back to per-character folding.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in out)


def squeezed(text: str) -> str:
    """The text without its spaces and hyphens (Hugging Face, HuggingFace; all-reduce, allreduce: one string)."""
    return re.sub(r"[ \-\u2010\u2011]", "", text)


def halfwidth(text: str) -> str:
    """Full-width Latin letters and digits to ASCII, nothing else."""
    return text.translate(_FULLWIDTH_ONLY) if _FULLWIDTH.search(text) else text


def lookup_key(text: str) -> str:
    """The key a form is found under: folded, whitespace collapsed, trimmed."""
    return _LATIN_HAN_SPACE.sub("", _WS.sub(" ", fold_chars(text)).strip())


def english_plurals(word: str) -> list[str]:
    """Plural spellings of an English term (only the last word is inflected)."""
    if not word or not word[-1].isalpha():
        return []
    last = word[-1]
    low = word.lower()
    if word.isupper() and len(word) <= 6:  # CNNs, GANs
        return [word + "s"]
    if low.endswith(("s", "x", "z", "ch", "sh")):
        return [word + "es"]
    if low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        return [word[:-1] + ("IES" if last.isupper() else "ies")]
    return [word + ("S" if last.isupper() and word.isupper() else "s")]


def singulars(key: str) -> list[str]:
    """Candidate singular forms of a folded English key, for looking up what a user typed."""
    out = []
    if key.endswith("ies") and len(key) > 4:
        out.append(key[:-3] + "y")
    if key.endswith("es") and len(key) > 3:
        out.append(key[:-2])
    if key.endswith("s") and len(key) > 2:
        out.append(key[:-1])
    return out
