"""`nnterm check --jobs` (issue 16): documents analysed by forked workers give exactly the findings of one process.

The workers' analyses are compared with the main process's own, field by field, and the real CLI's output with
``--jobs 1`` and ``--jobs 2`` on real corpora, byte for byte.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from engine_helpers import Config, Engine, corpus_or_skip

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked (Linux)")


def test_workers_deliver_every_analysis_and_each_equals_the_serial_one():
    from nnterm_ls.cli.parallel import analyse_in_parallel

    files = sorted((corpus_or_skip() / "d2l-zh").rglob("*.md"))[:40]
    engine = Engine(config=Config())
    made = analyse_in_parallel(engine, files, 2)
    assert sorted(made) == sorted(str(f) for f in files)  # every file came back, the worker's half too
    forms = {id(f) for c in engine.termbase.concepts.values() for f in c.forms}
    for f in files:
        doc = made[str(f)]
        # (the workers leave the resolve stage to the set check, as the serial path does: uses resolve when read)
        serial = engine.analyze(str(f), f.read_text(encoding="utf-8"), resolve_uses=False)
        for name in vars(serial):
            assert _state(getattr(doc, name)) == _state(getattr(serial, name)), (f, name)
        assert doc.uses == serial.uses, f
        # the term base's own form objects, not copies of them
        assert all(id(form) in forms for occ in doc.occurrences for form in occ.forms)


def _state(value):
    """A value as data: objects without an equality of their own (the line index, suppressions) by their fields."""
    if type(value).__eq__ is not object.__eq__ or value is None:
        return value
    slots = getattr(type(value), "__slots__", None)
    if slots is not None:
        return (type(value).__name__, tuple(_state(getattr(value, s, None)) for s in slots))
    return (type(value).__name__, {k: _state(v) for k, v in vars(value).items()})


@pytest.mark.parametrize("corpus", ["d2l-zh", "thu-llm-thesis"])
def test_check_output_is_the_same_with_workers(nnterm, corpus):
    root = corpus_or_skip() / corpus
    outputs = {}
    for jobs in ("1", "2"):
        got = nnterm("check", "--format", "json", "--jobs", jobs, root)
        assert got.returncode in (0, 1), got.stderr
        outputs[jobs] = got.stdout
    assert outputs["1"].count('"code":') > 10
    assert outputs["1"] == outputs["2"]


def test_small_inputs_stay_in_one_process(tmp_path):
    from nnterm_ls.cli.parallel import analyse_in_parallel

    docs = []
    for i in range(5):
        p = tmp_path / f"c{i}.md"
        p.write_text("学习率和批归一化。\n", encoding="utf-8")
        docs.append(Path(p))
    assert analyse_in_parallel(Engine(config=Config()), docs, 2) == {}
