"""LaTeX glossary packages (issue 12): every definition and use macro read as the text it prints, wrappers,
consistency and abbreviations through the macros, positions on the macro, bad input, thesis lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine_helpers import CORPUS, REPO, make_engine, present_or_missing
from nnterm_ls.analysis import Engine

SAMPLE = REPO / "tests" / "data" / "gloss-thesis"
ACRO = REPO / "tests" / "data" / "acro-thesis"

DEFS = r"""\newglossaryentry{bn}{name={批归一化}, description={一种归一化方法}, symbol={BN-sym}, first={批归一化（batch normalization）}}
\longnewglossaryentry{lr}{name={学习率}, text={学习率}}{每步更新的步长}
\newglossaryentry{net}{name={network}, description={a graph of layers}}
\newacronym{cnn}{CNN}{卷积神经网络}
\newabbreviation{rnn}{RNN}{循环神经网络}
"""


def printed(engine: Engine, body: str, defs: str = DEFS) -> list[tuple[str, str]]:
    docs = [engine.analyze("defs.tex", defs), engine.analyze("body.tex", body)]
    engine.check(docs)
    return [(body[r.start : r.end], r.text) for r in engine.glossary.uses["body.tex"]]


# what each macro prints: written here by hand from the packages' documented defaults
@pytest.mark.parametrize("body, expected", [
    ("\\gls{bn}，\\gls{bn}", ["批归一化（batch normalization）", "批归一化"]),  # first= on first use only
    ("\\Gls{net} \\GLS{net}", ["Network", "NETWORK"]),
    ("\\glspl{net} \\Glspl{net}", ["networks", "Networks"]),
    ("\\glstext{bn}\\glsfirst{bn}\\glsname{bn}", ["批归一化", "批归一化（batch normalization）", "批归一化"]),
    ("\\glssymbol{bn}\\glsdesc{bn}\\glsdesc{lr}", ["BN-sym", "一种归一化方法", "每步更新的步长"]),
    ("\\acrshort{cnn}\\acrlong{cnn}\\acrfull{cnn}\\gls{cnn}\\gls{cnn}",
     ["CNN", "卷积神经网络", "卷积神经网络 (CNN)", "卷积神经网络 (CNN)", "CNN"]),
    ("\\gls{rnn}\\gls{rnn}\\glsxtrlong{rnn}", ["循环神经网络 (RNN)", "RNN", "循环神经网络"]),
    ("\\ac{cnn}\\acs{cnn}\\acl{cnn}\\acf{cnn}\\acp{cnn}", ["卷积神经网络 (CNN)", "CNN", "卷积神经网络", "卷积神经网络 (CNN)", "CNNs"]),
])
def test_every_macro_prints_what_the_reader_sees(body, expected):
    got = printed(make_engine(), body)
    assert [text for _src, text in got] == expected


def test_acronym_package_first_use_and_which_macros_mark_it_used():
    engine = make_engine()
    defs = "\\acrodef{gan}[GAN]{生成对抗网络}\n\\begin{acronym}\n\\acro{vae}[VAE]{变分自编码器}\n\\end{acronym}\n"
    # \acs and \acl do not mark an acronym as used; \acf does; \acp is \ac in the plural
    body = "\\acs{gan}\\acl{gan}\\ac{gan}\\ac{gan}\\acf{vae}\\ac{vae}\\acp{vae}"
    assert [t for _s, t in printed(engine, body, defs)] == [
        "GAN", "生成对抗网络", "生成对抗网络 (GAN)", "GAN", "变分自编码器 (VAE)", "VAE", "VAEs"]


def test_wrappers_one_and_two_levels_and_loaded_files():
    engine = make_engine()
    from nnterm_ls.workspace import collect

    docs = collect([SAMPLE / "main.tex"], lambda f: engine.analyze(str(f), f.read_text(encoding="utf-8")))
    names = [Path(d.path).name for d in docs]
    assert names == ["main.tex", "glossary.tex", "macros.tex", "ch1.tex", "ch2.tex"]  # \loadglsentries followed
    engine.check(docs)
    ch2 = next(d for d in docs if d.path.endswith("ch2.tex"))
    uses = engine.glossary.uses[ch2.path]
    # \BN -> \gls{bn}\xspace (one level), \bnterm -> \term{bn} -> \textbf{\gls{#1}} (two levels)
    assert [(ch2.text[r.start : r.end], r.key, r.text) for r in uses[:2]] == [("\\BN", "bn", "批归一化"),
                                                                               ("\\bnterm", "bn", "批归一化")]


def test_an_entry_name_is_a_rendering_inconsistency_at_the_literal_use(run_nnterm):
    proc = run_nnterm("check", str(SAMPLE / "main.tex"), "--format", "json")
    assert proc.returncode == 1, proc.stderr
    found = [f for f in json.loads(proc.stdout) if f["code"] == "inconsistent"]
    assert [(Path(f["path"]).name, f["found"], f["suggestion"], f["fixable"]) for f in found] == [
        ("ch2.tex", "批量归一化", "\\gls{bn}", False)]  # an editor action, never applied by --fix
    assert "术语表条目 \\gls{bn}" in found[0]["message"]
    # --fix leaves the literal use for the writer
    diff = run_nnterm("check", str(SAMPLE / "main.tex"), "--diff")
    assert "批量归一化" not in diff.stdout


def test_inconsistency_reported_through_gls_between_two_entries():
    engine = make_engine()
    defs = "\\newglossaryentry{a}{name={批归一化},description={x}}\n\\newglossaryentry{b}{name={批量归一化},description={y}}\n"
    body = "用\\gls{a}。再用\\gls{a}。又用\\gls{b}。\n"
    docs = [engine.analyze("d.tex", defs), engine.analyze("b.tex", body)]
    res = engine.check(docs)
    inc = [f for f in res["b.tex"] if f.code == "inconsistent"]
    # the finding points at the macro (never inside its key) and offers no text edit of the macro
    assert [(body[f.start : f.end], f.fix) for f in inc] == [("\\gls{b}", None)]


def test_abbreviation_rule_reads_expansion_printing_macros():
    engine = make_engine()
    defs = "\\newacronym{cnn}{CNN}{卷积神经网络}\n"
    # the first \gls prints 卷积神经网络 (CNN): a later literal CNN is defined
    quiet = "本文用\\gls{cnn}。之后 CNN 很常见。\n"
    docs = [engine.analyze("d.tex", defs), engine.analyze("c.tex", quiet)]
    assert [f.code for f in engine.check(docs)["c.tex"] if f.code == "abbreviation-before-definition"] == []
    # \acrshort before any full form: reported at the macro, pointing at the \acrfull that defines it
    early = "先写\\acrshort{cnn}，再写\\acrfull{cnn}。\n"
    docs = [engine.analyze("d.tex", defs), engine.analyze("c.tex", early)]
    got = [f for f in engine.check(docs)["c.tex"] if f.code == "abbreviation-before-definition"]
    assert [(early[f.start : f.end], early[f.related[0].start : f.related[0].end]) for f in got] == [
        ("\\acrshort{cnn}", "\\acrfull{cnn}")]
    # a printed glossary (\printglossaries) defines its acronyms for the whole thesis
    docs = [engine.analyze("d.tex", defs + "\\printglossaries\n"), engine.analyze("c.tex", early)]
    assert [f for f in engine.check(docs)["c.tex"] if f.code == "abbreviation-before-definition"] == []
    # the acronym package: \acs before \acf is reported, \acl/\Ac in the right order are not
    proc = Engine()  # the built-in base (LSTM, RNN)
    docs = [proc.analyze(str(ACRO / "main.tex"), (ACRO / "main.tex").read_text(encoding="utf-8"))]
    text = docs[0].text
    got = [f for f in proc.check(docs)[docs[0].path] if f.code == "abbreviation-before-definition"]
    assert [text[f.start : f.end] for f in got] == ["\\acs{lstm}"]


def test_nomenclature_items_define_abbreviations():
    engine = make_engine()
    docs = [engine.analyze("n.tex", "\\nomenclature{BN}{批量归一化（batch normalization）}\n"),
            engine.analyze("c.tex", "本文使用 BN 加速训练。\n")]
    assert [f for f in engine.check(docs)["c.tex"] if f.code == "abbreviation-before-definition"] == []
    docs = [engine.analyze("c.tex", "本文使用 BN 加速训练。\n")]
    assert [f.code for f in engine.check(docs)["c.tex"]] == ["abbreviation-before-definition"]


def test_bad_input_is_a_glossary_finding_and_the_rest_is_checked():
    engine = make_engine()
    defs = ("\\newglossaryentry{bn}{name={批归一化}, description={坏的{描述}\n"
            "\\newglossaryentry{lr}{name={学习率}, description={步长}}\n"
            "\\newglossaryentry{lr}{name={学习速率}, description={重复}}\n")
    body = "用\\gls{lr}和\\gls{nosuch}。然后写批量归一化。\n"
    docs = [engine.analyze("d.tex", defs), engine.analyze("b.tex", body)]
    res = engine.check(docs)
    got = [(f.path, (defs if f.path == "d.tex" else body)[f.start : f.end], f.message) for f in res["d.tex"] + res["b.tex"]
           if f.code == "glossary"]
    assert [(p, s) for p, s, _m in got] == [("d.tex", "\\newglossaryentry{bn}"), ("d.tex", "\\newglossaryentry{lr}"),
                                            ("b.tex", "\\gls{nosuch}")]
    assert "花括号不配对" in got[0][2] and "定义了两次" in got[1][2] and "d.tex:2" in got[1][2]
    assert "没有条目定义" in got[2][2]
    # the broken entry is read as far as it goes (its name still decides), and the rest is still checked
    assert [body[f.start : f.end] for f in res["b.tex"] if f.code == "inconsistent"] == ["批量归一化"]


def test_one_chapter_alone_does_not_call_every_key_undefined():
    engine = make_engine()
    assert [f for f in engine.check_text("c.tex", "用\\gls{bn}。\n") if f.code == "glossary"] == []


def test_thesis_denotation_list_and_term_table_on_the_real_thesis(run_nnterm):
    root = present_or_missing(CORPUS / "thu-llm-thesis", "../shared/corpus/thu-llm-thesis is not present")
    proc = run_nnterm("check", str(root / "thuthesis-example.tex"), "--format", "json", "--select",
                      "abbreviation-before-definition")
    found = json.loads(proc.stdout)
    listed = {"NLP", "LLM", "PLM", "RLHF", "MoE", "WSD", "DPO", "NAS"}  # \item[...] of data/denotation.tex
    # the chapters come after the list in reading order (the abstract is before it)
    assert not [f for f in found if f["found"] in listed and "/chap" in f["path"]], found
    table = run_nnterm("glossary", str(root / "thuthesis-example.tex"), "--format", "csv")
    assert table.returncode == 0, table.stderr
    rows = {r.split(",")[2]: r for r in table.stdout.splitlines()[1:]}
    assert rows["LLM"].startswith("大语言模型,large language model,LLM,")
    assert "data/" in rows["LLM"].split(",")[3]  # first use: file:line of a chapter


def test_nnterm_glossary_cli_formats_sorts_and_the_readme_example(run_nnterm):
    import xml.etree.ElementTree as ET

    main = str(SAMPLE.relative_to(REPO) / "main.tex")
    proc = run_nnterm("glossary", main, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme.split("$ nnterm glossary tests/data/gloss-thesis/main.tex\n", 1)[1].split("```", 1)[0]
    assert proc.stdout == example  # the README shows real output
    # only what the set uses, in the renderings it uses: the entry's 批归一化, not the literal rival 批量归一化
    assert "批量归一化" not in proc.stdout and "\\item[批归一化] batch normalization" in proc.stdout
    by_en = run_nnterm("glossary", main, "--format", "csv", "--sort", "en", cwd=REPO).stdout.splitlines()
    assert [r.split(",")[1] for r in by_en[1:]] == sorted(r.split(",")[1] for r in by_en[1:])
    assert by_en[0] == "zh,en,abbreviation,first_use,label,concept,key"
    cnn = next(r for r in by_en if r.startswith("卷积神经网络,"))
    assert cnn.split(",")[2:5] == ["CNN", "tests/data/gloss-thesis/chapters/ch1.tex:2", "chap:intro"]
    md = run_nnterm("glossary", main, "--format", "markdown", cwd=REPO).stdout
    assert md.startswith("## 术语表\n\n| 中文 | English | 缩写 | 首次出现 |\n")
    assert "| 卷积神经网络 | convolutional neural network | CNN | chap:intro |" in md
    tbx = run_nnterm("glossary", main, "--format", "tbx", cwd=REPO).stdout
    root = ET.fromstring(tbx.split("\n", 1)[1])
    assert len(root.findall(".//{urn:iso:std:iso:30042:ed-2}conceptEntry")) == len(by_en) - 1
    bad = run_nnterm("glossary", main, "--format", "csv", "--style", "table", cwd=REPO)
    assert bad.returncode == 2 and "--style applies to --format latex only" in bad.stderr
