"""synonym: one concept named by two of its designations in a document set (正态分布 and 高斯分布).

Both names are standard, so this is off by default; authors who want one name per concept turn it on. The name
kept is the designation used most often (ties: the concept's main designation, then first use).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

from . import inconsistent
from ..i18n import t
from .base import Context, make_finding, replacement
from .findings import Applicability, Finding, Related

CODE = "synonym"


def run(ctx: Context) -> Iterator[Finding]:
    by_concept: dict[tuple[str, str], dict[str, list]] = defaultdict(dict)
    for (cid, lang, designation), items in inconsistent.groups(ctx).items():
        by_concept[(cid, lang)][designation] = items
    for (cid, lang), designations in by_concept.items():
        if len(designations) < 2:
            continue
        counts = Counter({d: len(items) for d, items in designations.items()})
        kept = min(designations, key=lambda d: (-counts[d], d != "", min(o for o, _d, _occ in designations[d])))
        concept = ctx.termbase.concepts[cid]
        head = concept.designation_head(kept, lang)
        kept_items = designations[kept]
        kept_text = head.text if head is not None else kept_items[0][2].form.text
        for designation, items in designations.items():
            if designation == kept:
                continue
            for _o, doc, occ in items:
                # a synonym is a writer's choice: the editor offers the change, bulk fixes never make it
                f = make_finding(ctx, doc, occ, CODE, replacement(occ, kept_text, lang),
                                 applicability=Applicability.UNSAFE, kept=kept_text)
                f.related = [Related(kd.path, ko.start, ko.end, t("related_kept", ctx.lang(doc), kept=kept_text)) for _ko, kd, ko in kept_items[:3]]
                yield f
