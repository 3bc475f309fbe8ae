"""Reading order of a Markdown book (issue 10, section 4), through the real CLI: an abbreviation defined in an
earlier chapter — earlier in the book's own order, not in path order — counts for the later ones."""

from __future__ import annotations

import json

import pytest

DEFINES = "批量归一化（batch normalization，BN）是常用方法。\n"
USES = "本章使用 BN 加速训练。\n"


def abbr_findings(nnterm, root, *args):
    proc = nnterm("check", "--format", "json", "--select", "abbreviation-before-definition", *args, ".", cwd=root)
    return [(f["path"], f["found"]) for f in json.loads(proc.stdout)]


def book(tmp_path, index_name=None, index_text=None):
    # path order would read a_uses.md first; the book reads z_defines.md first
    (tmp_path / "a_uses.md").write_text(USES, encoding="utf-8")
    (tmp_path / "z_defines.md").write_text(DEFINES, encoding="utf-8")
    if index_name:
        (tmp_path / index_name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / index_name).write_text(index_text, encoding="utf-8")
    return tmp_path


def test_path_order_alone_declares_nothing(tmp_path, nnterm):
    # a_uses.md sorts first, but nothing says a reader meets it first: the expansion elsewhere counts
    assert abbr_findings(nnterm, book(tmp_path)) == []


def test_numbered_names_declare_their_order(tmp_path, nnterm):
    # chapter numbers are an order: 第2章 before 第10章 (numerically, not as text)
    (tmp_path / "第10章-后文").mkdir()
    (tmp_path / "第2章-前文").mkdir()
    (tmp_path / "第2章-前文" / "2.1-使用.md").write_text(USES, encoding="utf-8")
    (tmp_path / "第10章-后文" / "10.1-定义.md").write_text(DEFINES, encoding="utf-8")
    assert abbr_findings(nnterm, tmp_path) == [("第2章-前文/2.1-使用.md", "BN")]
    (tmp_path / "chapter2.md").write_text(USES, encoding="utf-8")
    (tmp_path / "chapter10.md").write_text(DEFINES, encoding="utf-8")
    assert ("chapter2.md", "BN") in abbr_findings(nnterm, tmp_path)


@pytest.mark.parametrize("name, text", [
    ("index.md", "# 书\n\n```toc\n:maxdepth: 2\n\nz_defines\na_uses\n```\n"),
    ("SUMMARY.md", "# Summary\n\n- [定义](z_defines.md)\n- [使用](a_uses.md)\n"),
    (".nnterm.yaml", "order: [z_defines.md, a_uses.md]\n"),
])
def test_the_books_own_order(tmp_path, nnterm, name, text):
    assert abbr_findings(nnterm, book(tmp_path, name, text)) == []


def test_mkdocs_nav(tmp_path, nnterm):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a_uses.md").write_text(USES, encoding="utf-8")
    (docs / "z_defines.md").write_text(DEFINES, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("nav:\n  - 定义: z_defines.md\n  - 使用: a_uses.md\n", encoding="utf-8")
    assert abbr_findings(nnterm, tmp_path) == []


def test_files_named_on_the_command_line_keep_that_order(tmp_path, nnterm):
    book(tmp_path, "index.md", "```toc\nz_defines\na_uses\n```\n")
    proc = nnterm("check", "--format", "json", "--select", "abbreviation-before-definition", "a_uses.md", "z_defines.md",
                  cwd=tmp_path)
    assert [(f["path"], f["found"]) for f in json.loads(proc.stdout)] == [("a_uses.md", "BN")]


def test_a_chapters_own_index_orders_its_sections_when_the_book_has_no_root_index(tmp_path, nnterm):
    chapter = tmp_path / "chapter_basics"
    chapter.mkdir()
    (chapter / "a_uses.md").write_text(USES, encoding="utf-8")
    (chapter / "z_defines.md").write_text(DEFINES, encoding="utf-8")
    # Sphinx's toctree inside an eval_rst block, as d2l-zh's first edition writes it
    (chapter / "index.md").write_text("# 基础\n\n```eval_rst\n\n.. toctree::\n   :maxdepth: 2\n\n   z_defines\n   a_uses\n```\n",
                                      encoding="utf-8")
    assert abbr_findings(nnterm, tmp_path) == []



def numbered_book(tmp_path, readme_lines):
    for chapter, section, text in [("第3章-前", "3.1-前.md", "前言。\n"), ("第3章-前", "3.2-前.md", "前言。\n"),
                                   ("第4章-中", "4.1-中.md", USES), ("第5章-后", "5.1-后.md", DEFINES),
                                   ("第5章-后", "5.2-后.md", "后记。\n")]:
        (tmp_path / chapter).mkdir(exist_ok=True)
        (tmp_path / chapter / section).write_text(text, encoding="utf-8")
    (tmp_path / "README.md").write_text("# 目录\n\n" + "".join(f"- {line}\n" for line in readme_lines), encoding="utf-8")
    return tmp_path


def test_a_file_the_index_does_not_link_reads_in_its_numbers_place(tmp_path, nnterm):
    # ai-system-zh's README links most sections but names chapter 4's without links: 4.1 is still read after the
    # sections linked before it (3.x) and before those linked after it (5.x), not outside the order
    root = numbered_book(tmp_path, ["[3.1](第3章-前/3.1-前.md)", "[3.2](第3章-前/3.2-前.md)", "4.1 中",
                                    "[5.1](第5章-后/5.1-后.md)", "[5.2](第5章-后/5.2-后.md)"])
    assert abbr_findings(nnterm, root) == [("第4章-中/4.1-中.md", "BN")]


def test_an_index_that_orders_numbered_files_otherwise_leaves_the_unlisted_ones_outside_the_order(tmp_path, nnterm):
    # the index reads chapter 5 before chapter 3: the numbers are not its order, so they place nothing
    root = numbered_book(tmp_path, ["[5.1](第5章-后/5.1-后.md)", "[5.2](第5章-后/5.2-后.md)",
                                    "[3.1](第3章-前/3.1-前.md)", "[3.2](第3章-前/3.2-前.md)"])
    assert abbr_findings(nnterm, root) == []
