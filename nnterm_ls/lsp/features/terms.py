"""What is under the cursor: the occurrence of a term, or else a known word."""

from __future__ import annotations

from ...analysis import occurrence_at

_WORD = frozenset("-_")


def forms_at(termbase, analysis, text: str, offset: int):
    """(forms, start, end, occurrence) of the term under the cursor: a matched occurrence, or a known Latin word
    (in code, or a form the matcher skipped); (None, offset, offset, None) when there is none."""
    occ = occurrence_at(analysis, offset)
    if occ is not None:
        return occ.forms, occ.start, occ.end, occ
    i = j = offset
    while i > 0 and text[i - 1].isascii() and (text[i - 1].isalnum() or text[i - 1] in _WORD):
        i -= 1
    while j < len(text) and text[j].isascii() and (text[j].isalnum() or text[j] in _WORD):
        j += 1
    if j > i:
        forms = termbase.find_forms(text[i:j])
        if forms:
            return forms, i, j, None
    return None, offset, offset, None
