#!/usr/bin/env python3
"""Mine Chinese/English gloss pairs from the corpora and compare them with the term base.

What is mined (from Markdown, MDX and LaTeX prose only: fenced and inline code, math, URLs, HTML, comments,
citations and cross-references are masked first):

* ``中文（English）`` and ``中文(English)``, also with an abbreviation: ``中文（English，ABBR）``, ``中文（ABBR，English）``
  and ``中文（ABBR）``; the Chinese head may be emphasised (``*中文*``, ``**中文**``, ``\\emph{中文}``, ``\\textbf{中文}``);
* ``English（中文）`` in the other direction (a short Latin run right after Chinese text or punctuation);
* the two-column glossary ``ai-system-zh/Textbook/术语表.md`` (``|English|中文|缩写|...|``);
* the LaTeX symbol lists ``data/denotation.tex`` (``\\item[ABBR] 全称（English）``).

The Chinese head of an inline gloss is the maximal run of CJK characters (with embedded Latin such as
``Sigmoid函数``) right before the parenthesis, trimmed to the plausible term:

1. a suffix of the run that resolves, in the term base, to the English side's concept wins (longest such);
2. otherwise the longest suffix that is known to the base or that is a clean head of the same English elsewhere
   (emphasised, from a glossary file, or a short punctuation-bounded run) wins;
3. otherwise the run is cut after the last function word / verb phrase (的, 称为, 我们, 使用 ...).

Heads where a longer plausible reading existed are flagged (``flags`` column: ``ambiguous-head:LONGER``), as are
heads found only by the function-word heuristic (``heuristic-head``).

English is normalised: lowercase except acronyms and tokens with inner capitals (ReLU, LSTM), hyphens and spaces
collapsed for grouping (back-propagation = back propagation = backpropagation), simple plurals singularised.

Output: a TSV (default ``docs/mining/gloss-pairs.tsv``), one row per (English, Chinese rendering)::

    english  concept_id_or_empty  chinese  status  count_glossed_per_corpus  count_text_per_corpus
    example_location  flags

``status`` is one of ``known`` (both sides resolve to a common concept), ``zh-unknown`` (the English resolves, the
Chinese does not: a candidate rival rendering), ``en-unknown``, ``both-unknown`` (a candidate new concept) and
``conflict`` (both resolve, to different concepts). ``concept_id_or_empty`` is the English side's concept (the
Chinese side's for ``en-unknown``; ``EN_ID>ZH_ID`` for ``conflict``; several ids are joined with ``|``).
``count_text_per_corpus`` counts every occurrence of the rendering in the masked prose of each corpus (substring
counts, like grep, code and math excluded). A summary (counts per status, and the coverage of the d2l-zh reference
term tables) is printed as Markdown on standard output.

Deterministic: files, groups and rows are sorted; no randomness, no network.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS_ROOT = Path("/work/shared/corpus")
REFERENCE_DIR = Path("/work/shared/reference/terms")
DEFAULT_CORPORA = ["d2l-zh", "d2l-zh-v1", "ai-system-zh", "thu-llm-thesis", "thesis"]
HELDOUT = ["hf-course-zh"]
SUFFIXES = (".md", ".markdown", ".mdx", ".tex")

BLOCK = "\x00"  # masked non-prose: breaks every run
CLEAN = "\x02"  # start of emphasis / a LaTeX argument: a clean left boundary for a head
GONE = "\x03"  # transparent markup, deleted from the prose string
CLOSE = "\x04"  # end of emphasis / of a LaTeX argument: kept, so that a head is clean only if it ends right there

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RE = re.compile(f"[{HAN}]")


def is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


# ---------------------------------------------------------------------------------------------------------------
# Masking: the source -> a same-length string where non-prose is BLOCK and transparent markup is GONE

def _blank(m: re.Match, ch: str = BLOCK) -> str:
    return "".join("\n" if c == "\n" else ch for c in m.group())


def _sub(pattern: re.Pattern, text: str, ch: str = BLOCK) -> str:
    return pattern.sub(lambda m: _blank(m, ch), text)


MD_FENCE = re.compile(r"^[ \t]*(```+|~~~+)[^\n]*\n.*?^[ \t]*\1[ \t]*$", re.S | re.M)
MD_FENCE_OPEN = re.compile(r"^[ \t]*(```+|~~~+).*\Z", re.S | re.M)  # an unclosed fence runs to the end
MD_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
MD_MATH_BLOCK = re.compile(r"\$\$.*?\$\$", re.S)
MD_MATH_INLINE = re.compile(r"(?<![\\$])\$(?!\s)[^$\n]+?(?<![\\\s])\$")
MD_ROLE = re.compile(r":[a-z_]+:`[^`\n]*`")  # d2l: :cite:`x`, :numref:`x`, :label:`x`, :eqref:`x`
MD_INLINE_CODE = re.compile(r"(`+)[^`\n]*?\1")
MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
MD_LINK_TARGET = re.compile(r"\]\([^)\n]*\)")
MD_SUP = re.compile(r"<sup>.*?</sup>", re.S)  # footnote markers: [<sup>[3]</sup>](#ref)
MD_HTML_TAG = re.compile(r"</?[A-Za-z][^>\n]*>")
MD_MDX_IMPORT = re.compile(r"^(import|export) [^\n]*$", re.M)
URL = re.compile(r"(?:https?|ftp)://[^\s)）\]>\"'，。]+|www\.[A-Za-z0-9.-]+\.[a-z]{2,}[^\s)）]*")
MD_EMPH = re.compile(r"(?<![*\\A-Za-z0-9])(\*\*|\*)(?=[^\s*])([^*\n]{1,80}?)(?<=[^\s*])\1(?!\*)")
MD_STRIKE = re.compile(r"~~")
MD_BRACKET = re.compile(r"(?<!\\)\[")


def mask_markdown(text: str) -> str:
    t = _sub(MD_FENCE, text)
    t = _sub(MD_FENCE_OPEN, t)
    t = _sub(MD_HTML_COMMENT, t)
    t = _sub(MD_MATH_BLOCK, t)
    t = _sub(MD_ROLE, t)
    t = _sub(MD_INLINE_CODE, t)
    t = _sub(MD_MATH_INLINE, t)
    t = _sub(MD_IMAGE, t)
    t = _sub(URL, t)
    t = _sub(MD_SUP, t)
    t = MD_LINK_TARGET.sub(lambda m: CLOSE + GONE * (len(m.group()) - 1), t)
    t = _sub(MD_HTML_TAG, t)
    t = _sub(MD_MDX_IMPORT, t)
    t = MD_EMPH.sub(lambda m: CLEAN * len(m.group(1)) + m.group(2) + CLOSE + GONE * (len(m.group(1)) - 1), t)
    t = _sub(MD_STRIKE, t, GONE)
    t = t.replace("*", GONE)  # stray emphasis markers (***x*...**) are markup too
    t = _sub(MD_BRACKET, t, CLEAN)
    return t


TEX_COMMENT = re.compile(r"(?<!\\)%[^\n]*")
TEX_VERBATIM_ENVS = (
    "lstlisting|verbatim|minted|equation|align|gather|multline|eqnarray|math|displaymath|split|tikzpicture"
    "|algorithmic|algorithm2e|comment|filecontents"
)
TEX_ENV = re.compile(r"\\begin\{(" + TEX_VERBATIM_ENVS + r")\*?\}.*?\\end\{\1\*?\}", re.S)
TEX_DISPLAY = re.compile(r"\\\[.*?\\\]|\$\$.*?\$\$", re.S)
TEX_INLINE = re.compile(r"\\\(.*?\\\)|(?<!\\)\$[^$]+?(?<!\\)\$", re.S)
TEX_ARG_CMDS = (
    "cite[a-zA-Z]*|ref|eqref|autoref|cref|Cref|pageref|label|url|input|include|includegraphics|usepackage"
    "|documentclass|bibliography|bibliographystyle|begin|end|thusetup|setup|hypersetup|newcommand|renewcommand"
    "|definecolor|color|textcolor|hspace|vspace|setlength|addbibresource|fontsize|multicolumn|multirow|cline"
)
TEX_ARGCMD = re.compile(r"\\(?:" + TEX_ARG_CMDS + r")\*?(?:\[[^\]\n]*\])*(?:\{[^{}\n]*\})*")
TEX_HREF = re.compile(r"\\href\{[^{}\n]*\}")
TEX_CMD_BRACE = re.compile(r"\\[A-Za-z]+\*?(?:\[[^\]\n]*\])?\{")
TEX_CMD = re.compile(r"\\[A-Za-z]+\*?|\\[^A-Za-z\s]")
TEX_OPEN = re.compile(r"\{")
TEX_TILDE = re.compile(r"~")


def mask_latex(text: str) -> str:
    t = _sub(TEX_COMMENT, text)
    t = _sub(TEX_ENV, t)
    t = _sub(TEX_DISPLAY, t)
    t = _sub(TEX_INLINE, t)
    t = _sub(URL, t)
    t = _sub(TEX_ARGCMD, t)
    t = _sub(TEX_HREF, t)
    t = TEX_CMD_BRACE.sub(lambda m: CLEAN * len(m.group()), t)
    t = _sub(TEX_CMD, t)
    t = _sub(TEX_OPEN, t, GONE)
    t = t.replace("}", CLOSE)
    t = TEX_TILDE.sub(" ", t)
    return t


# a line break inside a paragraph between two Han characters is not a break for a reader
SOFT_BREAK = re.compile(f"(?<=[{HAN}])[ \\t]*\\n[ \\t]*(?=[{HAN}])")


@dataclass
class Doc:
    corpus: str
    rel: str  # path relative to the corpus root (includes the corpus name)
    prose: str  # masked text with GONE characters deleted
    index: list[int]  # prose position -> source offset
    line_starts: list[int]

    def line_of(self, prose_pos: int) -> int:
        from bisect import bisect_right

        return bisect_right(self.line_starts, self.index[prose_pos])


def load_doc(path: Path, corpus: str) -> Doc:
    text = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
    masked = mask_latex(text) if path.suffix == ".tex" else mask_markdown(text)
    masked = SOFT_BREAK.sub(lambda m: GONE * len(m.group()), masked)
    index = [i for i, c in enumerate(masked) if c != GONE]
    prose = masked.replace(GONE, "")
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    return Doc(corpus, str(path.relative_to(CORPUS_ROOT)), prose, index, line_starts)


def corpus_files(corpus: str) -> list[Path]:
    base = CORPUS_ROOT / corpus
    return sorted(p for p in base.rglob("*") if p.is_file() and p.suffix in SUFFIXES)


# ---------------------------------------------------------------------------------------------------------------
# English side

ACRONYM_EXCEPTIONS = {"FLOPs", "GFLOPs", "TFLOPs", "FLOPS"}
NO_SINGULAR = re.compile(
    r"(ss|us|is|ous|ics|series|species|news|less|ness|sis|xis|bias|gas|atlas|alias|corpus|lens|plus|"
    r"always|perhaps|whereas|has|was|does|this|its|ps|yes)$"
)
SENTENCE_WORDS = {
    "is", "are", "was", "were", "we", "you", "it", "this", "that", "which", "be", "can", "will", "should", "if",
    "when", "then", "there", "their", "our", "has", "have", "not", "do", "does", "see", "e.g", "i.e", "eg", "ie",
    "etc", "al", "vs", "fig",
}
CITATION = re.compile(r"\b(Fig|Figure|Table|Section|Sec|Chapter|Eq|Equation|Appendix|Page|Algorithm)\.?\s*\d|\bet al\b|\b(19|20)\d\d[a-z]?\b|^\d+$|^[\d.\s%:]+$|^[A-Z][a-z]+ and [A-Z][a-z]+,")
FORMULA = re.compile(r"[=+^\\$<>*/_{}|@#~\[\]]|\d\s*[x×]\s*\d|\.\w|\(\)")
LATIN_PART = re.compile(r"^[A-Za-z][A-Za-z0-9'’\-. &]*[A-Za-z0-9)]?$")
LEADING_ARTICLE = re.compile(r"^(the|a|an|or|and|i\.e\.|aka|also|English:?)\s+", re.I)
ZH_PREFIX = re.compile(r"^(英文|英语|英文名|全称|简称|缩写)[:：]?\s*")


def norm_token(tok: str) -> str:
    if tok in ACRONYM_EXCEPTIONS:
        return tok
    inner = tok[1:]
    if any(c.isupper() for c in inner) or (len(tok) == 1 and tok.isupper()):
        if re.fullmatch(r"[A-Z0-9\-]{2,}s", tok) and tok[:-1] not in ACRONYM_EXCEPTIONS:  # CNNs -> CNN
            return tok[:-1]
        return tok
    return tok.lower()


def singular(word: str) -> str:
    if not word.islower() or len(word) <= 3 or NO_SINGULAR.search(word):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if re.search(r"(ches|shes|xes|sses|zes)$", word):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def normalise_english(text: str) -> str:
    t = text.replace("’", "'").replace("‐", "-").replace("–", "-").replace("－", "-")
    t = re.sub(r"\s+", " ", t).strip(" .,:;()")
    t = LEADING_ARTICLE.sub("", t)
    tokens = [norm_token(tok) for tok in t.split(" ") if tok]
    if not tokens:
        return ""
    tokens = [re.sub(r"-+", "-", tok).strip("-") for tok in tokens]
    last = tokens[-1]
    if "-" in last:
        parts = last.split("-")
        parts[-1] = singular(parts[-1])
        tokens[-1] = "-".join(parts)
    else:
        tokens[-1] = singular(last)
    return " ".join(tok for tok in tokens if tok)


def group_key(english: str) -> str:
    """Hyphen, space and case variants share one key: back-propagation = back propagation = backpropagation."""
    return re.sub(r"[\s\-]+", "", english).lower()


def is_abbreviation(part: str) -> bool:
    if " " in part or len(part) > 12:
        return False
    if part in ACRONYM_EXCEPTIONS:
        return True
    upper = sum(c.isupper() for c in part)
    return upper >= 2 and re.fullmatch(r"[A-Za-z0-9\-+.]+", part) is not None and upper * 2 >= len(part.replace("-", "")) - 2


SYNONYM_LEAD = re.compile(r"^(?:简称|又称为?|又叫|也称为?|也叫|亦称|或称|或者|或|即|aka)\s*")


def parse_english(content: str) -> tuple[list[str], str] | None:
    """The English terms (synonyms) and the abbreviation in a parenthesis, or None when it is not a gloss.

    Accepted: ``English``, ``ABBR``, ``English，ABBR``, ``ABBR，English``, ``English或English``,
    ``English，简称ABBR``, ``English，又称English`` and ``English，中文的解释`` (only the English is kept).
    """
    c = content.replace(CLEAN, "").replace(CLOSE, "").replace(BLOCK, "\u0001").strip()
    c = ZH_PREFIX.sub("", c)
    if not c or "\u0001" in c or CITATION.search(c):
        return None
    c = re.sub(r"(?<=[A-Za-z0-9)])\s*(或者|或)\s*(?=[A-Za-z])", "，或", c)
    parts = [p.strip() for p in re.split(r"[，,;；、/]| or ", c)]
    parts = [p for p in parts if p]
    if not parts or HAN_RE.search(parts[0]):
        return None
    kept = [parts[0]]
    for p in parts[1:]:
        q = SYNONYM_LEAD.sub("", p)
        if HAN_RE.search(q):
            break  # an explanation in Chinese follows: keep what came before
        kept.append(("或" if q != p else "") + q)
    englishes, abbrs = [], []
    for raw in kept:
        synonym = raw.startswith("或")
        p = LEADING_ARTICLE.sub("", raw.lstrip("或")).strip()
        if not p or FORMULA.search(p.rstrip(".")) or not LATIN_PART.match(p):
            return None
        words = p.split()
        if len(words) > 7 or any(w.lower().strip(".") in SENTENCE_WORDS for w in words):
            return None
        if is_abbreviation(p) and len(kept) > 1:
            abbrs.append(p)
        elif (len(kept) == 2 and englishes and " " not in p and " " in englishes[0] and not synonym
              and re.search(r"\d", p)):
            abbrs.append(p)  # sequence to sequence，seq2seq
        else:
            if englishes and not synonym:
                return None  # two full terms without 或: a list, not a gloss
            englishes.append(p)
    if len(abbrs) > 1:
        return None
    if not englishes:
        if not abbrs:
            return None
        englishes, abbrs = abbrs, []
    for e in englishes:
        if not re.search(r"[A-Za-z]{2}", e) and not is_abbreviation(e):
            return None
    return englishes, (abbrs[0] if abbrs else "")


# ---------------------------------------------------------------------------------------------------------------
# Chinese side

STRONG_PARTICLES = [
    "我们称之为", "被称之为", "称之为", "被称为", "被称作", "被叫做", "也称为", "也称作", "又称为", "亦称为", "也被称为",
    "称为", "称作", "叫做", "叫作", "也叫", "又称", "简称", "所谓的", "所谓", "我们", "你们", "他们", "它们", "本文",
    "本章", "本节", "一个", "一种", "一些", "一组", "一类", "这个", "这种", "这些", "这类", "那些", "那个", "那种",
    "这样的", "使用", "利用", "采用", "通过", "包括", "包含", "例如", "比如", "诸如", "以及", "或者", "还是", "作为",
    "成为", "因为", "认为", "以便", "进行", "得到", "引入", "提出", "介绍", "定义", "实现", "讨论", "也就是", "就是",
    "即为", "并且", "而且", "然而", "其中", "如下", "如何", "什么", "可以", "需要", "基于", "关于", "对于",
    "由于", "为了", "增加", "插入", "传递", "加入", "添加", "执行", "使得", "构建", "设计", "支持", "提供", "采取",
    "完成", "产生", "具有", "拥有", "看作", "视为", "当作", "存在", "出现", "涉及", "属于", "表示", "代表", "描述",
    "相应的", "对应的", "不同的", "所有", "许多", "很多", "大量", "各种", "多种", "多个", "两个", "主要",
    "称", "的", "了", "是", "和", "与", "或", "及", "被", "把", "将", "这", "那", "该", "此", "其", "即",
    "为", "在", "用", "从", "由", "给", "让", "等", "也", "都", "就", "并", "而", "又", "则", "所", "叫",
    "到", "个", "种", "各", "每", "向", "以", "对", "于",
]
ALWAYS_PARTICLES = {"的", "我们", "称之为", "称为", "被称为", "叫做", "所谓的", "所谓", "一个", "一种", "这些", "这种"}
PARTICLES_AT: dict[str, list[str]] = {}
for _p in sorted(STRONG_PARTICLES, key=len, reverse=True):
    PARTICLES_AT.setdefault(_p[0], []).append(_p)
_PARTICLE_RE = re.compile("|".join(sorted(map(re.escape, STRONG_PARTICLES), key=len, reverse=True)))
HEAD_MAX = 24  # characters scanned back from the parenthesis


def head_run(prose: str, end: int) -> tuple[str, int, bool]:
    """The maximal run of Han (with embedded Latin) ending at ``end``; its start and whether its left edge is clean."""
    i = end
    while i > 0 and end - i < HEAD_MAX:
        ch = prose[i - 1]
        if is_han(ch) or is_latin(ch) or ch in "-·" or (ch in "—－" and i >= 2 and is_han(prose[i - 2])):
            i -= 1  # 编码器—解码器: a dash between Han characters is part of the term
        elif ch == " " and i >= 2 and (is_latin(prose[i - 2]) or is_latin(prose[i])):
            i -= 1  # a typographic space next to Latin: 使用 ReLU 函数
        else:
            break
    run = prose[i:end]
    start = i
    m = re.match(r"[\d.]+ +", run)  # a section number: 7.6.5.3 智能运维
    if m:
        run, start = run[m.end():], start + m.end()
    # the run must not begin in the middle of a Latin word or with a space / hyphen
    while run and not (is_han(run[0]) or is_latin(run[0])):
        run, start = run[1:], start + 1
    clean = start > 0 and prose[start - 1] == CLEAN
    return run, start, clean


def suffixes(run: str) -> list[str]:
    """Suffixes of a run starting at Han characters or at the start of a Latin word, longest first."""
    out = []
    for k in range(len(run)):
        ch = run[k]
        if k and is_latin(ch) and is_latin(run[k - 1]):
            continue
        if ch in " -·—－":
            continue
        s = run[k:].strip()
        if HAN_RE.search(s):
            out.append(s)
    return out


PROTECTED: set[str] = {  # substrings of known terms: a particle inside one (向量, 正则, 对抗, 饱和) is no particle
    "对称", "行为", "饱和", "总和", "向量", "方向", "正则", "规则", "并行", "在线", "对抗", "对数", "对比", "所有",
    "等价", "等式", "以太", "用户", "应用", "由此", "从头", "个体", "种子", "及时", "成对", "相对", "绝对", "针对",
}


def protect(forms) -> None:
    for f in forms:
        for i in range(len(f)):
            for j in range(i + 2, min(len(f), i + 6) + 1):
                PROTECTED.add(f[i:j])


def particle_trim(run: str) -> str:
    """Cut the run after its last function word / verb phrase (keeping at least one Han character).

    Overlapping particles are all tried (也叫作 cuts after 叫作); a particle inside a known term is skipped.
    """
    best = run
    for a in range(len(run)):
        for p in PARTICLES_AT.get(run[a], ()):
            if not run.startswith(p, a):
                continue
            b = a + len(p)
            if p not in ALWAYS_PARTICLES and ((a > 0 and run[a - 1:b] in PROTECTED) or run[a:b + 1] in PROTECTED):
                continue
            rest = run[b:].strip()
            if rest and HAN_RE.search(rest) and (len(p) > 1 or len(rest) > 1 or p in ALWAYS_PARTICLES):
                best = rest
            break
    return best


def expected_length(english: str) -> float:
    """A generous Chinese length for an English term: about two characters a word (a letter of an acronym)."""
    words = english.split()
    if len(words) == 1 and is_abbreviation(english):
        n = sum(c.isupper() for c in english)
    else:
        n = len([w for w in re.split(r"[\s\-]+", english) if w])
    return 2 * n + 2


def zh_key(text: str) -> str:
    """Spaces between Han and Latin are typographic."""
    return re.sub(r"(?<=[A-Za-z0-9])\s+(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])\s+(?=[A-Za-z0-9])", "", text).strip()


# ---------------------------------------------------------------------------------------------------------------
# Raw glosses

@dataclass
class Raw:
    corpus: str
    loc: str
    english: str  # normalised
    abbr: str
    run: str  # the raw Chinese run (or the exact head for clean sources)
    clean: bool  # the head's left edge is certain (emphasis, glossary cell, denotation)
    direction: str  # zh-en | en-zh | glossary
    punct_bounded: bool = False


GLOSS = re.compile(r"[（(]([^（）()\n]{1,120})[）)]")
REVERSE = re.compile(r"((?:[A-Za-z][A-Za-z0-9'\-]*)(?: [A-Za-z][A-Za-z0-9'\-]*){0,4}) ?[（(]" f"([{HAN}]{{1,12}})" r"[）)]")


def mine_doc(doc: Doc) -> list[Raw]:
    out: list[Raw] = []
    prose = doc.prose
    for m in GLOSS.finditer(prose):
        start = m.start()
        j = start
        closed = False
        while j > 0 and prose[j - 1] in " \t" + CLOSE:
            closed = closed or prose[j - 1] == CLOSE
            j -= 1
        if j == 0 or not is_han(prose[j - 1]):
            continue
        parsed = parse_english(m.group(1))
        if not parsed:
            continue
        run, rstart, clean = head_run(prose, j)
        clean = clean and closed
        if not run:
            continue
        before = prose[rstart - 1] if rstart > 0 else "\n"
        englishes, abbr = parsed
        for english in englishes:
            out.append(Raw(doc.corpus, f"{doc.rel}:{doc.line_of(start)}", normalise_english(english), abbr,
                           zh_key(run), clean, "zh-en", punct_bounded=not (is_han(before) or is_latin(before))))
    for m in REVERSE.finditer(prose):
        s = m.start(1)
        before = prose[s - 1] if s > 0 else "\n"
        if is_latin(before) or before in "-.'_":
            continue
        if s > 1 and before == " " and (is_latin(prose[s - 2]) or prose[s - 2] in ",.;:"):
            continue  # inside an English sentence
        english = m.group(1)
        if any(w.lower() in SENTENCE_WORDS for w in english.split()) or len(english) < 3:
            continue
        zh = m.group(2)
        if _PARTICLE_RE.fullmatch(zh) or re.search("默认|例如|比如|如|见|即|稍后|下文|上文|可选|注", zh):
            continue
        out.append(Raw(doc.corpus, f"{doc.rel}:{doc.line_of(m.start(2))}", normalise_english(english), "", zh, True,
                       "en-zh"))
    return out


GLOSSARY_ROW = re.compile(r"^\|([^|]+)\|([^|]+)\|([^|]*)\|")
MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def mine_glossary(path: Path, corpus: str) -> list[Raw]:
    """``|English|中文|缩写|...|`` rows; a Chinese cell may hold several renderings (、/ ，)."""
    out = []
    rel = str(path.relative_to(CORPUS_ROOT))
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = GLOSSARY_ROW.match(line.strip())
        if not m:
            continue
        en, zh, abbr = (MD_LINK.sub(r"\1", g).strip() for g in m.groups())
        if en in ("英文", "---") or not HAN_RE.search(zh) or HAN_RE.search(en):
            continue
        for z in re.split(r"[、/，,；;]", zh):
            z = zh_key(re.sub(r"[（(][^）)]*[）)]", "", z).strip())
            if z and HAN_RE.search(z):
                out.append(Raw(corpus, f"{rel}:{n}", normalise_english(en), abbr if is_abbreviation(abbr) else "",
                               z, True, "glossary"))
    return out


DENOTATION_ITEM = re.compile(r"^\s*\\item\[([^\]]+)\]\s*(.+?)\s*[（(]([^（）()]+)[）)]\s*$")


def mine_denotation(path: Path, corpus: str) -> list[Raw]:
    """``\\item[ABBR] 全称（English）`` lines of a LaTeX denotation list."""
    out = []
    rel = str(path.relative_to(CORPUS_ROOT))
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = DENOTATION_ITEM.match(line)
        if not m:
            continue
        abbr, zh, en = m.groups()
        parsed = parse_english(en)
        if not parsed or "\\" in abbr or "$" in abbr:
            continue
        zh = zh_key(zh.strip())
        if not HAN_RE.search(zh) or re.search(r"[，,、]", zh):
            continue
        for english in parsed[0]:
            out.append(Raw(corpus, f"{rel}:{n}", normalise_english(english), abbr if is_abbreviation(abbr) else "",
                           zh, True, "glossary"))
    return out


# ---------------------------------------------------------------------------------------------------------------
# Term base

class Base:
    """Term-base lookups (the python API; falls back to ``nnterm lookup --json`` if the API is unavailable)."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[str, ...]] = {}
        try:
            from nnterm_ls.termbase import load_termbase

            self.tb = load_termbase()
            self._lookup = lambda t: tuple(c.id for c in self.tb.lookup(t))
            self.size = len(self.tb)
        except Exception as exc:  # pragma: no cover - only while the package is being refactored
            print(f"python API unavailable ({exc}); using the CLI", file=sys.stderr)
            self.tb = None
            self._lookup = None
            self.size = 0

    def prefetch(self, terms) -> None:
        terms = sorted({t for t in terms if t and t not in self._cache})
        if self._lookup is not None or not terms:
            return
        import json
        import subprocess

        exe = ROOT / ".venv" / "bin" / "nnterm"
        for i in range(0, len(terms), 500):
            batch = terms[i:i + 500]
            res = subprocess.run([str(exe), "lookup", "--json", *batch], capture_output=True, text=True)
            for term, entry in zip(batch, json.loads(res.stdout or "[]")):
                found = entry.get("concepts", entry) if isinstance(entry, dict) else entry
                ids = tuple(c["id"] for c in (found or []) if isinstance(c, dict) and "id" in c)
                self._cache[term] = ids

    def ids(self, term: str) -> tuple[str, ...]:
        if not term:
            return ()
        if term not in self._cache:
            self._cache[term] = self._lookup(term) if self._lookup else ()
        return self._cache[term]

    def english_forms(self, cid: str) -> list[str]:
        if self.tb is None or cid not in self.tb.concepts:
            return []
        return [f.text for f in self.tb.concepts[cid].forms if f.lang == "en"]


# ---------------------------------------------------------------------------------------------------------------
# Trimming heads and grouping

@dataclass
class Pair:
    english: str
    chinese: str
    glossed: Counter = field(default_factory=Counter)
    locations: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    abbrs: Counter = field(default_factory=Counter)


def choose_head(r: Raw, en_ids: tuple[str, ...], support: set[str], base: Base) -> tuple[str, set[str]]:
    """Trim a raw Chinese run to the term (see the module docstring); flags say how sure the choice is."""
    if r.clean:
        return r.run, set()
    cands = suffixes(r.run)
    if not cands:
        return "", set()
    flags: set[str] = set()
    trimmed = particle_trim(r.run)
    est = expected_length(r.english)
    # 1. a suffix naming the English side's concept
    same = [s for s in cands if en_ids and set(base.ids(s)) & set(en_ids)]
    if same:
        head = same[0]
        longer = [s for s in cands if len(head) < len(s) <= len(trimmed) and (s in support or base.ids(s))]
        if longer:
            flags.add(f"ambiguous-head:{longer[-1]}")
        return head, flags
    # 2. a suffix that is a clean head of the same English elsewhere
    supported = [s for s in cands if s in support]
    if supported:
        head = supported[0]
        if len(trimmed) < len(head):
            flags.add(f"ambiguous-head:{trimmed}")
        return head, flags
    # 3. a suffix known to the base, unless the particle cut gives a plausible longer term (算术逻辑单元 over 单元)
    known = [s for s in cands if base.ids(s) and len(s) <= len(trimmed)]
    if known:
        head = known[0]
        if len(trimmed) > len(head):
            if len(trimmed) <= est:
                flags.add(f"ambiguous-head:{head}")
                return trimmed, flags
            flags.add(f"ambiguous-head:{trimmed}")
        return head, flags
    # 4. only the particle cut
    flags.add("heuristic-head")
    if len(trimmed) > est:
        flags.add("long-head")
    return trimmed, flags


def build(args) -> tuple[dict[str, dict[str, Pair]], dict[str, str], dict[str, str], Base, dict]:
    corpora = list(args.corpus or DEFAULT_CORPORA)
    if args.include_heldout:
        corpora += [c for c in HELDOUT if c not in corpora]
    docs: list[Doc] = []
    raws: list[Raw] = []
    for corpus in corpora:
        for path in corpus_files(corpus):
            if path.name == "术语表.md":
                raws += mine_glossary(path, corpus)
                continue
            doc = load_doc(path, corpus)
            docs.append(doc)
            if path.name == "denotation.tex":
                raws += mine_denotation(path, corpus)
            raws += mine_doc(doc)
    base = Base()
    raws = [r for r in raws if r.english and r.run]
    if base.tb is not None:
        protect(f.text for f in base.tb.forms() if f.lang == "zh")
    base.prefetch([r.english for r in raws] + [r.abbr for r in raws] + [s for r in raws for s in suffixes(r.run)])

    # clean heads per English: emphasis, glossary cells, and short punctuation-bounded runs without particles
    support: dict[str, set[str]] = defaultdict(set)
    for r in raws:
        if r.clean:
            support[group_key(r.english)].add(r.run)
    protect({h for heads in support.values() for h in heads})
    for r in raws:
        if not r.clean and r.punct_bounded and len(r.run) <= expected_length(r.english) and particle_trim(r.run) == r.run:
            support[group_key(r.english)].add(r.run)

    groups: dict[str, dict[str, Pair]] = defaultdict(dict)
    display: dict[str, Counter] = defaultdict(Counter)
    for r in raws:
        key = group_key(r.english)
        display[key][r.english] += 1
        en_ids = base.ids(r.english) or base.ids(r.abbr)
        head, flags = choose_head(r, en_ids, support[key], base)
        if not head or not HAN_RE.search(head):
            continue
        pair = groups[key].get(head)
        if pair is None:
            pair = groups[key][head] = Pair(r.english, head)
        pair.glossed[r.corpus] += 1
        pair.locations.append(r.loc)
        pair.flags |= flags
        if r.direction == "en-zh":
            pair.flags.add("en-zh")
        if r.abbr:
            pair.abbrs[r.abbr] += 1
    shown = {k: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for k, c in display.items()}

    # how often each rendering occurs in each corpus's prose
    import ahocorasick_rs

    renderings = sorted({zh for g in groups.values() for zh in g})
    text_counts: dict[str, Counter] = defaultdict(Counter)
    if renderings:
        ac = ahocorasick_rs.AhoCorasick(renderings)
        by_corpus: dict[str, list[str]] = defaultdict(list)
        for d in docs:
            by_corpus[d.corpus].append(d.prose.replace(CLEAN, "").replace(CLOSE, ""))
        for corpus, texts in by_corpus.items():
            hay = "\n".join(texts)
            for idx, _s, _e in ac.find_matches_as_indexes(hay, overlapping=True):
                text_counts[renderings[idx]][corpus] += 1
    meta = {"corpora": corpora, "docs": len(docs), "raw": len(raws)}
    return groups, shown, text_counts, base, meta


GENERIC_TAILS = ("算法", "方法", "法", "模块", "层", "操作", "参数", "机制", "模型", "网络", "技术", "过程", "函数", "值",
                 "结构", "系统", "策略", "问题", "框架")


def hint_flags(zh: str, en_ids: tuple[str, ...], base: Base) -> set[str]:
    """For an unknown rendering of a known English: a known stem (随机搜索算法 = 随机搜索 + 算法) or a near form (typo)."""
    from rapidfuzz.distance import Levenshtein

    out = set()
    for tail in GENERIC_TAILS:
        if zh.endswith(tail) and len(zh) > len(tail) + 1 and set(base.ids(zh[: -len(tail)])) & set(en_ids):
            out.add(f"stem:{zh[: -len(tail)]}+{tail}")
    if base.tb is not None:
        for cid in en_ids:
            for f in base.tb.concepts[cid].forms:
                if f.lang == "zh" and abs(len(f.text) - len(zh)) <= 1 and Levenshtein.distance(f.text, zh) == 1:
                    out.add(f"near:{f.text}")
    return out


def classify(en_ids: tuple[str, ...], zh_ids: tuple[str, ...]) -> tuple[str, str]:
    if en_ids and zh_ids:
        if set(en_ids) & set(zh_ids):
            return "known", "|".join(i for i in en_ids if i in zh_ids)
        return "conflict", "|".join(en_ids) + ">" + "|".join(zh_ids)
    if en_ids:
        return "zh-unknown", "|".join(en_ids)
    if zh_ids:
        return "en-unknown", "|".join(zh_ids)
    return "both-unknown", ""


def fmt_counts(c: Counter, corpora: list[str]) -> str:
    return ";".join(f"{k}:{c[k]}" for k in corpora if c.get(k)) or "0"


def reference_coverage(base: Base) -> tuple[list[str], list[str]]:
    lines, failures = [], []
    for name in ("d2l-zh.tsv", "d2l-zh-v1.tsv"):
        path = REFERENCE_DIR / name
        if not path.exists():
            continue
        rows = [ln.split("\t") for ln in path.read_text(encoding="utf-8").splitlines()[1:] if ln.strip()]
        ok = en_ok = zh_ok = 0
        for row in rows:
            en = row[0].strip()
            zhs = [z.strip() for z in (row[1] if len(row) > 1 else "").split("|") if z.strip()]
            en_ids = set(base.ids(en))
            problems = []
            if not en_ids:
                problems.append("English unknown")
            else:
                en_ok += 1
            all_zh = True
            for z in zhs:
                z_ids = set(base.ids(z))
                if not z_ids:
                    problems.append(f"{z} unknown")
                    all_zh = False
                elif en_ids and not z_ids & en_ids:
                    problems.append(f"{z} -> {'|'.join(sorted(z_ids))}, English -> {'|'.join(sorted(en_ids))}")
                    all_zh = False
            zh_ok += all_zh
            if problems:
                failures.append(f"{name} | {en} | {'|'.join(zhs)} | {'; '.join(problems)}")
            else:
                ok += 1
        lines.append(f"| {name} | {len(rows)} | {en_ok} | {zh_ok} | {ok} | {len(rows) - ok} |")
    return lines, failures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", action="append", metavar="NAME",
                    help=f"a corpus folder under {CORPUS_ROOT} (repeatable; default: {', '.join(DEFAULT_CORPORA)})")
    ap.add_argument("--include-heldout", action="store_true",
                    help="also mine the held-out evaluation corpus (hf-course-zh); off by default")
    ap.add_argument("--out", default=str(ROOT / "docs" / "mining" / "gloss-pairs.tsv"), help="TSV to write")
    ap.add_argument("--min-glossed", type=int, default=1, help="drop pairs glossed fewer times than this")
    ap.add_argument("--no-summary", action="store_true", help="do not print the Markdown summary")
    args = ap.parse_args(argv)

    groups, shown, text_counts, base, meta = build(args)
    corpora = meta["corpora"]
    rows = []
    status_counts: Counter = Counter()
    group_status: Counter = Counter()
    for key in sorted(groups):
        english = shown[key]
        pairs = groups[key]
        en_ids = base.ids(english)
        if not en_ids:
            for p in pairs.values():
                for a in p.abbrs:
                    en_ids = en_ids or base.ids(a)
        statuses = set()
        for zh in sorted(pairs, key=lambda z: (-sum(pairs[z].glossed.values()), z)):
            p = pairs[zh]
            if sum(p.glossed.values()) < args.min_glossed:
                continue
            status, cid = classify(en_ids, base.ids(zh))
            if status == "zh-unknown":
                p.flags |= hint_flags(zh, en_ids, base)
            statuses.add(status)
            status_counts[status] += 1
            flags = sorted(p.flags)
            if p.abbrs:
                flags.append("abbr:" + ",".join(a for a, _ in sorted(p.abbrs.items(), key=lambda kv: (-kv[1], kv[0]))))
            rows.append([english, cid, zh, status, fmt_counts(p.glossed, corpora), fmt_counts(text_counts[zh], corpora),
                         sorted(p.locations)[0], " ".join(flags)])
        for s in statuses:
            group_status[s] += 1

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("english\tconcept_id_or_empty\tchinese\tstatus\tcount_glossed_per_corpus\tcount_text_per_corpus"
                 "\texample_location\tflags\n")
        for row in rows:
            fh.write("\t".join(x.replace("\t", " ") for x in row) + "\n")

    if not args.no_summary:
        print(f"Corpora: {', '.join(corpora)}; {meta['docs']} documents; {meta['raw']} raw glosses; "
              f"{len(groups)} English groups; {len(rows)} (English, Chinese) pairs; term base: {base.size} concepts.\n")
        print("| status | pairs | English groups with one |\n|---|---:|---:|")
        for s in ("known", "zh-unknown", "en-unknown", "both-unknown", "conflict"):
            print(f"| {s} | {status_counts[s]} | {group_status[s]} |")
        cov, failures = reference_coverage(base)
        print("\n| table | rows | English resolves | every Chinese resolves to the English's concept | complete | failures |")
        print("|---|---:|---:|---:|---:|---:|")
        print("\n".join(cov))
        print(f"\nReference-table failures ({len(failures)}):\n")
        for f in failures:
            print(f"- {f}")
        print(f"\nwrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
