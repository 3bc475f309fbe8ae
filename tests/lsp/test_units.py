"""The server's plain modules without a process: config/term-file editing, completion prefixes."""

from __future__ import annotations

import yaml

from nnterm_ls.lsp.features import actions as A
from nnterm_ls.lsp.features.completion import typed_prefixes


def test_set_preferred_keeps_comments_and_replaces_entry():
    text = "# project\npreferred:\n  learning-rate: {en: \"learning rate\"}\n  batch-normalization: 批归一化\nrules:\n  casing: off\n"
    out = A.set_preferred_in_config(text, "learning-rate", "zh", "学习率")
    assert out.startswith("# project\n")
    doc = yaml.safe_load(out)
    assert doc["preferred"]["learning-rate"] == {"en": "learning rate", "zh": "学习率"}
    assert doc["preferred"]["batch-normalization"] == "批归一化"
    assert doc["rules"] == {"casing": False}
    assert yaml.safe_load(A.set_preferred_in_config(None, "x", "en", "y")) == {"preferred": {"x": {"en": "y"}}}


def test_add_terms_file_and_concept():
    assert yaml.safe_load(A.add_terms_file_to_config("rules: {}\n", ".nnterm/terms.yaml"))["terms"] == [".nnterm/terms.yaml"]
    text = "terms:\n  - a.yaml\n"
    assert yaml.safe_load(A.add_terms_file_to_config(text, "b.yaml"))["terms"] == ["a.yaml", "b.yaml"]
    assert A.add_terms_file_to_config("terms:\n  - b.yaml\n", "b.yaml") == "terms:\n  - b.yaml\n"
    first, cid = A.add_concept_to_term_file(None, "flux gate", set())
    assert cid == "flux-gate"
    second, cid2 = A.add_concept_to_term_file(first, "通量门", {"flux-gate"})
    doc = yaml.safe_load(second)
    assert [c["id"] for c in doc["concepts"]] == ["flux-gate", cid2]
    assert cid2.replace("-", "").isalnum() and cid2.isascii()


def test_typed_prefixes():
    text = "我们使用激活 and batch norm `code`"
    masked = text.replace("`code`", "\x01" * 6)
    script, prefixes = typed_prefixes(text, masked, 6)
    assert script == "han" and prefixes[-1] == (5, "活") and prefixes[0][1] == "我们使用激活"
    end = text.index("batch norm") + len("batch norm")
    script, prefixes = typed_prefixes(text, masked, end)
    assert script == "latin" and [p[1] for p in prefixes] == ["and batch norm", "batch norm", "norm"]
    assert typed_prefixes(text, masked, len(text) - 1) == ("", [])


def test_the_collector_is_back_on_after_a_check_and_a_full_collection_waits_for_quiet():
    # the diagnostics loop turns the cyclic collector off for a check (lsp/server.py): it must be on again once the
    # results are out, and each check moves the full collection it schedules for a quiet moment
    import asyncio
    import gc

    from nnterm_ls.lsp import server as S

    async def scenario():
        ls = S.NntermServer()
        gc.disable()
        ls._collect_later()
        first = ls._idle_collection
        assert not gc.isenabled()  # (not before the loop has run the publish)
        await asyncio.sleep(0)
        assert gc.isenabled()
        gc.disable()
        ls._collect_later()
        await asyncio.sleep(0)
        assert gc.isenabled() and first.cancelled() and not ls._idle_collection.cancelled()
        ls._idle_collection.cancel()

    try:
        asyncio.run(scenario())
    finally:
        gc.enable()
