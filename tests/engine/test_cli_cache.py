"""`nnterm check --cache` (issue 13, Caching): the real CLI as a subprocess, cached runs against uncached ones on real
documents, after edits too; a corrupt entry is ignored and rewritten; two runs may share the cache folder."""

from __future__ import annotations

import shutil
import threading

import pytest

from engine_helpers import REPO, corpus_or_skip


def _copy_thesis(tmp_path):
    src = corpus_or_skip() / "thu-llm-thesis"
    dst = tmp_path / "thesis"
    shutil.copytree(src, dst)
    return dst


def _both(nnterm, cwd, cache_dir, *paths, fmt="json"):
    plain = nnterm("check", "--format", fmt, "--color", "never", *paths, cwd=cwd)
    cached = nnterm("check", "--format", fmt, "--color", "never", "--cache", "--cache-dir", cache_dir, *paths, cwd=cwd)
    return plain, cached


def _same(a, b):
    assert a.returncode == b.returncode, (a.stderr, b.stderr)
    assert a.stdout == b.stdout


def test_cached_runs_equal_uncached_ones_after_edits(nnterm, tmp_path):
    root = _copy_thesis(tmp_path)
    cache = tmp_path / "cache"
    for fmt in ("json", "text"):
        plain, cold = _both(nnterm, root, cache, "thuthesis-example.tex", fmt=fmt)
        assert plain.stdout.strip(), plain.stderr
        _same(plain, cold)
        _plain, warm = _both(nnterm, root, cache, "thuthesis-example.tex", fmt=fmt)
        _same(plain, warm)
    assert list(cache.glob("set-*.pickle")) and list(cache.glob("doc-*.pickle"))
    # the stored rendering of one threshold is not another's
    for _ in range(2):
        hints = nnterm("check", "--format", "text", "--color", "never", "--show-hints", "thuthesis-example.tex", cwd=root)
        cached_hints = nnterm("check", "--format", "text", "--color", "never", "--show-hints", "--cache", "--cache-dir",
                              cache, "thuthesis-example.tex", cwd=root)
        _same(hints, cached_hints)
    # an edit in one included chapter: a rendering changes, so the cross-file rules see new counts
    chapter = sorted((root / "data").glob("chap*.tex"))[0]
    text = chapter.read_text(encoding="utf-8")
    assert "超参数" in text or "模型" in text
    chapter.write_text(text.replace("超参数", "超参").replace("模型", "模形", 3) + "\n批归一化与批量归一化。\n",
                       encoding="utf-8")
    plain_after, cached_after = _both(nnterm, root, cache, "thuthesis-example.tex")
    _same(plain_after, cached_after)
    assert plain_after.stdout != plain.stdout  # the edit is seen
    # an \input target removed: the set shrinks, with or without the cache
    (root / "data" / "denotation.tex").unlink()
    plain_gone, cached_gone = _both(nnterm, root, cache, "thuthesis-example.tex")
    _same(plain_gone, cached_gone)
    assert plain_gone.stdout != plain_after.stdout


def test_rule_flags_are_part_of_the_key(nnterm, tmp_path):
    root = _copy_thesis(tmp_path)
    cache = tmp_path / "cache"
    _both(nnterm, root, cache, "thuthesis-example.tex")
    for flags in (["--select", "casing"], ["--ignore", "inconsistent"], ["--no-learn"]):
        plain = nnterm("check", "--format", "json", *flags, "thuthesis-example.tex", cwd=root)
        cached = nnterm("check", "--format", "json", "--cache", "--cache-dir", cache, *flags, "thuthesis-example.tex",
                        cwd=root)
        _same(plain, cached)


def test_config_turns_the_cache_on_and_a_changed_config_is_a_miss(nnterm, tmp_path):
    root = _copy_thesis(tmp_path)
    (root / ".nnterm.yaml").write_text("cache: true\ncache_dir: .cache-here\n", encoding="utf-8")
    plain = nnterm("check", "--format", "json", "--no-cache", "thuthesis-example.tex", cwd=root)
    assert not (root / ".cache-here").exists()
    first = nnterm("check", "--format", "json", "thuthesis-example.tex", cwd=root)
    assert list((root / ".cache-here").glob("set-*.pickle"))
    _same(plain, first)
    (root / ".nnterm.yaml").write_text("cache: true\ncache_dir: .cache-here\nrules:\n  inconsistent: off\n",
                                       encoding="utf-8")
    plain = nnterm("check", "--format", "json", "--no-cache", "thuthesis-example.tex", cwd=root)
    again = nnterm("check", "--format", "json", "thuthesis-example.tex", cwd=root)
    _same(plain, again)
    assert '"inconsistent"' not in again.stdout


def test_corrupt_entries_are_ignored_and_rewritten(nnterm, tmp_path):
    root = _copy_thesis(tmp_path)
    cache = tmp_path / "cache"
    plain, _cold = _both(nnterm, root, cache, "thuthesis-example.tex")
    entries = sorted(cache.glob("*.pickle"))
    assert len(entries) >= 3
    for i, entry in enumerate(entries):
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) // 3] if i % 2 else b"not a pickle")
    broken = nnterm("check", "--format", "json", "--cache", "--cache-dir", cache, "thuthesis-example.tex", cwd=root)
    _same(plain, broken)
    for entry in entries:  # every entry was written again, whole
        assert entry.stat().st_size > 100 and entry.read_bytes()[:1] == b"\x80"
    warm = nnterm("check", "--format", "json", "--cache", "--cache-dir", cache, "thuthesis-example.tex", cwd=root)
    _same(plain, warm)


def test_two_runs_share_the_cache(nnterm, tmp_path):
    root = corpus_or_skip() / "ai-system-zh"
    cache = tmp_path / "cache"
    plain = nnterm("check", "--format", "json", str(root))
    out = [None, None]

    def go(i):
        out[i] = nnterm("check", "--format", "json", "--cache", "--cache-dir", cache, str(root))

    threads = [threading.Thread(target=go, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for res in out:
        _same(plain, res)
    assert not [p for p in cache.iterdir() if p.name.endswith(".tmp")]
    _same(plain, nnterm("check", "--format", "json", "--cache", "--cache-dir", cache, str(root)))


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "rdjson"])
def test_every_format_from_the_cache(nnterm, tmp_path, fmt):
    cache = tmp_path / "cache"
    plain, cold = _both(nnterm, REPO, cache, "examples", fmt=fmt)
    _same(plain, cold)
    _plain, warm = _both(nnterm, REPO, cache, "examples", fmt=fmt)
    _same(plain, warm)
