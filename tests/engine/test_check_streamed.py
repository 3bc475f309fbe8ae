"""`nnterm check` on a set too large to hold checks it one document at a time (Engine.check_stream; over 8 MB of
files, or NNTERM_STREAM_BYTES): its output must be byte for byte that of the held check — the stored expectation
on every real corpus, and the held run's output with other rule selections and with --cache."""

from __future__ import annotations

import sys

import pytest

from engine_helpers import REPO, corpus_or_skip

sys.path.insert(0, str(REPO / "scripts"))
import expected_output  # noqa: E402

STREAM = {"NNTERM_STREAM_BYTES": "0"}


def test_every_corpus_byte_identical_when_streamed(nnterm_cache):
    corpus_or_skip()
    expected = expected_output.load_expected()
    actual = expected_output.run_all(env={"NNTERM_CACHE_DIR": str(nnterm_cache), **STREAM}, jobs=1)
    problems = expected_output.compare(expected, actual)
    assert not problems, "\n\n".join(problems)


BOOK = {
    "index.md": "# 书\n\n```toc\nch1\nch2\nch3\n```\n",
    "ch1.md": "本章介绍批量归一化（batch normalization，BN）。批量归一化很常用。正态分布很常见。正态分布。\n",
    "ch2.md": "BN 层放在卷积之后。批量规范化也可以。高斯分布。我们把学习速度（learning rate）设为 0.1，学习速度不宜过大。\n",
    "ch3.md": "批量规范化再次出现。学习速度很重要。The minibatch size and the mini-batch size.\n<!-- nnterm-disable-next-line -->\n批量规范化。\n",
}


@pytest.mark.parametrize("flags", [[], ["--select", "synonym", "--select", "inconsistent", "--select", "non-preferred",
                                    "--select", "missing-gloss"],
                                   ["--format", "sarif"], ["--cache"]])
def test_streamed_equals_held(nnterm, tmp_path, flags):
    for name, text in BOOK.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    env = {"NNTERM_CACHE_DIR": str(tmp_path / ".cache")} if "--cache" in flags else {}
    args = ["check", "--format", "json", *flags, "."] if "--format" not in flags else ["check", *flags, "."]
    held = nnterm(*args, cwd=tmp_path, env=env)
    assert held.returncode == 1 and held.stdout.strip() not in ("", "[]"), held.stderr
    for _ in range(2):  # with --cache: the second streamed run reads the stored analyses and set
        streamed = nnterm(*args, cwd=tmp_path, env={**env, **STREAM})
        assert (streamed.returncode, streamed.stdout) == (held.returncode, held.stdout), streamed.stderr
