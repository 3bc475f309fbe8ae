"""Configuration from .nnterm.yaml and client settings; watched term files and config reloaded without a restart;
broken files reported as diagnostics in those files while the server keeps serving."""

from __future__ import annotations

from lsprotocol import types as T

from lsp_helpers import poll, wait_until

MD = "批量归一化很重要。批归一化也一样。\n"

USER_TERMS = """category: project
concepts:
  - id: flux-gate
    en: flux gate
    zh: 通量门
    definition: {en: A made-up gate for the tests., zh: 测试用的虚构门控。}
"""


def watched(uri: str, kind=T.FileChangeType.Changed):
    return T.DidChangeWatchedFilesParams(changes=[T.FileEvent(uri=uri, type=kind)])


async def test_config_file_rules_and_watchers_registered(start, tmp_path):
    (tmp_path / ".nnterm.yaml").write_text("rules:\n  inconsistent: error\n", encoding="utf-8")
    s = await start()
    uri = s.open("a.md", MD)
    diags = await s.diagnostics(uri, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    assert next(d for d in diags if d.code == "inconsistent").severity == T.DiagnosticSeverity.Error
    await wait_until(lambda: s.client.registrations, what="file watchers registered")
    reg = s.client.registrations[0]
    assert reg.method == "workspace/didChangeWatchedFiles"
    # edit the config on disk and tell the server: reloaded without a restart
    (tmp_path / ".nnterm.yaml").write_text("rules:\n  inconsistent: off\n", encoding="utf-8")
    s.client.workspace_did_change_watched_files(watched((tmp_path / ".nnterm.yaml").as_uri()))
    await wait_until(lambda: not any(d.code == "inconsistent" for d in s.latest(uri).diagnostics), what="rule turned off")


async def test_user_term_file_and_reload(start, tmp_path):
    terms = tmp_path / "terms.yaml"
    terms.write_text(USER_TERMS, encoding="utf-8")
    (tmp_path / ".nnterm.yaml").write_text("terms: [terms.yaml]\n", encoding="utf-8")
    s = await start()
    uri = s.open("a.md", "通量门很新。学习率照旧。\n")
    h = await s.hover(uri, 0, 1)
    assert "flux gate" in h.contents.value
    # add a variant to the term file: after the watcher event, it is a term too
    terms.write_text(USER_TERMS.replace("    zh: 通量门\n", "    zh: 通量门\n    variants:\n      zh: [磁通门]\n"), encoding="utf-8")
    s.client.workspace_did_change_watched_files(watched(terms.as_uri()))
    v = s.change(uri, "通量门很新。磁通门也是。\n")

    h = await poll(lambda: s.hover(uri, 0, 8), lambda h: h is not None, what="hover on the new variant")
    assert "推荐：通量门" in h.contents.value
    diags = await s.diagnostics(uri, version=v, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    assert any(d.code == "inconsistent" for d in diags)


async def test_broken_term_file_is_reported_and_server_keeps_serving(start, tmp_path):
    terms = tmp_path / "terms.yaml"
    terms.write_text("concepts:\n  - id: Bad Id\n    en: x\n    zh: [unclosed\n", encoding="utf-8")
    (tmp_path / ".nnterm.yaml").write_text("terms: [terms.yaml]\n", encoding="utf-8")
    s = await start()
    problems = await wait_until(lambda: s.latest(terms.as_uri()), what="term file diagnostics")
    assert problems.diagnostics and problems.diagnostics[0].severity == T.DiagnosticSeverity.Error
    assert "YAML" in problems.diagnostics[0].message or "yaml" in problems.diagnostics[0].message.lower()
    # the built-in base still works
    uri = s.open("a.md", MD)
    assert "batch normalization" in (await s.hover(uri, 0, 1)).contents.value
    await s.diagnostics(uri, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    # fixing the file clears its diagnostics
    terms.write_text(USER_TERMS, encoding="utf-8")
    s.client.workspace_did_change_watched_files(watched(terms.as_uri()))
    await wait_until(lambda: not s.latest(terms.as_uri()).diagnostics, what="term file problems cleared")
    # a schema error is reported at its line
    terms.write_text(USER_TERMS.replace("id: flux-gate", "id: Flux Gate"), encoding="utf-8")
    s.client.workspace_did_change_watched_files(watched(terms.as_uri()))
    p = await wait_until(lambda: s.latest(terms.as_uri()).diagnostics, what="schema problem")
    assert p[0].range.start.line == 2


async def test_broken_config_is_reported(start, tmp_path):
    (tmp_path / ".nnterm.yaml").write_text("rules:\n  no-such-rule: error\n", encoding="utf-8")
    s = await start()
    p = await wait_until(lambda: s.latest((tmp_path / ".nnterm.yaml").as_uri()), what="config diagnostics")
    assert p.diagnostics[0].range.start.line == 1
    assert "no-such-rule" in p.diagnostics[0].message
    uri = s.open("a.md", MD)
    await s.diagnostics(uri, predicate=lambda d: any(x.code == "inconsistent" for x in d))


async def test_client_settings_and_did_change_configuration(start):
    s = await start(settings={"rules": {"inconsistent": "off"}})
    uri = s.open("a.md", MD)
    diags = await s.diagnostics(uri)
    assert not any(d.code == "inconsistent" for d in diags)
    s.client.set_configuration({"rules": {"inconsistent": "error"}}, section="nnterm")
    s.client.workspace_did_change_configuration(T.DidChangeConfigurationParams(settings=None))
    await wait_until(
        lambda: any(d.code == "inconsistent" and d.severity == T.DiagnosticSeverity.Error for d in s.latest(uri).diagnostics),
        what="settings applied",
    )
    # settings pushed in the notification itself
    s.client.workspace_did_change_configuration(T.DidChangeConfigurationParams(settings={"nnterm": {"completionStyle": "en"}}))
    uri2 = s.open("b.md", "jhhs\n")

    await poll(lambda: s.complete(uri2, 0, 4), lambda r: r.items and r.items[0].label == "activation function", what="style en")


async def test_term_files_from_client_settings(start, tmp_path):
    (tmp_path / "mine.yaml").write_text(USER_TERMS, encoding="utf-8")
    s = await start()
    uri = s.open("a.md", "通量门很新。\n")
    assert await s.hover(uri, 0, 1) is None  # not a term yet
    s.client.workspace_did_change_configuration(T.DidChangeConfigurationParams(settings={"nnterm": {"terms": ["mine.yaml"]}}))
    h = await poll(lambda: s.hover(uri, 0, 1), lambda h: h is not None, what="hover after the settings named a term file")
    assert "flux gate" in h.contents.value
