"""`--fix` over all of d2l-zh (issue 10, section 5): every changed span is a span some finding claimed with a safe
fix, and no glossed head, definition sentence, link target, path or reference entry is rewritten."""

from __future__ import annotations

import json
import re
import shutil

from engine_helpers import corpus_or_skip


def test_fix_over_d2l_zh_touches_only_claimed_spans(tmp_path, nnterm):
    src = corpus_or_skip() / "d2l-zh"
    book = tmp_path / "d2l-zh"
    shutil.copytree(src, book)
    before = {p.relative_to(book).as_posix(): p.read_text(encoding="utf-8") for p in book.rglob("*.md")}
    proc = nnterm("check", "--format", "json", ".", cwd=book)
    findings = json.loads(proc.stdout)
    claimed: dict[str, list[tuple[int, int, str]]] = {}
    for f in findings:
        if f["fixable"]:
            claimed.setdefault(f["path"], []).append((f["line"], f["column"], f["found"], f["suggestion"]))
    fixed = nnterm("check", "--fix", "--format", "json", ".", cwd=book)
    assert fixed.returncode in (0, 1), fixed.stderr
    changed_files = 0
    for rel, old in before.items():
        new = (book / rel).read_text(encoding="utf-8")
        if new == old:
            assert rel not in claimed
            continue
        changed_files += 1
        old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
        assert len(old_lines) == len(new_lines), rel  # a fix never adds or removes a line
        want = sorted(claimed[rel])
        for i, (a, b) in enumerate(zip(old_lines, new_lines)):
            if a == b:
                continue
            mine = [c for c in want if c[0] == i + 1]
            assert mine, f"{rel}:{i + 1}: changed without a fixable finding"
            # replaying the claimed replacements on the old line gives exactly the new line
            line = a
            for _l, col, found, suggestion in sorted(mine, key=lambda c: -c[1]):
                start = col - 1
                assert line[start:start + len(found)] == found, (rel, i + 1, found)
                line = line[:start] + suggestion + line[start + len(found):]
            assert line == b, f"{rel}:{i + 1}"
            # never inside a link target, a path, a reference entry, or a definition sentence
            for _l, col, found, _s in mine:
                before_text = a[: col - 1]
                assert not re.search(r"\]\([^)]*$", before_text), (rel, i + 1, "link target")
                assert not re.match(r"^\s*\[\d+\]", a), (rel, i + 1, "reference entry")
                assert not re.search(r"(又称|也叫|或称|简称|称为)\W{0,3}$", before_text), (rel, i + 1, "definition")
                gloss = re.match(r"^[（(]([^（）()]*)[）)]", a[col - 1 + len(found):].lstrip("*_"))
                assert not (gloss and re.search(r"[A-Za-z]{2,}", gloss.group(1))), (rel, i + 1, "glossed head rewritten")
    assert changed_files > 0  # the audit ran on real fixes
