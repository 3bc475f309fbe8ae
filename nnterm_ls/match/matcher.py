"""Term matching: one Aho-Corasick automaton (leftmost-longest) over the normalised prose of a document.

Normalisation turns the masked prose into the text a reader sees: markup removed, a line wrap between two Han
characters removed, other whitespace runs collapsed to one space, full-width Latin folded, dashes and underscores
folded to spaces, lowercase. A piecewise map takes every normalised offset back to the source.

The automaton holds every form (and English plurals) plus a list of ordinary words ("blockers", e.g. 通过) that
contain or overlap term strings: leftmost-longest lets 通过 consume its characters so that 过学习 never fires inside
通过学习, and 深度学习 wins over 学习率 in 深度学习率先.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from operator import attrgetter

import ahocorasick_rs

from ..extract.prose import HARD
from ..termbase.base import TermBase
from ..termbase.model import CASE_EXACT, CASE_IGNORE, CODE, Form
from ..textutil import english_plurals, fold_chars, halfwidth, lookup_key

_RUN = re.compile(r"[\x00\s]{2,}|[\x00\t\n\r\f\v]")
_HAN_RANGES = ((0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
_DASHES = str.maketrans({"-": " ", "\u2010": " ", "\u2011": " ", "\u2012": " ", "\uff0d": " ", "_": " "})
_IDENT_JOINERS = "_."  # a Latin match glued to these and more letters is part of an identifier (bert.base)


def is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0003134f"


_LATIN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _is_latin(ch: str) -> bool:
    return ch in _LATIN_CHARS


def _in_identifier(masked: str, start: int, end: int) -> bool:
    """`d2l-pytorch-sagemaker`, `_get_batch_bert`, `bert.base`: code-like words in prose. (Not a slash:
    "PyTorch/TensorFlow" is prose.)"""
    if start >= 2 and masked[start - 1] in _IDENT_JOINERS + "-" and _is_latin(masked[start - 2]):
        return True
    if start >= 1 and masked[start - 1] == "_":
        return True
    if end + 1 < len(masked) and masked[end] in _IDENT_JOINERS and _is_latin(masked[end + 1]):
        return True
    return end < len(masked) and masked[end] == "_"


def _joins(before: str, after: str, wrapped: bool) -> bool:
    """Whitespace a reader does not see as a word break: a line wrap between Han characters, or any space
    between Han and Latin (Chinese typography spaces them: 使用 ReLU 激活, F1 分数)."""
    han_before, han_after = is_han(before), is_han(after)
    if han_before and han_after:
        return wrapped
    return (han_before and _is_latin(after)) or (han_after and _is_latin(before))


@dataclass(slots=True)
class Normalized:
    text: str  # folded: what the automaton reads
    surface: str  # same offsets, original case and dashes: what the writer wrote, minus markup
    norm_starts: list[int]
    src_starts: list[int]

    def to_source(self, i: int) -> int:
        k = bisect_right(self.norm_starts, i) - 1
        return self.src_starts[k] + (i - self.norm_starts[k])


_HAN_CLASS = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Whitespace and markup whose normalised length differs from its source length: runs of two or more, soft markup,
# and the single characters that join (a line wrap between Han, a space between Han and Latin). A lone space or
# newline anywhere else becomes one space and keeps its length, so it needs no entry in the offset map.
_CHANGING = re.compile(
    # every alternative starts with a whitespace or soft character, so the regex engine scans fast; whether a
    # single whitespace character joins (Han on one side) is decided by _joins
    r"[\x00\s]{2,}|\x00"
    rf"|\s(?=[{_HAN_CLASS}A-Za-z0-9])"
)
_SINGLE_WS = str.maketrans({"\n": " ", "\t": " ", "\r": " ", "\f": " ", "\v": " "})


def normalize(masked: str) -> Normalized:
    half = halfwidth(masked)
    folded = fold_chars(masked)
    pieces: list[str] = []
    surface: list[str] = []
    norm_starts: list[int] = []
    src_starts: list[int] = []
    pos = 0
    npos = 0
    n = len(folded)
    for m in _CHANGING.finditer(folded):
        a, b = m.span()
        run = m.group()
        if run.strip("\x00") == "":
            repl = ""
        elif run.count("\n") >= 2:
            repl = HARD  # a paragraph break (blank line): no term spans it
        elif a > 0 and b < n and _joins(folded[a - 1], folded[b], "\n" in run):
            repl = ""
        elif len(run) == 1:
            continue  # a single whitespace character that stays: same length, handled below
        else:
            repl = " "
        if a > pos:
            pieces.append(folded[pos:a])
            surface.append(half[pos:a])
            norm_starts.append(npos)
            src_starts.append(pos)
            npos += a - pos
        if repl:
            pieces.append(repl)
            surface.append(repl)
            norm_starts.append(npos)
            src_starts.append(a)
            npos += 1
        pos = b
    if pos < n or not norm_starts:
        pieces.append(folded[pos:])
        surface.append(half[pos:])
        norm_starts.append(npos)
        src_starts.append(pos)
    text = "".join(pieces)
    surf = "".join(surface)
    if "\n" in text or "\t" in text or "\r" in text:
        text = text.replace("\n", " ").replace("\t", " ").replace("\r", " ")
        surf = surf.replace("\n", " ").replace("\t", " ").replace("\r", " ")
    return Normalized(text, surf, norm_starts, src_starts)


@dataclass(slots=True)
class Occurrence:
    start: int  # source offsets, end exclusive
    end: int
    surface: str  # the matched text as a reader sees it (markup removed, original case)
    forms: list[Form]  # one per concept this occurrence may name (several when the form is ambiguous)
    miscased: bool = False
    plural: bool = False
    # read in the text a macro prints (\gls{bn}): (index of the macro use, start and end in its printed text);
    # start and end are then the macro's span in the source
    via: tuple[int, int, int] | None = None

    @property
    def form(self) -> Form:
        return self.forms[0]

    @property
    def concept_ids(self) -> list[str]:
        return [f.concept_id for f in self.forms]

    @property
    def ambiguous(self) -> bool:
        return len(self.forms) > 1 or self.forms[0].ambiguous

    @property
    def lang(self) -> str:
        return self.forms[0].lang

    @property
    def variant_key(self) -> str:
        """What counts as one rendering: case-folded unless the casing is part of the form, plural removed."""
        form = self.forms[0]
        key = (self.surface, self.plural, form.text, form.case)
        found = _VARIANT_KEYS.get(key)
        if found is None:
            found = _VARIANT_KEYS[key] = self._variant_key()
        return found

    def _variant_key(self) -> str:
        text = self.surface
        if self.plural:
            text = _strip_plural(text, self.forms[0].text)
        if self.forms[0].case == CASE_IGNORE:
            text = text.lower()
        # hyphen and space spell one rendering (a "batch-normalization layer" is a compound modifier)
        return " ".join(text.translate(_DASHES).split())


# (surface, plural, form text, form case) -> variant key: a set repeats its renderings thousands of times
_VARIANT_KEYS: dict[tuple, str] = {}


def first_starting_at_or_after(occs: list[Occurrence], offset: int) -> int:
    """The index of the first occurrence that starts at or after ``offset`` (occurrences are in text order)."""
    return bisect_left(occs, offset, key=_START)


def first_ending_after(occs: list[Occurrence], offset: int) -> int:
    """The index of the first occurrence that ends after ``offset`` (a document's occurrences do not overlap, so
    their ends ascend as their starts do)."""
    return bisect_right(occs, offset, key=_END)


_START, _END = attrgetter("start"), attrgetter("end")


def _strip_plural(surface: str, form_text: str) -> str:
    low = surface.lower()
    if low.endswith("ies") and form_text.lower().endswith("y"):
        return surface[:-3] + form_text[-1]
    if low.endswith("es") and len(surface) - 2 == len(form_text):
        return surface[:-2]
    if low.endswith("s") and len(surface) - 1 == len(form_text):
        return surface[:-1]
    return surface


_PREFIXES = ("pre", "post", "multi", "non", "self", "semi", "sub", "super", "fine", "mini", "hyper", "meta", "inter",
             "intra", "over", "under", "cross", "back", "auto", "down", "up", "co")


def compound_spellings(text: str) -> list[str]:
    """Other spellings of an English compound: closed for a hyphenated one (fine-tuning -> finetuning, R-CNN ->
    RCNN), and split after a known prefix for a closed one (pretraining -> pre training, which also matches
    pre-training)."""
    out: list[str] = []
    words = text.split(" ")
    for i, word in enumerate(words):
        if "-" in word.strip("-"):
            out.append(" ".join(words[:i] + [word.replace("-", "")] + words[i + 1 :]))
        low = word.lower()
        for prefix in _PREFIXES:
            rest = low[len(prefix):]
            if low.startswith(prefix) and len(rest) >= 4 and rest.isalpha() and word.isalpha():
                out.append(" ".join(words[:i] + [word[: len(prefix)] + " " + word[len(prefix):]] + words[i + 1 :]))
                break
    return [o for o in out if o != text]


# one entry of the pattern table: (form, plural); form None: a blocker word. A plain tuple, not a class: the
# compiled base holds ~22,000 of them and unpickles tuples without making an object per field
_Entry = tuple


def _entry(form: Form | None, plural: bool) -> _Entry:
    return (form, plural)


@dataclass
class Matcher:
    termbase: TermBase
    blockers: list[str] = field(default_factory=list)
    ignore: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        # a table prebuilt with the term base (termbase/compiled.py) when the blockers are the same, else built here
        prebuilt = getattr(self.termbase, "matcher_table", None)
        if prebuilt is not None and prebuilt[0] == tuple(self.blockers):
            self._patterns, self._entries = prebuilt[1], prebuilt[2]
        else:
            self._patterns, self._entries = build_table(self.termbase, self.blockers)
        self._ignore = {lookup_key(w) for w in self.ignore}
        self._ac = ahocorasick_rs.AhoCorasick(self._patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    @staticmethod
    def _add(table: dict[str, list[_Entry]], key: str, entry: _Entry) -> None:
        bucket = table.setdefault(key, [])
        form = entry[0]
        if form is not None and any(
            e[0] is not None and e[0].concept_id == form.concept_id and e[0].text == form.text for e in bucket
        ):
            return
        bucket.append(entry)

    @property
    def pattern_count(self) -> int:
        return len(self._patterns)

    def find(self, masked: str, insertions: list[tuple[int, int, str]] | None = None) -> list[Occurrence]:
        """Occurrences in a prose view; ``insertions`` (start, end, text), in order and not overlapping, replace
        source spans (masked macros) by the text they print, which is matched as if it stood there."""
        if not insertions:
            return self._find(masked)
        pieces: list[str] = []
        segments: list[tuple[int, int, int, int]] = []  # (composite start, composite end, source start, source end)
        pos = cpos = 0
        for s, e, text in insertions:
            if s < pos:
                continue
            pieces.append(masked[pos:s])
            cpos += s - pos
            shown = text.replace("\n", " ") if text else HARD * (e - s)
            pieces.append(shown)
            segments.append((cpos, cpos + len(shown), s, e))
            cpos += len(shown)
            pos = e
        pieces.append(masked[pos:])
        composite = "".join(pieces)
        starts = [seg[0] for seg in segments]

        def segment(c: int) -> int:
            return bisect_right(starts, c) - 1

        def source(c: int, is_end: bool) -> tuple[int, int]:
            k = segment(c - 1 if is_end else c)
            if k < 0:
                return c, -1
            cs, ce, s, e = segments[k]
            if cs <= (c - 1 if is_end else c) < ce:
                return (e if is_end else s), k
            return c - ce + e, -1

        out = []
        for o in self._find(composite):
            start, k1 = source(o.start, False)
            end, k2 = source(o.end, True)
            k = k1 if k1 >= 0 else k2
            if k >= 0:
                o.via = (k, o.start - segments[k][0], o.end - segments[k][0])
            o.start, o.end = start, end
            out.append(o)
        return out

    def _find(self, masked: str) -> list[Occurrence]:
        norm = normalize(masked)
        text = norm.text
        n = len(text)
        out: list[Occurrence] = []
        memo: dict = {}  # (pattern, surface) -> resolved forms: a document repeats its terms
        latin = _LATIN_CHARS  # (set membership inline: a function call per match costs more than the test)
        for index, s, e in self._ac.find_matches_as_indexes(text):
            first_latin = text[s] in latin
            if first_latin and s > 0 and text[s - 1] in latin:
                continue
            if e < n and text[e - 1] in latin and text[e] in latin:
                continue
            if first_latin and _in_identifier(masked, norm.to_source(s), norm.to_source(e - 1) + 1):
                continue
            entries = self._entries[index]
            if entries[0][0] is None:
                continue
            if self._patterns[index] in self._ignore:
                continue
            surface = norm.surface[s:e]
            key = (index, surface)
            resolved = memo.get(key, memo)
            if resolved is memo:
                resolved = memo[key] = self._resolve(entries, surface)
            if resolved is None:
                continue
            forms, miscased, plural = resolved
            out.append(Occurrence(norm.to_source(s), norm.to_source(e - 1) + 1, surface, forms, miscased, plural))
        return out

    @staticmethod
    def _resolve(entries: list[_Entry], surface: str) -> tuple[list[Form], bool, bool] | None:
        """The forms a matched string stands for: per concept, a correctly cased form beats a miscased reading."""
        best: dict[str, tuple[bool, Form, bool]] = {}  # concept id -> (miscased, form, plural)
        for form, plural in entries:
            if plural and form.text.isupper() and not surface.endswith("s"):
                continue  # "APS" is not the plural of AP; "APs" is
            base = _strip_plural(surface, form.text) if plural else surface
            verdict = _case_verdict(form, base)
            if verdict is None:
                continue
            current = best.get(form.concept_id)
            if current is None or (current[0] and not verdict):
                best[form.concept_id] = (verdict, form, plural)
        if not best:
            return None
        chosen = list(best.values())
        if len(chosen) > 1 and any(not m for m, _f, _p in chosen):
            # a correctly cased form of one concept wins over a miscased reading of another's
            chosen = [c for c in chosen if not c[0]]
        forms = [f for _m, f, _p in chosen]
        miscased = len(chosen) == 1 and chosen[0][0]
        plural = any(p for _m, _f, p in chosen)
        return forms, miscased, plural


def build_table(termbase: TermBase, blockers) -> tuple[list[str], list[list[_Entry]]]:
    """The automaton's patterns and, per pattern, the forms (or a blocker) it stands for."""
    table: dict[str, list[_Entry]] = {}
    for form in termbase.forms():
        key = lookup_key(form.text)
        if not key or (len(key) == 1 and is_han(key)):
            # a one-character form (层, 值, 环) is a word-part far more often than a term: lookup only
            continue
        Matcher._add(table, key, _entry(form, False))
        if form.lang == "en" and not form.text.isdigit() and not any(is_han(c) for c in form.text):
            for plural in english_plurals(form.text):
                Matcher._add(table, lookup_key(plural), _entry(form, True))
    # compound spellings nobody has to list: pre-training = pre training = pretraining, fine-tuning = finetuning,
    # mini-batch = minibatch, R-CNN = RCNN (the spelling a document uses still counts: mixing them is a rival
    # spelling of one name)
    for form in termbase.forms():
        if form.lang != "en" or form.kind != "term" or any(is_han(c) for c in form.text):
            continue
        for variant in compound_spellings(form.text):
            key = lookup_key(variant)
            if key and key not in table:
                Matcher._add(table, key, _entry(form, False))
                for plural in english_plurals(variant):
                    pkey = lookup_key(plural)
                    if pkey not in table:
                        Matcher._add(table, pkey, _entry(form, True))
    for word in blockers:
        key = lookup_key(word)
        if key and key not in table:
            table[key] = [_entry(None, False)]
    patterns = list(table)
    return patterns, [table[p] for p in patterns]


_WORD_SPLIT = re.compile(r"([ \-‐-―])")
_VOWEL = re.compile(r"[aeiouy]")


def _title_cased_words(form: str, surface: str) -> bool:
    """Whether ``surface`` is ``form`` with some of its lowercase words capitalised and nothing else changed:
    the casing of the name parts (GPU, Jacobian, SGD) is kept, so the name itself is not miscased."""
    a, b = _WORD_SPLIT.split(form), _WORD_SPLIT.split(surface)
    if len(a) != len(b) or len(a) < 3:
        return False
    changed = False
    for x, y in zip(a, b):
        if x == y:
            continue
        if x[:1].islower() and y[:1] == x[:1].upper() and y[1:] == x[1:]:
            changed = True
            continue
        return False
    return changed


def _mixed(text: str) -> bool:
    """Capitals and small letters both, not only a capital at the start (LeakyReLU, ResNet50; not Dropout)."""
    letters = [c for c in text if c.isalpha()]
    return any(c.isupper() for c in letters[1:]) and any(c.islower() for c in letters) if text[:1].isupper() else (
        any(c.isupper() for c in letters) and any(c.islower() for c in letters))


def _case_verdict(form: Form, surface: str) -> bool | None:
    """None: not this form; False: this form, correctly cased; True: this form, miscased."""
    if form.case == CASE_IGNORE:
        return False
    # spacing and dashes are not casing: "Transformer架构" is the form "Transformer 架构"
    written = surface.translate(_DASHES).replace(" ", "")
    wanted = form.text.translate(_DASHES).replace(" ", "")
    if written == wanted:
        return False
    if surface.isalpha() and surface.islower() and len(written) < len(form.text.replace(" ", "")) \
            and _VOWEL.search(surface):
        return None  # apex is a word, not Ape-X: a lowercase word without the name's hyphen (rcnn stays R-CNN)
    if form.case == CASE_EXACT:
        if (form.kind == CODE and written.lower() == wanted.lower() and _mixed(form.text)
                and surface != surface.lower() and surface != surface.upper()
                and all(w == c or (c.isupper() and w == c.lower()) for w, c in zip(written, wanted))):
            # LeakyReLu, Resnet50: a class name with capitals lost, in prose (leakyrelu may be a config string);
            # capitals added are another library's spelling (MaxPool2D in Gluon, MaxPool2d in PyTorch)
            return True
        return None
    if wanted[:1].islower() and written[:1] == wanted[:1].upper() and written[1:] == wanted[1:]:
        return False  # a capital at the start of a sentence or a gloss
    if _title_cased_words(form.text, surface):
        return False  # Jacobian Matrix, GPU Kernel: the writer's title case of the generic words, not a miscased name
    # CASE_CHECK: an all-capitals abbreviation counts as miscased only when written all in lowercase and long
    # enough not to be an ordinary word (cnn, gan); names with mixed case (ReLU, PyTorch) in any other casing.
    letters = [c for c in form.text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        if len(letters) >= 3 and surface == surface.lower():
            return True
        if len(letters) >= 4 and form.text.isalpha() and surface == form.text.capitalize():
            return True  # Bert for BERT, Lstm: the casing rule reports it only inside Chinese prose (title_cased)
        return None
    return True


__all__ = ["Matcher", "Occurrence", "Normalized", "normalize", "is_han"]
