"""Interface text in the document's language: hover labels, action titles, completion details, command messages.

A document is answered in its own language (``DocumentAnalysis.lang``: zh when its prose is mostly Chinese) unless
the ``locale`` setting (``.nnterm.yaml`` or the client's ``nnterm.locale``: auto | zh | en) says otherwise. Rule
messages and fix titles live in ``data/rules.yaml`` in both languages; everything else the editor shows is here.
"""

from __future__ import annotations

LOCALES = ("auto", "zh", "en")


def ui_lang(doc_lang: str | None, locale: str | None = "auto") -> str:
    """The language to talk to the writer of a document in: ``locale`` when it is zh or en, else the document's."""
    if locale in ("zh", "en"):
        return locale
    return "zh" if doc_lang == "zh" else "en"


def quote(text: str, lang: str) -> str:
    return f"“{text}”" if lang == "zh" else f"'{text}'"


def count(n: int, lang: str) -> str:
    """How many times a rendering is used: "51 处" / "51×"."""
    return f"{n} 处" if lang == "zh" else f"{n}×"


def verdict(recommended: str | None, used: list[tuple[str, int]], lang: str) -> str:
    """The one line hover and diagnostic share: which rendering is recommended, and which the set uses (counts).

    ``used``: (rendering, count) pairs, most used first (may be empty: the set does not use the concept yet)."""
    parts = []
    if recommended:
        parts.append(f"{t('recommended', lang)}{recommended}")
    if used:
        if lang == "zh":
            shown = "、".join(f"{text}（{count(n, lang)}）" for text, n in used[:3])
        else:
            shown = ", ".join(f"{text} ({count(n, lang)})" for text, n in used[:3])
        if len(used) > 3:
            shown += "…"
        parts.append(f"{t('set_uses', lang)}{shown}")
    return " ｜ ".join(parts) if lang == "zh" else " | ".join(parts)


# key -> (Chinese, English); Python format strings
TEXT: dict[str, tuple[str, str]] = {
    # hover
    "recommended": ("推荐：", "Recommended: "),
    "set_uses": ("本文档集现用：", "this document set uses: "),
    "is_recommended": ("{form}是推荐译法", "{form} is the recommended rendering"),
    "use_instead": ("{form}{status}，建议用{preferred}", "{form} is {status}; use {preferred}"),
    "status_preferred": ("推荐", "preferred"),
    "status_admitted": ("可以接受", "admitted"),
    "status_deprecated": ("不推荐", "deprecated"),
    "abbr_of": ("{form}是{preferred}的缩写", "{form} abbreviates {preferred}"),
    "code_of": ("{form}是代码中的名称，行文写{preferred}", "{form} is a name in code; in prose write {preferred}"),
    "synonym_of": ("{form}是{preferred}的标准同义词", "{form} is a standard synonym of {preferred}"),
    "designation_rival": ("{form}是{designation}的{status}译法，建议用{preferred}",
                          "{form} is an {status} rendering of {designation}; use {preferred}"),
    "other_renderings": ("其他译法：", "Other renderings: "),
    "english_forms": ("英文写法：", "English forms: "),
    "chinese_forms": ("中文写法：", "Chinese forms: "),
    "code_names": ("代码：", "Code: "),
    "also_called": ("又称：", "Also called: "),
    "related": ("相关术语：", "Related: "),
    "abbr": ("缩写", "abbr."),
    "ambiguous": ("多义", "ambiguous"),
    "senses": ("{form} 有 {n} 个义项：", "{form} has {n} senses:"),
    "sense_here": ("此处", "here"),
    "sense_glossed": ("此处（{where} 的注释如此注明）", "here ({where} glosses it so)"),
    "learned": ("{form}：{where} 的注释注明它是 {english}", "{form}: glossed as {english} at {where}"),
    "too_many_findings": ("nnterm：本文档还有 {more} 条问题未显示（每个文档最多显示 {most} 条）；运行 `nnterm check {name}` 查看全部",
                          "nnterm: {more} more findings in this document are not shown (at most {most} per document); "
                          "run `nnterm check {name}` to see them all"),
    "learned_detail": ("{detail} · 学自 {where} 的注释", "{detail} · learned from the gloss at {where}"),
    "renderings": ("各语言的写法", "Renderings"),
    "entry_readonly": ("这是内置术语库的条目（只读）。要改动它，在自己的术语文件（.nnterm.yaml 的 terms）中写一个 id 为 {id} 的条目。",
                       "This is the built-in term base's entry (read-only). To change it, add an entry with the id {id} to a term file of your own (terms: in .nnterm.yaml)."),
    # code actions
    "unify_set": ("统一为本文档集用法“{kept}”", "Use this document set's rendering '{kept}'"),
    "to_recommended": ("改为术语库推荐“{preferred}”", "Use the recommended rendering '{preferred}'"),
    "all_to_recommended": ("本文档中 {n} 处改为术语库推荐“{preferred}”", "Change {n} renderings in this document to the recommended '{preferred}'"),
    "fix_all_concept": ("本文档中“{name}”的 {n} 处改为“{target}”", "Change {n} renderings of '{name}' in this document to '{target}'"),
    "fix_all_concept_mixed": ("修正本文档中“{name}”的 {n} 处用词", "Correct {n} renderings of '{name}' in this document"),
    "fix_all_document": ("修正本文档中的全部术语问题（{n} 处替换）", "Fix all terminology issues in this document (replacements: {n})"),
    "suppress_line": ("在本行末尾加注释，忽略“{code}”", "Ignore '{code}' on this line (comment at the line end)"),
    "disable_rule": ("在 .nnterm.yaml 中关闭规则“{code}”", "Turn off the rule '{code}' in .nnterm.yaml"),
    "not_a_term": ("“{word}”在本项目中不是术语（加入 .nnterm.yaml 的 ignore）", "'{word}' is not a term in this project (add it to ignore in .nnterm.yaml)"),
    "add_gloss_en": ("加上英文原文{gloss}", "Add the English original {gloss}"),
    "add_gloss_zh": ("加上中文译名{gloss}", "Add the Chinese rendering {gloss}"),
    "set_preferred": ("在 .nnterm.yaml 中把“{text}”设为推荐译法", "Make '{text}' the preferred rendering in .nnterm.yaml"),
    "add_term": ("把“{word}”加入项目术语表（{file}）", "Add '{word}' to the project's term file ({file})"),
    # completion
    "first_mention": ("首次出现：附原文", "first mention: with the original term"),
    "thesis_gloss": ("首次出现：附原文和缩写", "first mention: with the original term and abbreviation"),
    "abbreviation_of": ("{name} 的缩写", "abbreviation of {name}"),
    # related information of diagnostics
    "related_kept": ("此处用“{kept}”", "'{kept}' here"),
    "related_definition": ("缩写在此定义", "defined here"),
    # commands
    "ask_english": ("“{word}”的英文是什么？", "What is '{word}' in English?"),
    "ask_chinese": ("“{word}”的中文译名是什么？", "What is the Chinese rendering of '{word}'?"),
    "same_word": ("两种语言写法相同（名称）", "Same in both languages (a name)"),
    "wrote": ("已写入 {path}", "Wrote {path}"),
    "not_applied": ("编辑器没有应用对 {path} 的修改", "The editor did not apply the change to {path}"),
}


def t(key: str, lang: str, **values) -> str:
    zh, en = TEXT[key]
    return (zh if lang == "zh" else en).format(**values)
