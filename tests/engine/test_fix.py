"""`nnterm check --fix` on copies of real chapters: only the reported spans change, never code, math or URLs."""

from __future__ import annotations

import json
import os
import re
import shutil

import pytest

from engine_helpers import ENGINE_FIXTURES, corpus_or_skip, line_col, present_or_missing

FENCE = re.compile(r"^```.*?^```", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]+`")
DOLLAR_MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S)
URL = re.compile(r"https?://[^\s)>\]}]+")  # a URL ends at the brace of \url{...} too
TEX_MATH_ENV = re.compile(r"\\begin\{(equation|align|gather|multline)(\*?)\}.*?\\end\{\1\2\}", re.S)
TEX_REFS = re.compile(r"\\(?:cite|citep|citet|ref|eqref|cref|label|url|href|includegraphics)\*?(?:\[[^\]]*\])?\{[^}]*\}")


def protected(text: str, kind: str) -> dict[str, list[str]]:
    if kind == "markdown":
        pats = {"fence": FENCE, "code": INLINE_CODE, "math": DOLLAR_MATH, "url": URL}
    else:
        pats = {"math": DOLLAR_MATH, "env": TEX_MATH_ENV, "refs": TEX_REFS, "url": URL}
    return {k: [m.group() for m in p.finditer(text)] for k, p in pats.items()}


def offsets(text: str):
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    return lambda line, col: starts[line - 1] + col - 1


def expected_after_fix(text: str, findings: list[dict]) -> tuple[str, list[tuple[int, int]]]:
    """Apply the fixable findings as the JSON describes them: missing-gloss inserts its suggestion after the term,
    every other rule replaces the found text with the suggestion."""
    at = offsets(text)
    edits = []
    for d in findings:
        if not d.get("fixable"):
            continue
        s, e = at(d["line"], d["column"]), at(d["end_line"], d["end_column"])
        assert text[s:e] == d["found"]
        if d["code"] == "missing-gloss":
            edits.append((e, e, d["suggestion"]))
        else:
            edits.append((s, e, d["suggestion"]))
    edits.sort()
    out, pos, spans = [], 0, []
    for s, e, new in edits:
        assert s >= pos, "overlapping fixes"
        out.append(text[pos:s])
        out.append(new)
        spans.append((s, e))
        pos = e
    out.append(text[pos:])
    return "".join(out), spans


# (chapter, kind, must the current term base find something to fix in it?) The two thesis-template chapters have
# nothing fixable today: they used to skip every time; now they check that --fix leaves such a file alone. The
# thu-llm-thesis chapter is the LaTeX case that really gets rewritten.
CHAPTERS = [
    ("d2l-zh/chapter_convolutional-modern/batch-norm.md", "markdown", True),
    ("d2l-zh/chapter_multilayer-perceptrons/mlp.md", "markdown", True),
    ("d2l-zh-v1/chapter_deep-learning-basics/backprop.md", "markdown", True),
    ("thu-llm-thesis/data/chap04.2.tex", "latex", True),
    ("thesis/thuthesis/data/chap03.tex", "latex", False),
    ("thesis/sjtuthesis/contents/math_and_citations.tex", "latex", False),
]


@pytest.mark.parametrize("rel,kind,has_fixes", CHAPTERS)
def test_fix_real_chapter(tmp_path, nnterm, rel, kind, has_fixes):
    src = present_or_missing(corpus_or_skip() / rel, f"{rel} not in the corpus")
    doc = tmp_path / src.name
    shutil.copy(src, doc)
    doc.chmod(0o640)
    original_bytes = doc.read_bytes()
    original = original_bytes.decode("utf-8")

    before = nnterm("check", doc.name, "--format", "json", cwd=tmp_path)
    assert before.returncode in (0, 1), before.stderr
    findings = json.loads(before.stdout)
    expected, spans = expected_after_fix(original, findings)
    if has_fixes:
        assert spans, "this chapter is here because it has fixable findings"
    inode = doc.stat().st_ino

    fixed = nnterm("check", doc.name, "--fix", "--format", "json", cwd=tmp_path)
    assert fixed.returncode in (0, 1), fixed.stderr
    after_bytes = doc.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [doc.name]  # no temporary file left behind
    if not spans:
        # nothing to fix: the file is not rewritten at all
        assert after_bytes == original_bytes and doc.stat().st_ino == inode
        assert json.loads(fixed.stdout) == findings
        return
    after = after_bytes.decode("utf-8")

    # the text outside the fixed spans is byte-identical: the file is exactly the original with those edits
    assert after == expected
    assert after_bytes.count(b"\r\n") == original_bytes.count(b"\r\n")
    # code, math and URLs are untouched
    assert protected(after, kind) == protected(original, kind)
    # written atomically (a new file renamed over the old one), mode kept
    assert doc.stat().st_ino != inode
    assert doc.stat().st_mode & 0o777 == 0o640
    # what --fix reports afterwards has nothing fixable left
    assert [d for d in json.loads(fixed.stdout) if d.get("fixable")] == []


def test_fix_leaves_clean_file_untouched(tmp_path, nnterm):
    doc = tmp_path / "clean.md"
    doc.write_text("什么也没有。\n", encoding="utf-8")
    inode = doc.stat().st_ino
    proc = nnterm("check", "clean.md", "--fix", cwd=tmp_path)
    assert proc.returncode == 0
    assert doc.stat().st_ino == inode and doc.read_text(encoding="utf-8") == "什么也没有。\n"


def test_fix_stdin_writes_fixed_text(tmp_path, nnterm):
    src = "我们使用 relu，`relu` 是代码，$relu$ 是公式。\n"
    proc = nnterm("check", "-", "--stdin-filename", "x.md", "--fix", "--select", "casing", cwd=tmp_path, input=src)
    assert proc.returncode == 0
    assert proc.stdout == src.replace("使用 relu，", "使用 ReLU，", 1)


def test_fix_chapter_in_the_repo_byte_for_byte(tmp_path, nnterm):
    """A real-looking chapter that lives in the repository (so CI without ../shared still rewrites a file): code
    blocks, inline code, math, links and URLs, a term split by markup, a suppression comment, rival renderings and
    miscased names. The expected file was written by hand."""
    src = ENGINE_FIXTURES / "chapter-fix.md"
    expected = (ENGINE_FIXTURES / "chapter-fix.expected.md").read_bytes()
    assert src.read_bytes() != expected
    doc = tmp_path / "chapter.md"
    shutil.copy(src, doc)
    proc = nnterm("check", "chapter.md", "--fix", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr  # one warning is left: it cannot be fixed without dropping markup
    assert doc.read_bytes() == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chapter.md"]
    # what is left: hints (missing glosses are never applied by --fix) and 批**归一化, whose fix would drop the **
    # (the ReLU the fix cased correctly needs no expansion: everyday notation, exempt)
    text = expected.decode("utf-8")
    split = text.index("批**归一化")
    left = [(d["code"], d["line"], d["column"], d["found"], d["fixable"]) for d in json.loads(proc.stdout) if d["severity"] != "hint"]
    assert left == [
        ("inconsistent", *line_col(text, split), "批**归一化", False),
    ]
    # a second run finds nothing more to fix and leaves the file alone
    inode = doc.stat().st_ino
    again = nnterm("check", "chapter.md", "--fix", cwd=tmp_path)
    assert again.returncode == 1, again.stderr
    assert doc.read_bytes() == expected and doc.stat().st_ino == inode


def test_a_fix_keeps_the_writers_spacing_between_latin_and_chinese():
    # GPU 内存 -> GPU 显存 (the writer spaces Latin from Chinese), not GPU显存
    from nnterm_ls.analysis import Engine

    text = "GPU显存很大，GPU显存也是，GPU显存。后来 GPU 内存不够。\n"
    found = [f for f in Engine().check_text("doc.md", text) if f.code == "inconsistent"]
    assert [(f.found, f.fix.edits[0].new_text) for f in found] == [("GPU 内存", "GPU 显存")]


def test_a_fix_grows_over_the_characters_beside_it_that_the_replacement_repeats():
    # 多专家混合模型: the term matched is 专家混合模型, the kept form 多专家模型 begins with the 多 before it
    from nnterm_ls.analysis import Engine
    from nnterm_ls.rules.findings import apply_edits

    text = "多专家模型很好，多专家模型常用，多专家模型也行。我们用多专家混合模型。\n"
    found = [f for f in Engine().check_text("a.md", text) if f.code == "inconsistent"]
    assert [f.found for f in found] == ["专家混合模型"]
    assert apply_edits(text, found[0].fix.edits).endswith("我们用多专家模型。\n")
