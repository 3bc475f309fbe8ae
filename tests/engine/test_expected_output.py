"""`nnterm check` on every real corpus gives the stored output byte for byte (issue 16: speed work never changes
what is reported). The expectation is tests/data/expected-output.json.gz, written by
`python scripts/expected_output.py --update`; a change meant to alter findings regenerates it in the same commit."""

from __future__ import annotations

import sys

import pytest

from engine_helpers import REPO, corpus_or_skip

sys.path.insert(0, str(REPO / "scripts"))
import expected_output  # noqa: E402


@pytest.fixture(scope="module")
def expected():
    corpus_or_skip()
    return expected_output.load_expected()


def test_every_corpus_byte_identical(expected, nnterm_cache):
    actual = expected_output.run_all(env={"NNTERM_CACHE_DIR": str(nnterm_cache)}, jobs=1)
    problems = expected_output.compare(expected, actual)
    assert not problems, "\n\n".join(problems)
