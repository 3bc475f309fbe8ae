"""The term base: coverage of the seeds, lookup, validation with exact lines, user layering, export round trips."""

from __future__ import annotations

import json
import re
import textwrap
import time
from pathlib import Path

import pytest

from nnterm_ls.termbase import load_termbase
from nnterm_ls.termbase.loader import build
from nnterm_ls.termbase.pinyin import keys

FIXTURES = Path(__file__).resolve().parent / "fixtures"

SEED_LIST = Path(__file__).parent / "data" / "seed_terms.txt"


def seed_terms() -> list[str]:
    out = []
    for line in SEED_LIST.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and line not in out:
            out.append(line)
    return out


@pytest.fixture(scope="module")
def base():
    return load_termbase(texts=None)


# -- coverage ---------------------------------------------------------------------------------------------------


def test_every_seed_term_resolves(run_nnterm):
    terms = seed_terms()
    assert len(terms) > 500
    result = run_nnterm("lookup", "--json", *terms)
    data = json.loads(result.stdout)
    assert len(data) == len(terms)
    missing = [t for t, concepts in zip(terms, data) if not concepts]
    assert missing == []
    assert result.returncode == 0, result.stderr


def test_builtin_base_is_valid_and_large(run_nnterm, base):
    result = run_nnterm("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.fullmatch(r"built-in base \(\d+ files\): \d+ concepts, 0 error\(s\), \d+ warning\(s\)\n", result.stderr), result.stderr
    assert result.stdout == ""
    assert len(base) >= 600
    for concept in base.concepts.values():
        assert concept.definition_en and concept.definition_zh, concept.id
        assert concept.en and concept.zh, concept.id


def test_known_renderings_are_recorded(base):
    bn = base.get("batch-normalization")
    zh = {f.text: f.status for f in bn.forms if f.lang == "zh"}
    assert zh["批量归一化"] == "preferred"
    for admitted in ("批量规范化", "批标准化", "批归一化"):
        assert zh[admitted] == "admitted"
    assert "BN" in bn.abbreviations
    pooling = base.lookup("池化")[0]
    assert pooling.zh == "池化" and any(f.text == "汇聚" for f in pooling.forms)
    dropout = base.lookup("dropout")[0]
    assert {"丢弃法", "暂退法", "随机失活"} <= {f.text for f in dropout.forms}
    assert base.lookup("PyTorch")[0].en == "PyTorch"
    assert base.lookup("tensorflow")[0].en == "TensorFlow"


@pytest.mark.parametrize("form", ["偏差", "精度", "标记", "步长", "特征向量", "下采样", "标准化"])
def test_ambiguous_forms_name_several_concepts(base, form):
    concepts = base.lookup(form)
    assert len(concepts) >= 2, [c.id for c in concepts]
    for concept in concepts:
        assert any(f.text == form and f.ambiguous for f in concept.forms)


# -- lookup on the command line -----------------------------------------------------------------------------------


def test_lookup_json_shape_and_variants(run_nnterm):
    terms = ["Batch Normalizations", "batch-normalization", "BN", "批归一化", "ＢＮ", "激活函数"]
    result = run_nnterm("lookup", "--json", *terms)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [[c["id"] for c in concepts] for concepts in data[:5]] == [["batch-normalization"]] * 5
    concept = data[0][0]
    assert {"id", "en", "zh", "forms", "definition"} <= set(concept)
    assert concept["en"] == "batch normalization" and concept["zh"] == "批量归一化"
    assert all({"text", "lang", "status"} <= set(f) for f in concept["forms"])
    assert set(concept["definition"]) == {"en", "zh"}
    assert data[5][0]["en"] == "activation function"


def test_lookup_unknown_term_suggests_and_exits_1(run_nnterm):
    result = run_nnterm("lookup", "activaton function", "学习率")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    # the unknown term first, with rapidfuzz suggestions (the closest first), then the known one's entry
    assert re.fullmatch(r"activaton function: unknown term; did you mean: activation function(, [^,]+)*\?", lines[0]), lines[0]
    assert lines[1] == ""
    assert lines[2] == "学习率  learning rate  [learning-rate · optimization]"
    as_json = run_nnterm("lookup", "--json", "nonexistent-thing-xyz")
    assert as_json.returncode == 1
    assert json.loads(as_json.stdout) == [[]]


def test_lookup_ambiguous_prints_every_sense(run_nnterm):
    result = run_nnterm("lookup", "--json", "偏差")
    ids = {c["id"] for c in json.loads(result.stdout)[0]}
    assert {"bias-term", "statistical-bias"} <= ids


def test_usage_error_exits_2(run_nnterm):
    assert run_nnterm("lookup").returncode == 2
    assert run_nnterm("export").returncode == 2
    assert run_nnterm("no-such-command").returncode == 2


# -- validation -----------------------------------------------------------------------------------------------------


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return p


GOOD = """
concepts:
  - id: alpha-term
    en: alpha term
    zh: 阿尔法术语
    definition: {en: First test concept., zh: 第一个测试概念。}
"""


@pytest.mark.parametrize(
    "name, text, line, fragment",
    [
        ("syntax.yaml", "concepts:\n  - id: x\n    en: [unclosed\n", 4, "YAML syntax error"),
        ("dupid.yaml", GOOD + "  - id: alpha-term\n    en: other\n    zh: 其他\n    definition: {en: a, zh: b}\n", 6, "duplicate concept id 'alpha-term'"),
        ("unknown.yaml", GOOD + "    colour: red\n", 6, "unknown key 'colour'"),
        ("missing.yaml", "concepts:\n  - id: beta-term\n    en: beta term\n    definition: {en: a, zh: b}\n", 2, "missing required key 'zh'"),
        ("related.yaml", GOOD + "    related: [no-such-concept]\n", 6, "related id 'no-such-concept' does not exist"),
        ("badid.yaml", "concepts:\n  - id: Bad Id\n    en: x\n    zh: 叉\n    definition: {en: a, zh: b}\n", 2, "invalid id"),
        ("type.yaml", "concepts:\n  - id: gamma\n    en: gamma\n    zh: 伽马\n    abbr: GM\n    definition: {en: a, zh: b}\n", 5, "expected array"),
    ],
)
def test_validate_reports_file_line_and_problem(run_nnterm, tmp_path, name, text, line, fragment):
    path = _write(tmp_path, name, text)
    result = run_nnterm("validate", str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [l for l in result.stdout.splitlines() if fragment in l]
    assert lines, result.stdout
    assert lines[0].startswith(f"{path}:{line}:"), lines[0]


def test_validate_form_claimed_by_two_concepts(run_nnterm, tmp_path):
    path = _write(tmp_path, "claim.yaml", """
        concepts:
          - id: my-normalisation-thing
            en: my normalisation thing
            zh: 我的东西
            variants:
              zh: [批量归一化]
            definition: {en: a, zh: b}
        """)
    result = run_nnterm("validate", str(path))
    assert result.returncode == 1
    assert result.stdout.startswith(f"{path}:6:")  # the line of the variant that claims the form
    assert "'批量归一化'" in result.stdout and "batch-normalization" in result.stdout and "ambiguous" in result.stdout


def test_ambiguous_claim_is_allowed(tmp_path):
    a = _write(tmp_path, "a.yaml", """
        concepts:
          - id: one
            en: one
            zh: {text: 同形, ambiguous: true}
            definition: {en: a, zh: b}
          - id: two
            en: two
            zh: {text: 同形, ambiguous: true}
            definition: {en: a, zh: b}
        """)
    concepts, problems = build([a], [])
    assert [p for p in problems if p.severity == "error"] == []
    assert set(concepts) == {"one", "two"}


def test_broken_user_file_keeps_builtin_base(tmp_path):
    broken = _write(tmp_path, "broken.yaml", "concepts:\n  - id: x\n    en: [oops\n")
    tb = load_termbase([broken])
    assert len(tb) >= 600
    assert any(p.path == str(broken) and p.line == 4 for p in tb.problems)
    assert tb.lookup("激活函数")


def test_bad_concept_is_skipped_rest_kept(tmp_path):
    f = _write(tmp_path, "mixed.yaml", GOOD + "  - id: broken-one\n    en: 3\n    zh: [not, a, form]\n    definition: {en: a, zh: b}\n")
    concepts, problems = build([f], [])
    assert "alpha-term" in concepts and "broken-one" not in concepts
    assert any(p.line == 8 for p in problems), [str(p) for p in problems]


def test_a_definition_in_one_language_is_enough_in_a_user_file_only(tmp_path):
    text = GOOD.replace("{en: First test concept., zh: 第一个测试概念。}", "{en: First test concept.}")
    f = _write(tmp_path, "half.yaml", text)
    _concepts, problems = build([f], [])
    assert [(p.line, p.message) for p in problems] == [
        (5, "concept 'alpha-term': the built-in base defines every concept in English and in Chinese "
            "(definition: {en: …, zh: …})")]
    concepts, problems = build([], [f])
    assert problems == [] and concepts["alpha-term"].definition_en == "First test concept."


# -- user layering -----------------------------------------------------------------------------------------------


def test_user_layer_adds_concepts_variants_and_preference(tmp_path):
    user = _write(tmp_path, "mine.yaml", """
        concepts:
          - id: batch-normalization
            zh: 批标准化
            variants:
              zh: [BN层]
          - id: my-new-concept
            en: frobnication layer
            zh: 弗罗布层
            definition: {en: A layer only this project has., zh: 本项目特有的层。}
            related: [batch-normalization]
        """)
    tb = load_termbase([user])
    bn = tb.get("batch-normalization")
    assert bn.zh == "批标准化"
    assert {f.text: f.status for f in bn.forms if f.lang == "zh"}["批量归一化"] == "admitted"
    assert tb.lookup("BN层")[0].id == "batch-normalization"
    assert tb.lookup("frobnication layers")[0].id == "my-new-concept"
    assert [p for p in tb.problems if p.severity == "error"] == []


# -- export / import ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "csv", "tbx"])
def test_export_import_round_trip(run_nnterm, tmp_path, fmt):
    exported = tmp_path / f"base.{fmt}"
    r = run_nnterm("export", "--format", fmt, "-o", str(exported))
    assert r.returncode == 0, r.stderr
    imported = tmp_path / "imported.yaml"
    r = run_nnterm("import", str(exported), "--standalone", "-o", str(imported))
    assert r.returncode == 0, r.stderr
    original, _ = build(sorted((Path(__file__).resolve().parents[1] / "data" / "terms").glob("*.yaml")), [])
    again, problems = build([imported], [])
    assert [str(p) for p in problems if p.severity == "error"] == []
    assert [c.to_json() for c in again.values()] == [c.to_json() for c in original.values()]


def test_import_simple_csv(run_nnterm, tmp_path):
    src = tmp_path / "glossary.csv"
    src.write_text("English,Chinese\nfrobnicator,弗罗布器|弗器\n", encoding="utf-8")
    out = tmp_path / "g.yaml"
    assert run_nnterm("import", str(src), "-o", str(out)).returncode == 0
    concepts, problems = build([], [out])  # a user's term file: definitions are optional
    assert [str(p) for p in problems] == []
    c = concepts["frobnicator"]
    assert c.zh == "弗罗布器" and any(f.text == "弗器" and f.status == "admitted" for f in c.forms)


def test_import_reports_bad_input(run_nnterm, tmp_path):
    src = tmp_path / "bad.json"
    src.write_text('{"not": "a list"}', encoding="utf-8")
    r = run_nnterm("import", str(src))
    assert r.returncode == 1 and "expected a JSON array" in r.stderr


# -- cache and pinyin -----------------------------------------------------------------------------------------------


def test_cli_builds_the_cache_once_in_a_cold_directory(run_nnterm, fresh_cache):
    # the one CLI test that needs a cold cache: every other one shares the session's warm cache (tests/conftest.py)
    env = {"NNTERM_CACHE_DIR": str(fresh_cache)}
    assert not fresh_cache.exists() or not any(fresh_cache.iterdir())
    first = run_nnterm("lookup", "学习率", env=env)
    assert first.returncode == 0, first.stderr
    pickles = list((fresh_cache / "nnterm-ls").glob("base-*.pickle"))
    assert len(pickles) == 1
    stamp = pickles[0].stat().st_mtime_ns
    second_started = time.time_ns()
    second = run_nnterm("lookup", "学习率", env=env)
    assert second.stdout == first.stdout
    assert list((fresh_cache / "nnterm-ls").glob("base-*.pickle")) == pickles
    assert pickles[0].stat().st_mtime_ns == stamp  # read, not rebuilt
    # the compiled base (concepts, index and matcher table in one file) is written once too, and read after that
    compiled = list((fresh_cache / "nnterm-ls").glob("compiled-*.pickle"))
    assert len(compiled) == 1
    assert compiled[0].stat().st_mtime_ns < second_started
    # no temporary left
    assert sorted(p.name for p in (fresh_cache / "nnterm-ls").iterdir()) == sorted([pickles[0].name, compiled[0].name])


def test_cache_is_invalidated_by_edits(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NNTERM_NO_CACHE", raising=False)
    user = _write(tmp_path, "u.yaml", GOOD)
    first = load_termbase([user])
    assert list((tmp_path / "cache" / "nnterm-ls").glob("base-*.pickle"))
    second = load_termbase([user])
    assert second.get("alpha-term").zh == first.get("alpha-term").zh == "阿尔法术语"
    import os
    import time

    user.write_text(GOOD.replace("阿尔法术语", "阿尔法词"), encoding="utf-8")
    os.utime(user, (time.time() + 5, time.time() + 5))
    assert load_termbase([user]).get("alpha-term").zh == "阿尔法词"


def test_pinyin_keys_cover_all_readings():
    full, initials = keys("激活函数")
    assert "jihuohanshu" in full and "jhhs" in initials
    full, _ = keys("重构")
    assert "chonggou" in full and "zhonggou" in full


def test_fixture_base_loads_cleanly():
    concepts, problems = build([FIXTURES / "mini-terms.yaml"], [])
    assert [str(p) for p in problems] == []
    assert "relu" in concepts


def test_corrupt_compiled_base_is_ignored_and_rewritten(tmp_path, monkeypatch):
    from nnterm_ls.match import Matcher, builtin_blockers

    monkeypatch.setenv("NNTERM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NNTERM_NO_CACHE", raising=False)
    first = load_termbase()
    [compiled] = (tmp_path / "cache" / "nnterm-ls").glob("compiled-*.pickle")
    good = compiled.read_bytes()
    compiled.write_bytes(good[: len(good) // 2])  # a run killed while writing, or a broken disk
    second = load_termbase()
    assert sorted(second.concepts) == sorted(first.concepts)
    assert compiled.read_bytes() == good  # rewritten
    # the table read from the file is the one the matcher would build itself
    built = Matcher(load_termbase(builtin=True, texts={}), list(builtin_blockers()))
    read = Matcher(load_termbase(), list(builtin_blockers()))
    assert read._patterns == built._patterns
    # entries are (form, plural) tuples
    assert [[(form and form.text, plural) for form, plural in b] for b in read._entries] == [
        [(form and form.text, plural) for form, plural in b] for b in built._entries]
