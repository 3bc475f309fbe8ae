"""LaTeX prose extraction: every skip rule, with a term inside the skipped construct (not found) and one in kept
text (found, at the exact line and column)."""

from __future__ import annotations

import pytest

from engine_helpers import Config, line_col, make_engine, marked, spans_of
from nnterm_ls.extract import HARD, SOFT, extract_latex

CASES = {
    "comment": "% 学习率 is the learning rate\n⟦学习率⟧\n",
    "comment-after-text": "⟦学习率⟧ % 学习率\n下一行⟦激活函数⟧\n",
    "escaped-percent-is-text": "50\\%的⟦学习率⟧ % 学习率\n",
    "inline-dollar": "$\\text{学习率}$ 与⟦学习率⟧\n",
    "display-dollars": "$$\\text{学习率}\n= 0.1$$\n⟦学习率⟧\n",
    "paren-math": "\\(\\text{学习率}\\) 与⟦学习率⟧\n",
    "bracket-math": "\\[\n\\text{学习率}\n\\]\n⟦学习率⟧\n",
    "equation": "\\begin{equation}\n\\text{学习率} = 0.1\n\\end{equation}\n⟦学习率⟧\n",
    "equation-star": "\\begin{equation*}\\text{学习率}\\end{equation*}⟦学习率⟧\n",
    "align": "\\begin{align}\na &= \\text{学习率}\n\\end{align}\n⟦学习率⟧\n",
    "align-star": "\\begin{align*}\\text{学习率}\\end{align*}⟦学习率⟧\n",
    "gather": "\\begin{gather}\\text{学习率}\\end{gather}⟦学习率⟧\n",
    "gather-star": "\\begin{gather*}\\text{学习率}\\end{gather*}⟦学习率⟧\n",
    "multline": "\\begin{multline}\\text{学习率}\\end{multline}⟦学习率⟧\n",
    "multline-star": "\\begin{multline*}\\text{学习率}\\end{multline*}⟦学习率⟧\n",
    "verbatim": "\\begin{verbatim}\n学习率 % not a comment\n\\end{verbatim}\n⟦学习率⟧\n",
    "lstlisting": "\\begin{lstlisting}[caption=学习率]\nlr = 0.1 # 学习率\n\\end{lstlisting}\n⟦学习率⟧\n",
    "minted": "\\begin{minted}{python}\n# 学习率\n\\end{minted}\n⟦学习率⟧\n",
    "comment-env": "\\begin{comment}\n学习率\n\n学习率\n\\end{comment}\n⟦学习率⟧\n",
    "command-name": "\\ReLU{} 与 ⟦ReLU⟧\n",
    "label": "\\section{⟦学习率⟧}\\label{sec:学习率}\n",
    "ref": "见\\ref{学习率}与⟦学习率⟧\n",
    "eqref": "见\\eqref{eq:学习率}与⟦学习率⟧\n",
    "cref": "见\\cref{学习率}与⟦学习率⟧\n",
    "cite": "文献\\cite{学习率}与⟦学习率⟧\n",
    "cite-star": "文献\\cite*{学习率}与⟦学习率⟧\n",
    "citep-options": "文献\\citep[见 学习率][第 2 页]{学习率}与⟦学习率⟧\n",
    "url": "\\url{https://example.com/学习率} ⟦学习率⟧\n",
    "href-url-text-kept": "\\href{https://example.com/学习率}{⟦学习率⟧}\n",
    "includegraphics": "\\includegraphics[width=0.5\\textwidth]{figures/学习率.pdf}⟦学习率⟧\n",
    "input": "\\input{chapters/学习率}⟦学习率⟧\n",
    "include": "\\include{学习率}⟦学习率⟧\n",
    "usepackage": "\\usepackage[学习率]{学习率}⟦学习率⟧\n",
    "begin-end-names": "\\begin{学习率}⟦学习率⟧\\end{学习率}\n",
    "gls-keys": "\\gls{学习率}与\\glspl{learning rate}与⟦学习率⟧\n",
    "options-in-brackets": "\\mycommand[学习率]{⟦学习率⟧}\n",
    "emph-kept": "\\emph{⟦学习率⟧}\n",
    "textbf-kept": "\\textbf{⟦学习率⟧}\n",
    "textit-kept": "\\textit{⟦激活函数⟧}\n",
    "section-kept": "\\section{⟦学习率⟧}\n\\subsection*{⟦激活函数⟧}\n\\chapter[⟦学习率⟧]{⟦深度学习⟧}\n",
    "caption-kept": "\\caption{⟦学习率⟧的影响}\\label{fig:学习率}\n",
    "footnote-kept": "正文\\footnote{⟦学习率⟧}\n",
    "item-kept": "\\begin{itemize}\n\\item ⟦学习率⟧\n\\item[⟦激活函数⟧] 说明\n\\end{itemize}\n",
    "title-kept": "\\title{⟦深度学习⟧}\n",
    "unknown-command-args-kept": "\\mybox{⟦学习率⟧}{⟦激活函数⟧}\n",
    "tabular-spec": "\\begin{tabular}{lcr}\n⟦学习率⟧ & ⟦激活函数⟧ \\\\\n\\end{tabular}\n",
}


@pytest.mark.parametrize("name", CASES)
def test_latex_skip_and_keep(mini_engine, name):
    text, expected = marked(CASES[name])
    got = spans_of(mini_engine, text, "latex")
    assert [(text[s:e], line_col(text, s)) for s, e in got] == [(text[s:e], line_col(text, s)) for s, e in expected]


def test_mask_preserves_length_and_newlines():
    text = "".join(marked(c)[0] for c in CASES.values())
    masked = extract_latex(text).masked
    assert len(masked) == len(text)
    # a newline survives, or is soft-masked where a comment joins two lines (as TeX joins them)
    assert all(text[i] == "\n" for i, c in enumerate(masked) if c == "\n")
    assert all(masked[i] in "\n" + SOFT for i, c in enumerate(text) if c == "\n")


def test_comment_joins_lines_but_blank_line_keeps_paragraph():
    text, expected = marked("⟦学习%\n  率⟧\n\n学习%\n\n率\n")
    assert spans_of(make_engine(), text, "latex") == expected


def test_url_is_hard_masked():
    text = "\\url{https://a.b/c} x"
    masked = extract_latex(text).masked
    assert masked[: text.index(" x")] == HARD * text.index(" x")


def test_includes_are_recorded():
    text = "\\input{chap01}\n\\include{data/chap02.tex}\n% \\input{commented}\n"
    assert extract_latex(text).includes == ["chap01", "data/chap02.tex"]


def test_user_skip_commands_and_environments():
    text, expected = marked(
        "\\mynote{学习率}⟦学习率⟧\n\\begin{myalgo}\n学习率\n\\end{myalgo}\n⟦激活函数⟧\n"
    )
    # without configuration both constructs are prose
    plain = make_engine()
    assert len(spans_of(plain, text, "latex")) == 4
    engine = make_engine(Config(latex_commands=["mynote"], latex_environments=["myalgo"]))
    got = spans_of(engine, text, "latex")
    assert [(text[s:e], line_col(text, s)) for s, e in got] == [(text[s:e], line_col(text, s)) for s, e in expected]


# -- broken documents -----------------------------------------------------------------------------------------------

BROKEN = {
    # an unbalanced brace: the group ends with its paragraph, the rest is still read
    "unclosed-textbf": "\\textbf{⟦学习率⟧\n\n⟦激活函数⟧}\n",
    "unclosed-label": "\\label{sec:学习率\n\n⟦学习率⟧\n",
    "stray-closing-brace": "}}⟦学习率⟧}\n",
    "unclosed-dollar": "售价 $5 的\n\n⟦学习率⟧\n",
    "unclosed-paren-math": "\\( x\n\n⟦学习率⟧\n",
    "unclosed-equation": "\\begin{equation}\nx = 1\n\n⟦学习率⟧\n",
    "unclosed-align-star": "⟦激活函数⟧\n\\begin{align*}\nx &= 1\n\n⟦学习率⟧\n",
    "end-without-begin": "\\end{equation}⟦学习率⟧\n",
}


@pytest.mark.parametrize("name", BROKEN)
def test_latex_broken_documents(mini_engine, name):
    text, expected = marked(BROKEN[name])
    got = spans_of(mini_engine, text, "latex")
    assert got == expected
