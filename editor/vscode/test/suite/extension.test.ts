// The extension inside real VS Code, against the real nnterm-ls (found on PATH by the extension).
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NntermApi } from '../../src/extension';
import type { TermNode } from '../../src/termView';

const WS = vscode.workspace.workspaceFolders![0].uri.fsPath;
const uri = (name: string) => vscode.Uri.file(path.join(WS, name));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, ms = 30000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
    await sleep(100);
  }
}

function positionOf(doc: vscode.TextDocument, text: string, atEnd = false): vscode.Position {
  const i = doc.getText().indexOf(text);
  assert.ok(i >= 0, `${text} not in ${doc.fileName}`);
  return doc.positionAt(i + (atEnd ? text.length : 0));
}

function nnterm(u: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(u).filter((d) => d.source === 'nnterm');
}

function diagOn(doc: vscode.TextDocument, text: string): vscode.Diagnostic | undefined {
  return nnterm(doc.uri).find((d) => doc.getText(d.range) === text);
}

async function hoverText(doc: vscode.TextDocument, pos: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos)) ?? [];
  return hovers
    .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : String(c))))
    .join('\n');
}

async function completions(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
  return list?.items ?? [];
}

function inserted(item: vscode.CompletionItem): string {
  const t = item.insertText ?? (typeof item.label === 'string' ? item.label : item.label.label);
  return typeof t === 'string' ? t : t.value;
}

async function open(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri(name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

suite('nnterm in VS Code', function () {
  let api: NntermApi;
  let md: vscode.TextDocument;
  let tex: vscode.TextDocument;

  suiteSetup(async function () {
    const ext = vscode.extensions.all.find((e) => e.packageJSON.name === 'nnterm');
    assert.ok(ext, 'the extension is loaded');
    md = await open('chapter.md'); // activates the extension (onLanguage:markdown)
    api = (await ext.activate()) as NntermApi;
    await api.ready();
    assert.equal(api.state(), 'running', `server state after activation (PATH=${process.env.PATH})`);
    tex = await open('thesis.tex');
  });

  test('the server was found on PATH and is running', function () {
    assert.equal(api.server()?.origin, 'PATH');
    assert.match(api.server()!.command, /nnterm-ls$/);
  });

  test('diagnostics: inconsistent 批归一化 and casing of relu, with exact ranges, in Markdown and LaTeX', async function () {
    for (const doc of [md, tex]) {
      const d = await until(`diagnostics in ${doc.fileName}`, () => diagOn(doc, '批归一化') && diagOn(doc, 'relu') && diagOn(doc, '批归一化'));
      assert.equal(d.code, 'inconsistent');
      assert.match(d.message, /批量归一化/);
      assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(diagOn(doc, 'relu')!.code, 'casing');
    }
    assert.equal(tex.languageId, 'latex');
  });

  test('an untitled Markdown document is checked and hovered too', async function () {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: '我们使用批量归一化，也写作批归一化。激活函数常用 relu。\n' });
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.uri.scheme, 'untitled');
    await until('diagnostics in the untitled document', () => diagOn(doc, 'relu') && diagOn(doc, '批归一化'));
    assert.match(await hoverText(doc, positionOf(doc, '批归一化')), /批量归一化/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('status bar: counts what Problems lists (errors, warnings, information), hints apart; opens a menu', async function () {
    // counted here independently of the extension: every nnterm diagnostic VS Code holds, by severity
    const tally = () => {
      const t = { shown: 0, hints: 0 };
      for (const [, ds] of vscode.languages.getDiagnostics()) {
        for (const d of ds) if (d.source === 'nnterm') d.severity === vscode.DiagnosticSeverity.Hint ? t.hints++ : t.shown++;
      }
      return t;
    };
    await until('warnings and hints', () => tally().shown >= 4 && tally().hints >= 1);
    await until('the status bar to agree with the diagnostics', () => {
      const t = tally();
      return api.findings() === t.shown && api.counts().hints === t.hints && api.statusText() === `$(book) 术语 ${t.shown} · 提示 ${t.hints}`;
    }).catch((e) => {
      throw new Error(`${e.message}: ${api.statusText()} vs ${JSON.stringify(tally())}`);
    });
    const menu = api.menuItems().join('\n');
    for (const entry of ['Show Findings', 'Toggle Rules', 'Look Up a Term', 'Terminology View', 'Completion While Typing', 'Open the Server Log']) {
      assert.ok(menu.includes(entry), menu);
    }
  });

  test('completion while typing: the opt-in writes [markdown]/[latex] editor.quickSuggestions and takes it out again', async function () {
    const quick = (languageId: string) =>
      vscode.workspace.getConfiguration('editor', { languageId }).inspect<Record<string, string>>('quickSuggestions')?.workspaceLanguageValue;
    assert.equal(quick('markdown'), undefined);
    const nn = vscode.workspace.getConfiguration('nnterm');
    await nn.update('completion.quickSuggestions', true, vscode.ConfigurationTarget.Workspace);
    try {
      for (const lang of ['markdown', 'latex']) {
        await until(`${lang} quick suggestions on`, () => quick(lang)?.other === 'on');
        assert.deepEqual(quick(lang), { other: 'on', comments: 'off', strings: 'off' });
      }
      assert.equal(vscode.workspace.getConfiguration('editor', { languageId: 'markdown' }).get<Record<string, string>>('quickSuggestions')?.other, 'on');
    } finally {
      await nn.update('completion.quickSuggestions', undefined, vscode.ConfigurationTarget.Workspace);
    }
    for (const lang of ['markdown', 'latex']) await until(`${lang} quick suggestions back`, () => quick(lang) === undefined);
    // the key binding of the translate command is contributed
    const ext = vscode.extensions.all.find((e) => e.packageJSON.name === 'nnterm')!;
    assert.ok(ext.packageJSON.contributes.keybindings.some((k: { command: string; key: string }) => k.command === 'nnterm.translate' && k.key));
  });

  test('translate the term before the cursor (nnterm.translate): 激活函数 → activation function, batch norm → 批量归一化', async function () {
    await api.termBaseSize(); // the term base is loaded once
    for (const [before, want, after] of [
      ['我们使用激活函数', 'activation function', '我们使用activation function'],
      ['We apply batch norm', '批量归一化', 'We apply 批量归一化'],
    ]) {
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: before });
      const editor = await vscode.window.showTextDocument(doc);
      const end = doc.positionAt(before.length);
      editor.selection = new vscode.Selection(end, end);
      const done = vscode.commands.executeCommand<string | undefined>('nnterm.translate');
      await sleep(1500); // the quick pick of renderings: its first item is the translation
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      assert.equal(await done, want);
      assert.equal(doc.getText(), after);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  test('the 术语表 view: concepts, renderings with counts per file, jump, set preferred, unify', async function () {
    const tree = api.termTree();
    const kids = (n?: TermNode) => Promise.resolve(tree.getChildren(n)) as Promise<TermNode[]>;
    const concept = async () => {
      tree.refresh();
      return (await kids()).find((n) => n.kind === 'concept' && n.concept.id === 'batch-normalization');
    };
    const bn = await until('batch normalization in the view', async () => {
      const c = await concept();
      return c?.kind === 'concept' && c.concept.renderings.some((r) => r.text === '批归一化' && r.count === 2) ? c : undefined;
    });
    const item = tree.getTreeItem(bn);
    assert.equal(item.label, '批量归一化 · batch normalization');
    assert.match(String(item.description), /不一致/);
    const renderings = await kids(bn);
    const label = (n: TermNode) => `${tree.getTreeItem(n).label} ${tree.getTreeItem(n).description}`;
    assert.equal(label(renderings[0]), '批量归一化 ×4 · 推荐用法');
    const other = renderings.find((n) => n.kind === 'rendering' && n.rendering.text === '批归一化')!;
    assert.equal(label(other), '批归一化 ×2 · 许用');
    assert.equal(tree.getTreeItem(other).contextValue, 'rendering.other');
    const files = await kids(other);
    assert.deepEqual(files.map(label).sort(), ['chapter.md ×1', 'thesis.tex ×1']);
    // a click on a file (or an occurrence) opens it with the rendering selected
    const texFile = files.find((f) => label(f).startsWith('thesis.tex'))!;
    const occurrences = await kids(texFile);
    assert.equal(occurrences.length, 1);
    assert.match(String(tree.getTreeItem(occurrences[0]).label), /写作批归一化/);
    const cmd = tree.getTreeItem(texFile).command!;
    await vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? []));
    const active = vscode.window.activeTextEditor!;
    assert.equal(path.basename(active.document.fileName), 'thesis.tex');
    assert.equal(active.document.getText(active.selection), '批归一化');

    // set preferred: the project's .nnterm.yaml picks 批归一化, the view follows
    await vscode.commands.executeCommand('nnterm.termView.setPreferred', other);
    const config = uri('.nnterm.yaml');
    try {
      await until('.nnterm.yaml to name 批归一化', async () => /批归一化/.test((await vscode.workspace.openTextDocument(config)).getText()));
      // the command's edit is shown unsaved (undoable); the writer saves it, and the server reads it on save
      await (await vscode.workspace.openTextDocument(config)).save();
      await until('the view to mark 批归一化 preferred', async () => {
        const c = await concept();
        return c?.kind === 'concept' && c.concept.zh === '批归一化' && c.concept.renderings.find((r) => r.text === '批归一化')?.preferred;
      });
    } finally {
      await vscode.workspace.fs.delete(config);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
    md = await open('chapter.md');
    tex = await vscode.workspace.openTextDocument(uri('thesis.tex'));
    await until('批量归一化 preferred again', async () => {
      const c = await concept();
      return c?.kind === 'concept' && c.concept.zh === '批量归一化' && c.concept.renderings[0].preferred;
    });

    // unify to 批量归一化: one undoable workspace edit over both files, then the view has one Chinese rendering
    const c = (await concept())!;
    const target = (await kids(c)).find((n) => n.kind === 'rendering' && n.rendering.text === '批量归一化')!;
    const result = await vscode.commands.executeCommand<{ applied: boolean; edits: number; files: number }>('nnterm.termView.unify', target);
    assert.deepEqual(result, { applied: true, edits: 2, files: 2 });
    assert.ok(!md.getText().includes('批归一化') && !tex.getText().includes('批归一化'), md.getText() + tex.getText());
    assert.ok(md.isDirty && tex.isDirty, 'the edit is in the editors, unsaved (undoable)');
    await until('one Chinese rendering left', async () => {
      const n = await concept();
      return n?.kind === 'concept' && n.concept.renderings.filter((r) => r.lang === 'zh').length === 1 && n.concept.inconsistent.length === 0;
    });
    // back to the files as saved, for the tests below
    for (const d of [md, tex]) {
      await vscode.window.showTextDocument(d);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    md = await open('chapter.md');
    await until('the inconsistency back', () => diagOn(md, '批归一化'));
  });

  test('hover on 批归一化 shows the preferred form and the English term', async function () {
    const text = await hoverText(md, positionOf(md, '批归一化'));
    assert.match(text, /批量归一化/);
    assert.match(text, /batch normalization/);
  });

  test('completion: 激活 → 激活函数 and pinyin initials jhhs → 激活函数', async function () {
    let items = await completions(md, positionOf(md, '使用激活', true));
    assert.ok(items.some((i) => inserted(i).includes('激活函数')), JSON.stringify(items.map((i) => i.label)));
    items = await completions(tex, positionOf(tex, 'jhhs', true));
    const hit = items.find((i) => inserted(i).includes('激活函数'));
    assert.ok(hit, JSON.stringify(items.map((i) => i.label)));
    // the edit replaces exactly the typed prefix
    const range = hit!.range instanceof vscode.Range ? hit!.range : hit!.range?.replacing;
    if (range) assert.equal(tex.getText(range), 'jhhs');
  });

  test('a quick fix applied through the code-action command: relu → ReLU', async function () {
    const d = await until('relu diagnostic', () => diagOn(md, 'relu'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', md.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions?.find((a) => a.kind && vscode.CodeActionKind.QuickFix.contains(a.kind) && a.edit && /ReLU/.test(a.title));
    assert.ok(fix, JSON.stringify(actions?.map((a) => a.title)));
    assert.ok(await vscode.workspace.applyEdit(fix!.edit!));
    assert.ok(md.getText().includes('激活函数是 ReLU'), md.getText());
    await until('the casing diagnostic to go', () => !diagOn(md, 'relu') && !nnterm(md.uri).some((x) => x.code === 'casing'));
  });

  test('fix all terminology issues in the file (command nnterm.fixAll)', async function () {
    await vscode.window.showTextDocument(tex);
    await until('diagnostics in the LaTeX file', () => diagOn(tex, '批归一化'));
    const applied = await vscode.commands.executeCommand<boolean>('nnterm.fixAll');
    assert.equal(applied, true);
    assert.ok(!tex.getText().includes('批归一化'), tex.getText());
    assert.ok(tex.getText().includes('ReLU') && !tex.getText().includes('relu'), tex.getText());
    // (fixing relu → ReLU uncovers a new finding, ReLU never expanded: only the fixed ones must go; inserting an
    // English gloss is a quick fix of its own, never part of fix-all, so missing-gloss hints stay)
    await until('the fixed findings to go', () => !nnterm(tex.uri).some((x) => x.code === 'inconsistent' || x.code === 'casing'), 10000).catch((e) => {
      throw new Error(`${e.message}: ${JSON.stringify(nnterm(tex.uri).map((d) => [tex.getText(d.range), d.code, d.message, d.range.start.line]))}`);
    });
    assert.ok(nnterm(tex.uri).some((x) => x.code === 'missing-gloss'), 'fix-all must not insert glosses');
  });

  test('a settings change takes effect live: nnterm.rules turns casing off, completion style en', async function () {
    const doc = await open('settings.md');
    await until('casing diagnostic', () => diagOn(doc, 'relu'));
    const config = vscode.workspace.getConfiguration('nnterm');
    await config.update('rules', { casing: 'off' }, vscode.ConfigurationTarget.Workspace);
    await config.update('completion.style', 'en', vscode.ConfigurationTarget.Workspace);
    try {
      await until('the casing diagnostic to go', () => !diagOn(doc, 'relu'));
      await until('English completion', async () => {
        const items = await completions(doc, positionOf(doc, '使用激活', true));
        return items.some((i) => inserted(i) === 'activation function') && !items.some((i) => inserted(i) === '激活函数');
      });
    } finally {
      await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('completion.style', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await until('the casing diagnostic to come back', () => diagOn(doc, 'relu'));
  });

  test('nnterm.inlayHints.enabled reaches the server: English after the first unglossed Chinese terms', async function () {
    const full = new vscode.Range(0, 0, md.lineCount, 0);
    const hints = () => vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', md.uri, full);
    assert.equal((await hints())?.length ?? 0, 0, 'off by default');
    await vscode.workspace.getConfiguration('nnterm').update('inlayHints.enabled', true, vscode.ConfigurationTarget.Workspace);
    try {
      const got = await until('inlay hints', async () => {
        const h = (await hints()) ?? [];
        return h.length > 0 ? h : undefined;
      });
      const labels = got.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
      // once per concept, where the writer has not glossed it (批量归一化 is glossed in the fixture), full-width
      assert.ok(labels.includes('（gradient）'), JSON.stringify(labels));
      assert.ok(!labels.some((l) => /normalization/.test(l)), JSON.stringify(labels));
      assert.ok(got.every((h) => h.tooltip), 'each hint has its definition as tooltip');
    } finally {
      await vscode.workspace.getConfiguration('nnterm').update('inlayHints.enabled', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('yamlValidation: the JSON Schemas for .nnterm.yaml and term files ship with the extension', async function () {
    const ext = vscode.extensions.all.find((e) => e.packageJSON.name === 'nnterm')!;
    const entries: { fileMatch: string[]; url: string }[] = ext.packageJSON.contributes.yamlValidation;
    assert.ok(entries.some((e) => e.fileMatch.includes('.nnterm.yaml')));
    for (const e of entries) {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, e.url));
      const schema = JSON.parse(Buffer.from(bytes).toString('utf8'));
      assert.ok(schema.$schema || schema.type, e.url);
    }
  });

  test('show the term-base entry under the cursor: a read-only view, never the installed package\'s files', async function () {
    const editor = await vscode.window.showTextDocument(md);
    const pos = positionOf(md, '批量归一化');
    editor.selection = new vscode.Selection(pos, pos);
    await vscode.commands.executeCommand('nnterm.showEntry');
    const active = await until('the entry to open', () => {
      const f = vscode.window.activeTextEditor?.document;
      return f && f.uri.scheme === 'nnterm-term' ? vscode.window.activeTextEditor : undefined;
    });
    const text = active.document.getText();
    assert.match(text, /^# 批量归一化\n/, text);
    assert.match(text, /batch-normalization/, text);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('a command that writes shows what it wrote and can be undone: set as preferred', async function () {
    await vscode.window.showTextDocument(md);
    const d = await until('the inconsistent 批归一化', () => diagOn(md, '批归一化'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', md.uri, d.range);
    const use = actions?.find((a) => a.command?.command === 'nnterm.setPreferred');
    assert.ok(use, JSON.stringify(actions?.map((a) => a.title)));
    assert.equal(use!.title, '在 .nnterm.yaml 中把“批归一化”设为推荐译法');
    const config = uri('.nnterm.yaml');
    await vscode.commands.executeCommand(use!.command!.command, ...(use!.command!.arguments ?? []));
    try {
      // the file is shown, with the edit in its buffer (not saved behind the writer's back)
      const shown = await until('.nnterm.yaml shown', () => {
        const e = vscode.window.activeTextEditor;
        return e && e.document.uri.fsPath === config.fsPath && /批归一化/.test(e.document.getText()) ? e : undefined;
      });
      assert.match(shown.document.getText(), /preferred:\n {2}batch-normalization: \{zh: "批归一化"\}/);
      assert.ok(shown.document.isDirty, 'left for the writer to save');
      assert.ok(!shown.selection.isEmpty, 'what was written is selected');
      // and undone like any edit
      await vscode.commands.executeCommand('undo');
      await until('undone', () => !/批归一化/.test(shown.document.getText()));
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await vscode.workspace.fs.delete(config).then(undefined, () => undefined);
    }
  });

  test('look up a term: the whole base is available to the quick pick', async function () {
    assert.ok((await api.termBaseSize()) > 900);
    const pick = vscode.commands.executeCommand<string | undefined>('nnterm.lookupTerm');
    await sleep(3000);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await pick, undefined);
  });

  test('discovery: nnterm.server.python and nnterm.server.path are honoured, then PATH; restart the server', async function () {
    const python = path.join(path.dirname(api.server()!.command), 'python');
    await vscode.workspace.getConfiguration('nnterm').update('server.python', python, vscode.ConfigurationTarget.Workspace);
    try {
      await until('restart with the interpreter', () => api.server()?.origin === 'nnterm.server.python' && api.state() === 'running');
      const text = await until('hover after restart', async () => (await hoverText(md, positionOf(md, '批量归一化'))) || undefined);
      assert.match(text, /batch normalization/);
    } finally {
      await vscode.workspace.getConfiguration('nnterm').update('server.python', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await until('back on PATH', () => api.server()?.origin === 'PATH' && api.state() === 'running');
    // the interpreter selected in the Python extension (a stand-in with its API, tests/editors/vscode/fake-python)
    assert.ok(vscode.extensions.getExtension('ms-python.python'), 'the stand-in Python extension is installed');
    {
      const fake = vscode.workspace.getConfiguration('fakePython');
      await fake.update('interpreter', python, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('nnterm.restartServer');
      assert.equal(api.server()?.origin, 'python extension');
      assert.deepEqual(api.server()?.args, ['-m', 'nnterm_ls']);
      // an interpreter without the package is passed over
      await fake.update('interpreter', '/bin/false', vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('nnterm.restartServer');
      assert.equal(api.server()?.origin, 'PATH');
      await fake.update('interpreter', undefined, vscode.ConfigurationTarget.Workspace);
    }
    const exe = api.server()!.command;
    await vscode.workspace.getConfiguration('nnterm').update('server.path', exe, vscode.ConfigurationTarget.Workspace);
    try {
      await until('restart with nnterm.server.path', () => api.server()?.origin === 'nnterm.server.path' && api.state() === 'running');
    } finally {
      await vscode.workspace.getConfiguration('nnterm').update('server.path', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await until('back on PATH', () => api.server()?.origin === 'PATH' && api.state() === 'running');
    await vscode.commands.executeCommand('nnterm.restartServer');
    assert.equal(api.state(), 'running');
    await until('hover after nnterm.restartServer', async () => /batch normalization/.test(await hoverText(md, positionOf(md, '批量归一化'))));
  });

  test('no server anywhere: the extension offers, creates its own environment, installs the bundled wheel and starts it', async function () {
    this.timeout(900000);
    const ext = vscode.extensions.all.find((e) => e.packageJSON.name === 'nnterm')!;
    assert.ok(existsSync(path.join(ext.extensionPath, 'server')), 'the extension carries a wheel in server/');
    const saved = process.env.PATH!;
    // no nnterm-ls on PATH (the extension host's environment is the extension's)
    process.env.PATH = saved.split(path.delimiter).filter((d) => d && !existsSync(path.join(d, 'nnterm-ls'))).join(path.delimiter);
    try {
      await vscode.commands.executeCommand('nnterm.restartServer');
      assert.equal(api.state(), 'not found');
      assert.match(api.installOffer() ?? '', /Install the one that comes with this extension/);
      assert.ok(!existsSync(api.venv()), 'no environment yet');
      const t0 = Date.now();
      const ok = await vscode.commands.executeCommand<boolean>('nnterm.installServer');
      console.log(`nnterm: the bundled install (venv + pip install of the wheel and its dependencies) took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      assert.equal(ok, true);
      assert.equal(api.server()?.origin, 'bundled');
      assert.ok(api.server()!.command.startsWith(api.venv()), api.server()!.command);
      assert.equal(api.state(), 'running');
      md = await open('chapter.md');
      await until('diagnostics from the bundled server', () => diagOn(md, '批归一化'));
      assert.match(await hoverText(md, positionOf(md, '批量归一化')), /batch normalization/);
      // next start: the environment is found without asking
      await vscode.commands.executeCommand('nnterm.restartServer');
      assert.equal(api.server()?.origin, 'bundled');
      assert.equal(api.state(), 'running');
    } finally {
      process.env.PATH = saved;
    }
  });
});
