"""Markdown prose extraction: every skip rule, with a term inside the skipped construct (not found) and one in kept
text (found, at the exact line and column)."""

from __future__ import annotations

import pytest

from nnterm_ls.extract import HARD, SOFT, extract_markdown

from engine_helpers import line_col, marked, spans_of

CASES = {
    "fenced-backticks": "前文⟦学习率⟧\n\n```python\n# 学习率\nlr = 0.1  # learning rate\n```\n\n后文⟦学习率⟧\n",
    # ai-system-zh 6.4's exercises: a fence indented as far as its list item's text is code too
    "fenced-in-list-item": ("1. 第一步：\n    2.\t安装后测试⟦学习率⟧。\n        ```\n        pip install 学习率\n\n"
                            "        python train.py --学习率 0.1\n        ```\n    3.\t再测⟦学习率⟧。\n"),
    "fenced-tildes": "~~~\n学习率\n~~~\n后文⟦学习率⟧\n",
    "fenced-info-and-longer-closer": "````md\n```\n学习率\n```\n````\n⟦学习率⟧\n",
    "indented-code": "段落⟦学习率⟧。\n\n    lr = 学习率\n    learning rate\n\n下文⟦激活函数⟧\n",
    "inline-code": "用 `学习率` 和 ``learning rate`` 设置⟦学习率⟧\n",
    "inline-math": "设 $\\text{学习率}=\\eta$，⟦学习率⟧很重要\n",
    # d2l-zh-v1's BERT: a formula with spaces inside its dollars; its closing dollar must not open a formula that
    # swallows the rest of the paragraph up to the next dollar
    "inline-math-spaced": "长度为$ n $的序列，⟦学习率⟧（n，768），这个长度为$ n $的序列与⟦激活函数⟧\n",
    "inline-math-space-before-close": "设 $\\text{学习率} $ 与 $ \\text{学习率}$，⟦学习率⟧\n",
    "display-math": "$$\n\\text{学习率} = 0.1\n$$\n\n⟦学习率⟧\n",
    "display-math-inline": "见 $$\\text{学习率}$$ 与⟦学习率⟧\n",
    "front-matter": "---\ntitle: 学习率\ntags: [learning rate]\n---\n# ⟦学习率⟧\n",
    "html-comment": "<!-- 学习率 -->⟦学习率⟧<!--\n多行 学习率\n-->⟦激活函数⟧\n",
    "html-tag-attributes": '<img alt="学习率" src="学习率.png"> <span title="学习率">⟦学习率⟧</span>\n',
    "html-block-tag": '<div class="学习率">\n\n⟦学习率⟧\n\n</div>\n',
    "link-target": "[⟦学习率⟧](https://example.com/学习率 \"学习率\")\n",
    "link-reference": "[⟦学习率⟧][学习率]\n\n[学习率]: https://example.com/学习率\n",
    "image-target-alt-kept": "![⟦学习率⟧](img/学习率.png)\n",
    "autolink": "<https://example.com/学习率> ⟦学习率⟧\n",
    "bare-url": "见 https://example.com/学习率 和⟦学习率⟧\n",
    "www-url": "见 www.example.com/learning-rate 和⟦learning rate⟧\n",
    "label-directive": "## ⟦学习率⟧\n:label:`sec_学习率`\n",
    "numref-directive": "如 :numref:`学习率` 所示，⟦学习率⟧\n",
    "cite-directive": "文献 :cite:`learning rate` 提出⟦学习率⟧\n",
    "eqref-directive": "由 :eqref:`eq_学习率` 得⟦学习率⟧\n",
    "heading-kept": "# ⟦学习率⟧\n\n## ⟦激活函数⟧的选择 ##\n",
    "emphasis-kept": "*⟦学习率⟧* 和 **⟦激活函数⟧** 以及 _⟦learning rate⟧_\n",
    "list-items-kept": "- ⟦学习率⟧\n* ⟦激活函数⟧\n1. ⟦深度学习⟧\n",
    "table-cells-kept": "| 名称 | 说明 |\n|---|---|\n| ⟦学习率⟧ | ⟦激活函数⟧ |\n",
    "blockquote-kept": "> ⟦学习率⟧\n",
    "link-text-kept": "参见[⟦激活函数⟧](#act)。\n",
}


@pytest.mark.parametrize("name", CASES)
def test_markdown_skip_and_keep(mini_engine, name):
    text, expected = marked(CASES[name])
    got = spans_of(mini_engine, text, "markdown")
    assert [(text[s:e], line_col(text, s)) for s, e in got] == [(text[s:e], line_col(text, s)) for s, e in expected]


def test_mask_preserves_length_and_newlines():
    text, _ = marked(CASES["fenced-backticks"] + CASES["front-matter"] + CASES["html-comment"])
    masked = extract_markdown(text).masked
    assert len(masked) == len(text)
    assert [i for i, c in enumerate(masked) if c == "\n"] == [i for i, c in enumerate(text) if c == "\n"]


def test_code_is_hard_and_emphasis_is_soft():
    text = "**学习**率 `code`"
    masked = extract_markdown(text).masked
    assert masked[:2] == SOFT * 2 and masked[4:6] == SOFT * 2
    code_at = text.index("`code`")
    assert masked[code_at : code_at + 6] == HARD * 6


# -- broken documents -----------------------------------------------------------------------------------------------

BROKEN = {
    # an unclosed fence: CommonMark reads code to the end, but what comes before is still checked
    "unclosed-fence": "前文⟦学习率⟧和⟦激活函数⟧\n\n```\n学习率\n",
    # a lone dollar sign (a price) masks nothing
    "lone-dollar": "售价 $5，⟦学习率⟧为 0.1\n",
    "unclosed-dollar-paragraph": "$x 与\n\n下一段⟦学习率⟧\n",
    "unclosed-inline-code": "一个 ` 反引号，⟦学习率⟧\n",
    "unclosed-link": "[⟦学习率⟧(没有关闭\n",
    "unclosed-comment-tail": "⟦学习率⟧\n<!-- 学习率\n",
}


@pytest.mark.parametrize("name", BROKEN)
def test_markdown_broken_documents(mini_engine, name):
    text, expected = marked(BROKEN[name])
    got = spans_of(mini_engine, text, "markdown")
    assert got == expected


BOUNDARIES = {
    # a blank line ends a paragraph: no term spans it, in either language
    "paragraph-break-han": "学习\n\n率\n",
    "paragraph-break-latin": "learning\n\nrate\n",
    "paragraph-break-spaces": "学习\n   \n率\n",
    # two list items are two blocks
    "list-items": "- 学习\n- 率\n",
    "numbered-items": "1. learning\n2. rate\n",
    # an HTML comment between the lines is not transparent
    "comment-between": "学习\n<!-- x -->\n率\n",
}


@pytest.mark.parametrize("name", BOUNDARIES)
def test_markdown_block_boundaries(mini_engine, name):
    assert spans_of(mini_engine, BOUNDARIES[name], "markdown") == []


def test_list_item_continuation_line_joins(mini_engine):
    text, expected = marked("- 这是⟦学习\n  率⟧\n")
    assert spans_of(mini_engine, text, "markdown") == expected
