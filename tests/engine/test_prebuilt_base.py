"""The compiled term base a wheel ships prebuilt (issue 16, cold start): used when it was built from this
installation's very files, rebuilt into the user's cache when it is stale, missing or damaged.

An installed layout is made the way the wheel lays it out (``nnterm_ls/`` with ``nnterm_ls/data/`` inside), the
prebuilt file is written by the same function the build hook calls, and the real CLI runs as a subprocess with an
empty cache folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from engine_helpers import REPO

DOC = "激励函数在这里出现。我们用学习率和 relu。\n"
NEW_CONCEPT = """
  - id: zz-prebuilt-probe
    en: frobnicating layer
    zh: 弗罗布层
    definition:
      en: "A made-up concept that only this test adds to a copy of the term files."
      zh: "只有这个测试加入术语文件副本的虚构概念。"
"""


def _install(tmp_path):
    site = tmp_path / "build"
    shutil.copytree(REPO / "nnterm_ls", site / "nnterm_ls", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "data", site / "nnterm_ls" / "data")
    return site


def _py(site, code, cache, *args, cwd=None):
    env = {**os.environ, "PYTHONPATH": str(site), "NNTERM_CACHE_DIR": str(cache), "PYTHONIOENCODING": "utf-8"}
    env.pop("NNTERM_NO_CACHE", None)
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=cwd or site.parent, timeout=300)


CLI = "import sys; from nnterm_ls.cli import main; sys.exit(main())"


def _check(site, cache, doc):
    return _py(site, CLI, cache, "check", "--format", "json", doc)


def _built_in_cache(cache) -> bool:
    return any((cache / "nnterm-ls").glob("compiled-*.pickle")) if (cache / "nnterm-ls").is_dir() else False


@pytest.fixture
def layout(tmp_path):
    build = _install(tmp_path)
    doc = tmp_path / "doc.md"
    doc.write_text(DOC, encoding="utf-8")
    made = _py(build, "import sys; from nnterm_ls.termbase.compiled import write_prebuilt; write_prebuilt(sys.argv[1])",
               tmp_path / "unused", build / "nnterm_ls" / "data" / "compiled-base.pickle")
    assert made.returncode == 0, made.stderr
    site = build.rename(tmp_path / "installed")  # built in one place, installed in another
    prebuilt = site / "nnterm_ls" / "data" / "compiled-base.pickle"
    # the reference: this installation without any prebuilt file, built from its term files
    ref_cache = tmp_path / "ref-cache"
    os.rename(prebuilt, tmp_path / "held")
    reference = _check(site, ref_cache, doc)
    os.rename(tmp_path / "held", prebuilt)
    assert reference.returncode == 1 and '"code":' in reference.stdout, reference.stderr
    assert _built_in_cache(ref_cache)
    return site, doc, prebuilt, reference


def test_fresh_prebuilt_is_used_and_gives_the_same_findings(layout, tmp_path):
    site, doc, _prebuilt, reference = layout
    cache = tmp_path / "cache"
    got = _check(site, cache, doc)
    assert got.stdout == reference.stdout and got.returncode == reference.returncode, got.stderr
    assert not _built_in_cache(cache)  # nothing was built: the shipped file answered
    # term-file paths point into this installation, not where the file was built
    where = _py(site, "from nnterm_ls.termbase import load_termbase; print(load_termbase().get('relu').source.path)",
                tmp_path / "cache-2")
    assert where.stdout.strip() == str(site / "nnterm_ls" / "data" / "terms" / "activations.yaml"), where.stderr


def test_stale_prebuilt_is_not_used_after_a_term_file_changes(layout, tmp_path):
    site, _doc, _prebuilt, _reference = layout
    terms = site / "nnterm_ls" / "data" / "terms" / "layers.yaml"
    terms.write_text(terms.read_text(encoding="utf-8").rstrip("\n") + "\n" + NEW_CONCEPT, encoding="utf-8")
    cache = tmp_path / "cache"
    got = _py(site, CLI, cache, "lookup", "弗罗布层")
    assert got.returncode == 0 and "frobnicating layer" in got.stdout, (got.stdout, got.stderr)
    assert _built_in_cache(cache)


@pytest.mark.parametrize("damage", ["missing", "truncated", "other-python"])
def test_missing_or_damaged_prebuilt_is_rebuilt_in_the_cache(layout, tmp_path, damage):
    site, doc, prebuilt, reference = layout
    data = prebuilt.read_bytes()
    if damage == "missing":
        prebuilt.unlink()
    elif damage == "truncated":
        prebuilt.write_bytes(data[: len(data) // 2])
    else:  # same contents, keyed for another interpreter: a wheel built elsewhere
        head, rest = data.split(b"\n", 1)
        prebuilt.write_bytes(head[:-4] + b"0000\n" + rest)
    cache = tmp_path / "cache"
    got = _check(site, cache, doc)
    assert got.stdout == reference.stdout and got.returncode == reference.returncode, got.stderr
    assert _built_in_cache(cache)
