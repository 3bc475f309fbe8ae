"""non-preferred: an admitted rendering where the base (or the configuration) prefers another."""

from __future__ import annotations

from collections.abc import Iterator

from ..termbase.model import ADMITTED, PREFERRED
from . import inconsistent
from .base import Context, make_finding, replacement
from .findings import Finding

CODE = "non-preferred"


def run(ctx: Context) -> Iterator[Finding]:
    # an occurrence already reported as inconsistent is not reported twice
    taken = {(f.path, f.start) for f in inconsistent.reported(ctx)} if ctx.rules.enabled(inconsistent.CODE) else set()
    for (cid, lang, designation), items in inconsistent.groups(ctx).items():
        configured = inconsistent.configured_for(ctx, cid, lang, designation)
        head = ctx.termbase.concepts[cid].designation_head(designation, lang)
        if configured is None and head is None:
            continue
        preferred = configured or head.text
        for _o, doc, occ in items:
            if (doc.path, occ.start) in taken or occ.form.head:
                continue
            if occ.form.status == ADMITTED and occ.form.text != preferred or (
                configured and occ.form.text != configured and occ.form.status == PREFERRED
            ):
                yield make_finding(ctx, doc, occ, CODE, replacement(occ, preferred, lang), preferred=preferred)
