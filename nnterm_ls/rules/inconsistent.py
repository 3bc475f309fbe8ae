"""inconsistent: one concept rendered in two or more forms of the same language in a document set."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace

from ..i18n import t, verdict
from ..termbase.model import CASE_IGNORE, DEPRECATED, TERM
from ..textutil import lookup_key
from .base import Context, live, make_finding, replacement
from .findings import Applicability, Edit, Finding, Fix, Related

CODE = "inconsistent"


def groups(ctx: Context) -> dict[tuple[str, str, str], list]:
    """(concept, language, designation) -> [(reading order, doc, occurrence)] of the renderings that compete: the
    forms of one designation (one name and its translations); synonyms are other designations (computed once)."""
    if "consistency.groups" in ctx.memo:
        return ctx.memo["consistency.groups"]
    out: dict[tuple[str, str], list] = defaultdict(list)
    glossed: set[int] = set()  # occurrences that carry their own gloss (*Bayes定理*（Bayes' theorem）)
    glossary: dict[tuple[str, str, str], tuple[str, str]] = {}  # the set's own term list: key -> (form, where)
    listed: dict[tuple[str, str, str], tuple] = {}  # key -> (doc, occurrence) of its entry in the set's term list
    surfaces: Counter = Counter()  # every surface written in the set's prose, all concepts together
    order = 0
    for doc in ctx.docs:
        for occ, use in zip(doc.occurrences, doc.uses):
            if use.skip in ("glossary", "entry") and not occ.ambiguous and occ.form.kind == TERM:
                key = (occ.form.concept_id, occ.form.lang, occ.form.designation)
                glossary.setdefault(key, (occ.surface, f"{doc.path}:{doc.lines.line_of(occ.start) + 1}", use.entry))
                if use.skip == "glossary":
                    listed.setdefault(key, (doc, occ))
        for occ, use in live(doc):
            surfaces[occ.surface.lower()] += 1
            if use.glossed:
                glossed.add(id(occ))
            if use.in_gloss or use.definitional or occ.ambiguous or occ.miscased:
                continue
            form = occ.form
            if form.kind != TERM or form.status == DEPRECATED:
                continue
            out[(form.concept_id, form.lang, form.designation)].append((order, doc, occ))
            order += 1
    ctx.memo["consistency.groups"] = out
    ctx.memo["consistency.glossed"] = glossed
    ctx.memo["consistency.glossary"] = glossary
    ctx.memo["consistency.listed"] = listed
    ctx.memo["consistency.surfaces"] = surfaces
    return out


def usage(ctx: Context) -> dict[tuple[str, str, str], tuple[str, list[tuple[str, int]]]]:
    """(concept, language, designation) -> (the recommended rendering: configured, else the term base's; the
    renderings the set uses with their counts, most used first). What the inconsistency messages and the hover say
    (``i18n.verdict``), computed once per check (``Engine.check`` keeps it for the editor)."""
    if "consistency.usage" in ctx.memo:
        return ctx.memo["consistency.usage"]
    out = {}
    for (cid, lang, designation), items in groups(ctx).items():
        variants: dict[str, list] = defaultdict(list)
        for item in items:
            variants[item[2].variant_key].append(item)
        head = ctx.termbase.concepts[cid].designation_head(designation, lang)
        recommended = configured_for(ctx, cid, lang, designation) or (head.text if head is not None else items[0][2].form.text)
        rec_key = " ".join(lookup_key(recommended).split())
        # most used first; in a tie the recommended one, then the first used
        used = sorted(((_display_variant(v), len(v), (" ".join(k.lower().split()) != rec_key, v[0][0])) for k, v in variants.items()),
                      key=lambda u: (-u[1], u[2]))
        out[(cid, lang, designation)] = (recommended, [(text, n) for text, n, _first in used])
    ctx.memo["consistency.usage"] = out
    return out


def reported(ctx: Context) -> list[Finding]:
    """The inconsistent findings of the set (computed once; non-preferred skips what is reported here)."""
    if "consistency.reported" in ctx.memo:
        return ctx.memo["consistency.reported"]
    out: list[Finding] = []
    used_by = usage(ctx)
    for (cid, lang, designation), items in groups(ctx).items():
        variants: dict[str, list] = defaultdict(list)
        for item in items:
            variants[item[2].variant_key].append(item)
        configured = configured_for(ctx, cid, lang, designation)
        # a term list the set contains (Textbook/术语表.md, a 术语表 section) decides, like a configuration would;
        # so does a LaTeX glossary entry (its name is what \gls prints), even where no macro prints it yet
        from_glossary = entry_key = None
        if configured is None and (cid, lang, designation) in ctx.memo["consistency.glossary"]:
            listed, where, entry_key = ctx.memo["consistency.glossary"][(cid, lang, designation)]
            if entry_key is not None or any(
                    " ".join(k.lower().split()) == " ".join(lookup_key(listed).split()) for k in variants):
                configured, from_glossary = listed, where
        entry = ctx.memo["consistency.listed"].get((cid, lang, designation))
        if (entry is not None and lang == "zh" and from_glossary is None
                and configured_for(ctx, cid, lang, designation) is None and entry[1].variant_key not in variants):
            found = _list_entry_finding(ctx, entry, variants, used_by[(cid, lang, designation)], cid, designation)
            if found is not None:
                out.append(found)
        if len(variants) < 2 and configured is None:
            continue
        concept = ctx.termbase.concepts[cid]
        head = concept.designation_head(designation, lang)
        base_pref = head.text if head is not None else items[0][2].form.text
        inside = _inside_counts(variants, _surface_counts(ctx))
        kept_key = _kept_variant(variants, configured, base_pref, inside, ctx.memo["consistency.glossed"])
        infixes = ctx.rules.extra(CODE, "short_form_infixes", [])
        kept_items = variants.get(kept_key, [])
        kept_text = configured or (kept_items[0][2].form.text if kept_items else base_pref)
        if kept_items and kept_items[0][2].form.case != CASE_IGNORE:
            kept_text = kept_items[0][2].form.text
        elif kept_items and configured is None:
            kept_text = _display_variant(kept_items)
        kept_surface = kept_items[0][2].surface if kept_items else kept_text
        rivals = [key for key in variants
                  if not (key == kept_key or _elaborates(key, kept_key) or _short_form(key, kept_key, infixes)
                          or _abbreviated(variants[key][0][2].surface, kept_surface))]
        # the message says why the kept form is kept: configured, or the counts (a tie is said to be one)
        counts = [(kept_text, len(kept_items))] + sorted(
            ((_display_variant(variants[k]), len(variants[k])) for k in rivals), key=lambda c: -c[1])
        sep = "，" if lang == "zh" else ", "
        counts_text = sep.join(f"{text} ×{n}" for text, n in counts)
        # the uses inside the set's other terms count too; the message shows them when they are part of the choice
        within = [(text, inside.get(k, 0)) for text, k in zip([kept_text] + [_display_variant(variants[k]) for k in rivals],
                                                             [kept_key] + rivals)]
        within_text = ""
        if any(n for _t, n in within):
            within_text = ("（在其他术语中：" if lang == "zh" else " (inside other terms: ") + sep.join(
                f"{text} ×{n}" for text, n in within) + ("）" if lang == "zh" else ")")
        kept_total = len(kept_items) + inside.get(kept_key, 0)
        entry_macro = _entry_macro(ctx, entry_key) if entry_key is not None else None
        fix_key = "fix"
        if entry_macro is not None:
            message_key = "message_entry"
        elif from_glossary is not None:
            message_key, fix_key = "message_glossary", "fix_glossary"
        elif configured is not None:
            message_key, fix_key = "message_configured", "fix_configured"
        elif any(len(variants[k]) + inside.get(k, 0) == kept_total for k in rivals):
            message_key = "message_tie"
        else:
            message_key = "message"
        recommended, used = used_by[(cid, lang, designation)]
        if fix_key == "fix" and " ".join(lookup_key(kept_text).split()) == " ".join(lookup_key(recommended).split()):
            fix_key = "fix_recommended"  # the set's choice and the base's agree: said as the base's
        for key in rivals:
            vitems = variants[key]
            glossed = ctx.memo["consistency.glossed"]
            for _o, doc, occ in vitems:
                # a head the writer glosses is where a term is introduced: reported, but rewritten only by hand
                applicability = Applicability.UNSAFE if id(occ) in glossed else None
                ui = ctx.lang(doc)
                f = make_finding(ctx, doc, occ, CODE, replacement(occ, kept_text, lang, doc.text[occ.start : occ.end]),
                                 applicability=applicability, message_key=message_key, fix_key=fix_key, kept=kept_text,
                                 counts=counts_text, glossary=from_glossary or "", macro=entry_macro or "",
                                 verdict=verdict(recommended, used, ui))
                if within_text:
                    f.message += within_text
                if entry_macro is not None and occ.via is None:
                    # the thesis defines the term once: the editor offers to print it through the entry
                    f.suggestion = entry_macro
                    f.fix = Fix(ctx.rules.extra(CODE, "fix_entry").format(macro=entry_macro),
                                [Edit(occ.start, occ.end, entry_macro)], Applicability.UNSAFE)
                f.related = [Related(kd.path, ko.start, ko.end, t("related_kept", ui, kept=kept_text)) for _ko, kd, ko in kept_items[:3]]
                out.append(f)
    out.extend(_spelling_findings(ctx, {(f.path, f.start) for f in out}))
    ctx.memo["consistency.reported"] = out
    return out


# a hyphenated word of two lowercase parts, or a closed word long enough to be its closed spelling
_COMPOUND = re.compile(r"(?<![A-Za-z0-9-])(?:[A-Za-z][a-z]+-[a-z]{2,}|[A-Za-z][a-z]{4,})(?![A-Za-z0-9-])")


def _spelling_findings(ctx: Context, reported_at: set) -> list[Finding]:
    """A word shared by several compound terms, spelled two ways across them (mini-batch SGD, the mini-batch size,
    the minibatch size): one spelling inconsistency, though the phrases are three concepts. Only words that some
    term of the set writes hyphenated count; each spelling is looked for inside the set's English term occurrences."""
    spellings: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))  # closed key -> spelling -> items
    order = 0
    for doc in ctx.docs:
        for occ, use in live(doc):
            if occ.lang != "en" or use.in_gloss or use.definitional or occ.miscased or not occ.surface.isascii():
                continue
            source = doc.text[occ.start : occ.end]
            for m in _COMPOUND.finditer(source):
                word = m.group(0)
                key = word.replace("-", "").replace(" ", "").lower()
                spellings[key][word.lower()].append((order, doc, occ, occ.start + m.start(), occ.start + m.end(), word))
                order += 1
    out: list[Finding] = []
    for key, by_spelling in spellings.items():
        hyphenated = [w for w in by_spelling if "-" in w]
        if not hyphenated or len(by_spelling) < 2:
            continue
        candidates = by_spelling
        kept = min(candidates, key=lambda w: (-len(candidates[w]), min(i[0] for i in candidates[w])))
        counts = "，".join(f"{w} ×{len(items)}" for w, items in sorted(candidates.items(), key=lambda kv: -len(kv[1])))
        for word, items in candidates.items():
            if word == kept:
                continue
            for _o, doc, occ, start, end, written in items:
                if (doc.path, occ.start) in reported_at:
                    continue  # the term's own designation already reports this occurrence
                text = kept[:1].upper() + kept[1:] if written[:1].isupper() else kept
                part = replace(occ, start=start, end=end, surface=written)
                sep = "，" if doc.lang == "zh" else ", "
                out.append(make_finding(ctx, doc, part, CODE, text, message_key="message_spelling", kept=kept,
                                        counts=counts.replace("，", sep), glossary=""))
    return out


def _list_entry_finding(ctx: Context, entry, variants, usage_of, cid: str, designation: str) -> Finding | None:
    """The set's own term list renders a concept one way and its text, always, another (denotation: 直接偏好微调;
    every chapter: 直接偏好优化): the list entry is what an editor changes, by hand. Not when the list's form only
    elaborates, shortens or abbreviates the text's (混合专家模型 / 混合专家)."""
    doc, occ = entry
    head = ctx.termbase.concepts[cid].designation_head(designation, occ.form.lang)
    base_pref = head.text if head is not None else occ.form.text
    kept_key = _kept_variant(variants, None, base_pref, _inside_counts(variants, _surface_counts(ctx)),
                             ctx.memo["consistency.glossed"])
    kept_text = _display_variant(variants[kept_key])
    infixes = ctx.rules.extra(CODE, "short_form_infixes", [])
    if (_elaborates(occ.variant_key, kept_key) or _short_form(occ.variant_key, kept_key, infixes)
            or _abbreviated(occ.surface, variants[kept_key][0][2].surface)):
        return None
    recommended, used = usage_of
    ui = ctx.lang(doc)
    f = make_finding(ctx, doc, occ, CODE, replacement(occ, kept_text, occ.form.lang, doc.text[occ.start : occ.end]),
                     applicability=Applicability.UNSAFE, message_key="message_list_entry", kept=kept_text, counts="",
                     glossary="", macro="", verdict=verdict(recommended, used, ui))
    f.related = [Related(kd.path, ko.start, ko.end, t("related_kept", ui, kept=kept_text))
                 for _ko, kd, ko in variants[kept_key][:3]]
    return f


def run(ctx: Context) -> Iterator[Finding]:
    yield from reported(ctx)


def _entry_macro(ctx: Context, key: str) -> str | None:
    """The macro that prints a glossary entry's rendering: \\gls for an entry, the long form of an acronym."""
    glossary = ctx.memo.get("glossary")
    defined = glossary.entries.get(key) if glossary is not None else None
    if defined is None:
        return None
    kind = defined.entry.kind
    name = {"entry": "gls", "acronym": "acrlong", "abbreviation": "glsxtrlong", "acro": "acl"}[kind]
    return f"\\{name}{{{key}}}"


def configured_for(ctx: Context, cid: str, lang: str, designation: str) -> str | None:
    """The configured preferred rendering of a concept, if it renders this designation (a preference for 高斯分布
    says nothing about the synonym 正态分布)."""
    configured = ctx.preferences.get((cid, lang))
    if configured is None:
        return None
    owner = next((f.designation for f in ctx.termbase.find_forms(configured) if f.concept_id == cid), "")
    return configured if owner == designation else None


_DERIVATIONS = ("ization", "isation", "ation", "ing", "ed", "er", "ion", "al")


def _derived(a: str, b: str) -> bool:
    """Two words of one family (tokenize / tokenization, fit / fitting, broadcast / broadcasting): a verb and its
    noun are different words, not two spellings of one name."""
    if not (a.isascii() and b.isascii()) or " " in a.strip() or " " in b.strip():
        a_last, b_last = a.split()[-1:] or [""], b.split()[-1:] or [""]
        if a.split()[:-1] != b.split()[:-1]:
            return False
        a, b = a_last[0], b_last[0]
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    stems = {short, short.rstrip("e"), short[:-1] if short.endswith("y") else short}
    stems |= {st[:-3] + "is" for st in list(stems) if st.endswith("ize")} | {st[:-3] for st in list(stems) if st.endswith("ize")}
    if len(short) < 3:
        return False
    for stem in stems:
        rest = long[len(stem):] if long.startswith(stem) else None
        if rest and (rest in _DERIVATIONS or rest.lstrip(stem[-1:]) in _DERIVATIONS or rest in ("ation", "ization")):
            return True
    return False


def _elaborates(a: str, b: str) -> bool:
    """One rendering contains the other (互相关 / 互相关运算): an elaboration, not a competing rendering."""
    a, b = a.lower(), b.lower()
    if a == b or min(len(a), len(b)) < 2:
        return False
    if a.isascii() and b.isascii() and _derived(a, b):
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if short.isascii():
        # English renderings contain each other word by word only: "batch norm" is not inside "batch normalization"
        return re.search(r"(?<![a-z0-9])" + re.escape(short) + r"(?![a-z0-9])", long) is not None
    return short in long


_ABBR_IN_FORM = re.compile(r"[A-Z][A-Z0-9]{1,}")
_HAN_CHAR = re.compile(r"[\u3400-\u9fff]")


def _abbreviated(a: str, b: str) -> bool:
    """One rendering writes part of the name as its abbreviation (双向LSTM / 双向长短期记忆网络, GPU显存, mini-batch
    SGD / minibatch stochastic gradient descent): a short form, not a rival translation."""
    if bool(_ABBR_IN_FORM.search(a)) == bool(_ABBR_IN_FORM.search(b)):
        return False
    if _HAN_CHAR.search(a) and _HAN_CHAR.search(b):
        return True
    # mini-batch SGD / minibatch stochastic gradient descent: a phrase with an abbreviated word in it and the full one
    return a.isascii() and b.isascii() and " " in a.strip() and " " in b.strip()


def _short_form(a: str, b: str, infixes) -> bool:
    """One rendering is the other with a semantic infix left out (训练集 / 训练数据集, 卷积网络 / 卷积神经网络): both
    are standard names of the concept, not rival translations. The infixes are data (data/rules.yaml)."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    for infix in infixes:
        i = long.find(infix)
        while i > 0:
            if long[:i] + long[i + len(infix):] == short:
                return True
            i = long.find(infix, i + 1)
    return False


def _display_variant(items) -> str:
    """The spelling of a variant as written most often (lowercase when sentence-initial capitals vary)."""
    counts = Counter(occ.surface for _o, _d, occ in items)
    text = counts.most_common(1)[0][0]
    form = items[0][2].form
    if form.case == CASE_IGNORE:
        text = text.lower() if not form.text[:1].isupper() else text
        if items[0][2].plural:
            return form.text
    return text


def _surface_counts(ctx: Context) -> Counter:
    """How often each surface of a term is written in the set, all concepts together (counted in ``groups``' pass):
    汇聚 in 最大汇聚层 and 平均汇聚 counts for 汇聚 when the book's word for pooling is chosen."""
    groups(ctx)
    return ctx.memo["consistency.surfaces"]


def _inside_counts(variants: dict[str, list], usage: Counter) -> dict[str, int]:
    """How often each Chinese rendering is written inside the set's other terms (汇聚 in 最大汇聚层)."""
    inside: dict[str, int] = {}
    for key in variants:
        if _HAN_CHAR.search(key) and len(key) >= 2:
            inside[key] = sum(n for surface, n in usage.items() if key in surface and surface != key.lower())
    return inside


def _kept_variant(variants: dict[str, list], configured: str | None, base_pref: str, inside: dict[str, int] | None = None,
                  glossed: set | None = None) -> str:
    """The rendering kept: the configured one, else the one written most often (its uses inside the set's other
    terms counted), then the one the set introduces with a gloss, the base's preferred one, the first used."""
    if configured is not None:
        want = " ".join(lookup_key(configured).split())
        for key in variants:
            if " ".join(key.lower().split()) == want:
                return key
        return "\0configured"  # not used at all: every variant is reported
    pref_key = " ".join(base_pref.lower().replace("-", " ").split())
    inside = inside or {}

    def rank(key: str):
        items = variants[key]
        introduced = any(id(occ) in glossed for _o, _d, occ in items) if glossed else False
        return (-(len(items) + inside.get(key, 0)), 0 if introduced else 1, 0 if key.lower() == pref_key else 1,
                min(o for o, _d, _occ in items))

    return min(variants, key=rank)
