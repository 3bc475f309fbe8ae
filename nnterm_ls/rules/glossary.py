"""glossary: a LaTeX glossary the set cannot read as written — a use of a key no entry defines, an entry defined
twice, an unbalanced brace in a definition (resolve.glossary collects them; the rest of the set is checked as usual).
"""

from __future__ import annotations

from collections.abc import Iterator

from .base import Context
from .findings import Finding, Related

CODE = "glossary"
_KEYS = {"undefined": "message", "duplicate": "message_duplicate", "unbalanced": "message_unbalanced",
         "empty-key": "message_empty"}


def findings(ctx: Context, doc, pos: int) -> Iterator[Finding]:
    """The glossary problems (collected over the set by resolve.glossary) that stand in this document."""
    glossary = ctx.memo.get("glossary")
    if not glossary or not glossary.problems:
        return
    for p in glossary.problems:
        if p.path != doc.path:
            continue
        message = ctx.rules.message(CODE, doc.lang, _KEYS[p.kind], entry=p.key, where=p.detail, command=p.detail)
        f = Finding(path=p.path, start=p.start, end=p.end, code=CODE, severity=ctx.rules.severity(CODE),
                    message=message, found=doc.text[p.start : p.end])
        if p.related is not None:
            f.related = [Related(p.related[0], p.related[1], p.related[2], "first definition")]
        yield f
