"""deprecated: a deprecated rendering (outdated or wrong)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..termbase.model import DEPRECATED
from .base import Context, live, make_finding, replacement
from .findings import Applicability, Finding

CODE = "deprecated"


def run(ctx: Context) -> Iterator[Finding]:
    for pos, doc in enumerate(ctx.docs):
        yield from findings(ctx, doc, pos)


def findings(ctx: Context, doc, pos: int) -> Iterator[Finding]:
    """One document's findings (the rule reads nothing of the other documents)."""
    for occ, use in live(doc):
        if occ.ambiguous or occ.form.status != DEPRECATED:
            continue
        preferred = ctx.preferred_text(occ.form.concept_id, occ.form.lang)
        if use.glossed and _glossed_with(doc.prose.masked, occ.end, preferred):
            continue  # 变换器（Transformer）: the rendering beside the name it would become; not a word to replace
        # a glossed head introduces the term (长短期存储器（long short-term memory）): rewritten only by hand
        applicability = Applicability.UNSAFE if use.glossed else None
        yield make_finding(ctx, doc, occ, CODE, replacement(occ, preferred, occ.form.lang, doc.text[occ.start : occ.end]),
                           applicability=applicability, preferred=preferred)


_GLOSS_AFTER = re.compile(r"[ \t\x00\x01]*[（(]([^（）()\n]{1,80})[）)]")


def _fold(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch not in " \t\x00\x01-")


def _glossed_with(masked: str, end: int, preferred: str) -> bool:
    """The parenthesis right after the occurrence holds exactly the preferred form."""
    m = _GLOSS_AFTER.match(masked, end)
    return m is not None and _fold(m.group(1)) == _fold(preferred)
