// nnterm for VS Code: a thin client of the nnterm-ls language server (vscode-languageclient over stdio).
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import * as path from 'node:path';
import {
  bundledWheel,
  cliCommand,
  findBasePython,
  findServer,
  installBundled,
  installCommand,
  managedServer,
  runJson,
  ServerCommand,
} from './server';
import { openAt, TableConcept, TermNode, TermTree } from './termView';

const SELECTOR = [
  { scheme: 'file', language: 'markdown' },
  { scheme: 'untitled', language: 'markdown' },
  { scheme: 'file', language: 'latex' },
  { scheme: 'untitled', language: 'latex' },
  { scheme: 'file', language: 'tex' },
  { scheme: 'untitled', language: 'tex' },
];
const LANGUAGES = new Set(['markdown', 'latex', 'tex']);
const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('nnterm');
const DIAGNOSTIC_SOURCE = 'nnterm';

/** What the extension exposes to its tests (and to other extensions). */
export interface NntermApi {
  client(): LanguageClient | undefined;
  server(): ServerCommand | undefined;
  state(): string;
  /** what the status bar counts: errors + warnings + information (what Problems lists), hints apart */
  findings(): number;
  counts(): Counts;
  statusText(): string;
  /** the labels of the status bar's menu */
  menuItems(): string[];
  ready(): Promise<void>;
  /** number of concepts the look-up quick pick offers */
  termBaseSize(): Promise<number>;
  termTree(): TermTree;
  /** the last offer to install the bundled server (a message), if one was made */
  installOffer(): string | undefined;
  /** where the extension's own environment goes */
  venv(): string;
}

interface Counts {
  errors: number;
  warnings: number;
  infos: number;
  hints: number;
}

let client: LanguageClient | undefined;
let server: ServerCommand | undefined;
let log: vscode.LogOutputChannel;
let status: vscode.StatusBarItem;
let stateText = 'stopped';
let counts: Counts = { errors: 0, warnings: 0, infos: 0, hints: 0 };
let readyPromise: Promise<void> = Promise.resolve();
let termBase: Promise<Concept[]> | undefined;
let extensionContext: vscode.ExtensionContext;
let termTree: TermTree;
let lastOffer: string | undefined;
let installing: Promise<boolean> | undefined;
const QUICK_LANGUAGES = ['markdown', 'latex'];
const QUICK_VALUE = { other: 'on', comments: 'off', strings: 'off' };

/** The client settings in the shape the server reads (`workspace/configuration`, section `nnterm`). */
export function serverSettings(scope?: vscode.ConfigurationScope): Record<string, unknown> {
  const c = vscode.workspace.getConfiguration('nnterm', scope);
  return {
    rules: c.get('rules', {}),
    completion: { style: c.get('completion.style', 'zh') },
    inlayHints: c.get('inlayHints.enabled', false),
    locale: c.get('locale', 'auto'),
    terms: c.get('terms', []),
    maxCompletionItems: c.get('maxCompletionItems', 30),
    workspaceScope: c.get('workspaceScope', 'workspace'),
    diagnostics: c.get('diagnostics.mode', 'auto'),
    debounceMs: c.get('debounceMs', 0),
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<NntermApi> {
  extensionContext = context;
  log = vscode.window.createOutputChannel('nnterm-ls', { log: true });
  status = vscode.window.createStatusBarItem('nnterm.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'nnterm';
  status.command = 'nnterm.menu';
  context.subscriptions.push(log, status);
  termTree = new TermTree(fetchTermTable);
  const view = vscode.window.createTreeView('nnterm.terms', { treeDataProvider: termTree, showCollapseAll: true });
  let refreshTimer: NodeJS.Timeout | undefined;
  const refreshSoon = () => {
    if (refreshTimer) clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => view.visible && termTree.refresh(), 600);
  };
  context.subscriptions.push(
    view,
    view.onDidChangeVisibility((e) => e.visible && termTree.refresh()),
    vscode.languages.onDidChangeDiagnostics(refreshSoon),
    vscode.commands.registerCommand('nnterm.termView.refresh', () => termTree.refresh()),
    vscode.commands.registerCommand('nnterm.termView.open', openAt),
    vscode.commands.registerCommand('nnterm.termView.unify', unifyTo),
    vscode.commands.registerCommand('nnterm.termView.setPreferred', setPreferredFromView),
    vscode.commands.registerCommand('nnterm.menu', showMenu),
    vscode.commands.registerCommand('nnterm.toggleRules', toggleRules),
    vscode.commands.registerCommand('nnterm.translate', translate),
    vscode.commands.registerCommand('nnterm.installServer', () => installServer(context)),
  );

  context.subscriptions.push(
    vscode.commands.registerCommand('nnterm.restartServer', () => restart(context)),
    vscode.commands.registerCommand('nnterm.showLog', () => log.show(true)),
    vscode.commands.registerCommand('nnterm.fixAll', fixAll),
    vscode.commands.registerCommand('nnterm.showEntry', showEntry),
    // read-only views of built-in term-base entries (go to definition): LSP 3.18 workspace/textDocumentContent,
    // which vscode-languageclient 9 does not wire up itself
    vscode.workspace.registerTextDocumentContentProvider('nnterm-term', {
      provideTextDocumentContent: async (uri, token) => {
        const r = await client?.sendRequest<{ text: string }>('workspace/textDocumentContent', { uri: uri.toString() }, token);
        return r?.text ?? '';
      },
    }),
    vscode.commands.registerCommand('nnterm.lookupTerm', lookupTerm),
    vscode.languages.onDidChangeDiagnostics(updateFindings),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('nnterm.completion.quickSuggestions')) await syncQuickSuggestions();
      if (e.affectsConfiguration('nnterm.server')) {
        termBase = undefined;
        await restart(context);
      } else if (e.affectsConfiguration('nnterm') && client?.isRunning()) {
        // live: the server re-reads rules, completion style and inlay hints
        await client.sendNotification(DidChangeConfigurationNotification.type, { settings: { nnterm: serverSettings() } });
      }
    }),
  );
  await syncQuickSuggestions().catch((err) => log.warn(`quick suggestions: ${err}`));
  setState('starting');
  readyPromise = start(context);
  await readyPromise.catch(() => undefined);
  return {
    client: () => client,
    server: () => server,
    state: () => stateText,
    findings: () => counts.errors + counts.warnings + counts.infos,
    counts: () => ({ ...counts }),
    statusText: () => status.text,
    menuItems: () => menuItems().map((i) => i.label),
    ready: () => readyPromise,
    termBaseSize: () => loadTermBase().then((b) => b.length),
    termTree: () => termTree,
    installOffer: () => lastOffer,
    venv: () => venvDir(context),
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const resource = vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  server = (await findServer(resource, log)) ?? managedServer(venvDir(context), bundledWheel(context.extensionPath));
  if (!server) {
    setState('not found');
    void notifyMissing(context);
    return;
  }
  log.info(`starting ${server.command} ${server.args.join(' ')} (${server.origin})`);
  const serverOptions: ServerOptions = {
    command: server.command,
    args: server.args,
    transport: TransportKind.stdio,
    options: { env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8' } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: SELECTOR,
    outputChannel: log,
    traceOutputChannel: log,
    initializationOptions: serverSettings(),
    synchronize: {
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/.nnterm.{yaml,yml}'),
        vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}'),
      ],
    },
    middleware: {
      workspace: {
        configuration: (params, token, next) =>
          params.items.map((item) => {
            if (item.section !== 'nnterm') {
              const r = next({ items: [item] }, token);
              return Array.isArray(r) ? r[0] : null;
            }
            const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
            return serverSettings(scope);
          }),
      },
    },
  };
  const c = new LanguageClient('nnterm', 'nnterm-ls', serverOptions, clientOptions);
  client = c;
  c.onDidChangeState((e) => {
    setState(e.newState === State.Running ? 'running' : e.newState === State.Starting ? 'starting' : 'stopped');
  });
  try {
    await c.start();
    setState('running');
    termTree.refresh();
  } catch (err) {
    setState('failed');
    log.error(`the server did not start: ${err}`);
    const open = 'Open Server Log / 打开日志';
    void vscode.window
      .showErrorMessage(`nnterm-ls did not start (${server.command}). 语言服务器启动失败。`, open, 'Settings / 设置')
      .then((choice) => {
        if (choice === open) log.show();
        else if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', '@ext:nnterm-ls.nnterm server');
      });
  }
  context.subscriptions.push({ dispose: () => void c.stop() });
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  const old = client;
  client = undefined;
  if (old) {
    await old.stop().catch(() => undefined);
    await old.dispose().catch(() => undefined);
  }
  setState('starting');
  readyPromise = start(context);
  await readyPromise;
}

function venvDir(context: vscode.ExtensionContext): string {
  return path.join(context.globalStorageUri.fsPath, 'server-venv');
}

async function notifyMissing(context: vscode.ExtensionContext): Promise<void> {
  const wheel = bundledWheel(context.extensionPath);
  const install = 'Install / 安装';
  const settings = 'Open Settings / 打开设置';
  const copy = 'Copy Install Command / 复制安装命令';
  const message = wheel
    ? 'nnterm: the language server nnterm-ls was not found. Install the one that comes with this extension into a ' +
      'Python environment of its own? (Needs Python 3.10 or newer; its dependencies come from the package index.) ' +
      'Or set "nnterm.server.path" / "nnterm.server.python". ' +
      '未找到语言服务器 nnterm-ls。是否将扩展自带的服务器安装到独立的 Python 环境中？（需要 Python 3.10 及以上，依赖从软件包索引下载）' +
      '也可设置 nnterm.server.path / nnterm.server.python。'
    : `nnterm: the language server was not found. Install it with \`${installCommand(undefined)}\`, or set ` +
      '"nnterm.server.path" / "nnterm.server.python". 未找到语言服务器 nnterm-ls：请先安装，或设置 nnterm.server.path / nnterm.server.python。';
  lastOffer = message;
  const choice = await vscode.window.showErrorMessage(message, ...(wheel ? [install] : []), settings, copy);
  if (choice === install) {
    await installServer(context);
  } else if (choice === settings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', '@ext:nnterm-ls.nnterm server');
  } else if (choice === copy) {
    await vscode.env.clipboard.writeText(installCommand(wheel));
  }
}

/** Create the extension's own environment, install the bundled wheel into it, start the server from it. */
function installServer(context: vscode.ExtensionContext): Promise<boolean> {
  if (!installing) {
    installing = doInstall(context).finally(() => (installing = undefined));
  }
  return installing;
}

async function doInstall(context: vscode.ExtensionContext): Promise<boolean> {
  const wheel = bundledWheel(context.extensionPath);
  if (!wheel) {
    void vscode.window.showErrorMessage('nnterm: this copy of the extension carries no server wheel. 此扩展未附带服务器安装包。');
    return false;
  }
  const resource = vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  const base = await findBasePython(resource, log);
  if (!base) {
    const get = 'Get Python / 获取 Python';
    const choice = await vscode.window.showErrorMessage(
      'nnterm: no Python 3.10 or newer (with venv) was found to install the server into. Install Python, or point ' +
        '"nnterm.server.python" at one. 未找到 Python 3.10 及以上版本（含 venv），无法安装语言服务器。',
      get,
    );
    if (choice === get) void vscode.env.openExternal(vscode.Uri.parse('https://www.python.org/downloads/'));
    return false;
  }
  const venv = venvDir(context);
  const started = Date.now();
  log.info(`installing ${path.basename(wheel)} into ${venv} with ${base.command} (Python ${base.version})`);
  try {
    server = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'nnterm: installing the language server / 正在安装语言服务器', cancellable: true },
      (progress, token) => installBundled(base, venv, wheel, log, (message) => progress.report({ message }), token),
    );
  } catch (err) {
    log.error(`install failed: ${err}`);
    const open = 'Open Log / 打开日志';
    void vscode.window
      .showErrorMessage(`nnterm: installing the server failed: ${err}. 安装语言服务器失败。`, open)
      .then((c) => c === open && log.show());
    return false;
  }
  log.info(`installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await restart(context);
  return stateText === 'running';
}

function setState(s: string): void {
  stateText = s;
  renderStatus();
}

function updateFindings(): void {
  const c: Counts = { errors: 0, warnings: 0, infos: 0, hints: 0 };
  for (const [, diags] of vscode.languages.getDiagnostics()) {
    for (const d of diags) {
      if (d.source !== DIAGNOSTIC_SOURCE) continue;
      if (d.severity === vscode.DiagnosticSeverity.Error) c.errors++;
      else if (d.severity === vscode.DiagnosticSeverity.Warning) c.warnings++;
      else if (d.severity === vscode.DiagnosticSeverity.Information) c.infos++;
      else c.hints++;
    }
  }
  counts = c;
  renderStatus();
}

function renderStatus(): void {
  if (!status) return;
  const icon = stateText === 'running' ? '$(book)' : stateText === 'starting' ? '$(sync~spin)' : '$(warning)';
  const shown = counts.errors + counts.warnings + counts.infos;
  // the number Problems lists (errors, warnings, information); hints are dots in the editor, counted apart
  status.text =
    stateText === 'running' ? `${icon} 术语 ${shown}${counts.hints ? ` · 提示 ${counts.hints}` : ''}` : `${icon} nnterm: ${stateText}`;
  status.tooltip = new vscode.MarkdownString(
    `**nnterm-ls**: ${stateText}${server ? ` — \`${server.command} ${server.args.join(' ')}\`` : ''}\n\n` +
      `${shown} in Problems (${counts.errors} errors, ${counts.warnings} warnings, ${counts.infos} info) · ` +
      `${counts.hints} hints\n\n` +
      `“问题”面板中 ${shown} 处（错误 ${counts.errors}，警告 ${counts.warnings}，信息 ${counts.infos}）· 提示 ${counts.hints} 处\n\n` +
      'Click for the menu / 点击打开菜单',
  );
  status.backgroundColor =
    stateText === 'not found' || stateText === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  status.show();
}

// ---------------------------------------------------------------------------------------------------------------
// the status bar's menu

type MenuItem = vscode.QuickPickItem & { run: () => unknown };

function menuItems(): MenuItem[] {
  const quick = vscode.workspace.getConfiguration('nnterm').get<boolean>('completion.quickSuggestions', false);
  const items: MenuItem[] = [];
  if (stateText !== 'running' && bundledWheel(extensionContext.extensionPath)) {
    items.push({ label: '$(cloud-download) 安装语言服务器 / Install the Server', run: () => installServer(extensionContext) });
  }
  items.push(
    {
      label: '$(list-flat) 显示术语问题 / Show Findings',
      description: `${counts.errors + counts.warnings + counts.infos} · 提示 ${counts.hints}`,
      run: () => vscode.commands.executeCommand('workbench.actions.view.problems'),
    },
    { label: '$(checklist) 开关规则… / Toggle Rules…', run: toggleRules },
    { label: '$(search) 查找术语… / Look Up a Term…', run: lookupTerm },
    { label: '$(book) 术语表 / Terminology View', run: () => vscode.commands.executeCommand('nnterm.terms.focus') },
    {
      label: `$(keyboard) 输入时补全：${quick ? '开' : '关'} / Completion While Typing: ${quick ? 'On' : 'Off'}`,
      description: 'Markdown, LaTeX',
      run: () => vscode.workspace.getConfiguration('nnterm').update('completion.quickSuggestions', !quick, vscode.ConfigurationTarget.Global),
    },
    { label: '$(output) 打开服务器日志 / Open the Server Log', run: () => log.show(true) },
  );
  return items;
}

async function showMenu(): Promise<void> {
  const picked = await vscode.window.showQuickPick(menuItems(), { title: 'nnterm', placeHolder: `nnterm-ls: ${stateText}` });
  if (picked) await picked.run();
}

function ruleCodes(): string[] {
  const ext = vscode.extensions.all.find((e) => e.packageJSON.name === 'nnterm');
  const props = ext?.packageJSON.contributes.configuration.properties['nnterm.rules']?.properties ?? {};
  return Object.keys(props);
}

/** A multi-select of the rules; the unchecked ones are written "off" into nnterm.rules (the workspace's, if any). */
async function toggleRules(): Promise<void> {
  const config = vscode.workspace.getConfiguration('nnterm');
  const rules = { ...config.get<Record<string, string>>('rules', {}) };
  const items = ruleCodes().map((code) => ({ label: code, picked: rules[code] !== 'off', description: rules[code] && rules[code] !== 'off' ? rules[code] : '' }));
  const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: 'nnterm: rules / 规则（勾选 = 开启）' });
  if (!picked) return;
  const on = new Set(picked.map((p) => p.label));
  for (const { label } of items) {
    if (on.has(label) && rules[label] === 'off') delete rules[label];
    else if (!on.has(label)) rules[label] = 'off';
  }
  const target = vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('rules', Object.keys(rules).length ? rules : undefined, target);
}

// ---------------------------------------------------------------------------------------------------------------
// completion while typing: configurationDefaults are static, so the opt-in writes the language-scoped setting

/** nnterm.completion.quickSuggestions on: `[markdown]`/`[latex]` `editor.quickSuggestions` gets `other: on` in the
 * same settings file (user or workspace); off: what was written there is taken out again (a value the user wrote
 * differently is left alone). */
async function syncQuickSuggestions(): Promise<void> {
  const inspect = vscode.workspace.getConfiguration('nnterm').inspect<boolean>('completion.quickSuggestions');
  const targets: [vscode.ConfigurationTarget, boolean | undefined, 'globalLanguageValue' | 'workspaceLanguageValue'][] = [
    [vscode.ConfigurationTarget.Global, inspect?.globalValue, 'globalLanguageValue'],
  ];
  if (vscode.workspace.workspaceFolders) targets.push([vscode.ConfigurationTarget.Workspace, inspect?.workspaceValue, 'workspaceLanguageValue']);
  for (const [target, want, key] of targets) {
    for (const languageId of QUICK_LANGUAGES) {
      const editor = vscode.workspace.getConfiguration('editor', { languageId });
      const current = editor.inspect('quickSuggestions')?.[key];
      const ours = JSON.stringify(current) === JSON.stringify(QUICK_VALUE);
      if (want === true && !ours) await editor.update('quickSuggestions', QUICK_VALUE, target, true);
      else if (want !== true && ours) await editor.update('quickSuggestions', undefined, target, true);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// the 术语表 view

async function fetchTermTable(): Promise<TableConcept[] | undefined> {
  const c = client;
  if (!c?.isRunning()) return undefined;
  const result = await c.sendRequest(ExecuteCommandRequest.type, { command: 'nnterm.termTable', arguments: [] });
  return (result as { concepts: TableConcept[] } | null)?.concepts;
}

async function unifyTo(node?: TermNode): Promise<{ applied: boolean; edits: number; files: number } | undefined> {
  if (node?.kind !== 'rendering' || !client?.isRunning()) return undefined;
  const { concept, rendering } = node;
  const result = (await client.sendRequest(ExecuteCommandRequest.type, {
    command: 'nnterm.unifyTerm',
    arguments: [concept.id, rendering.lang, rendering.text],
  })) as { applied: boolean; edits: number; files: number };
  void vscode.window.setStatusBarMessage(
    result.edits
      ? `nnterm: 已统一为“${rendering.text}”：${result.files} 个文件 ${result.edits} 处（可撤销）/ unified ${result.edits} in ${result.files} file(s)`
      : `nnterm: 已经统一 / nothing to unify`,
    5000,
  );
  termTree.refresh();
  return result;
}

async function setPreferredFromView(node?: TermNode): Promise<unknown> {
  if (node?.kind !== 'rendering' || !client?.isRunning()) return undefined;
  const result = await client.sendRequest(ExecuteCommandRequest.type, {
    command: 'nnterm.setPreferred',
    arguments: [node.concept.id, node.rendering.lang, node.rendering.text],
  });
  termTree.refresh();
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// commands

async function fixAll(): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !LANGUAGES.has(editor.document.languageId)) return false;
  const doc = editor.document;
  const range = new vscode.Range(0, 0, doc.lineCount, 0);
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      range,
      FIX_ALL_KIND.value,
    )) ?? [];
  const action = actions.find((a) => a.kind && FIX_ALL_KIND.contains(a.kind));
  if (!action) {
    void vscode.window.setStatusBarMessage('nnterm: nothing to fix / 没有可修复的术语问题', 3000);
    return false;
  }
  if (action.edit) await vscode.workspace.applyEdit(action.edit);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  return true;
}

async function showEntry(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return;
  const pos = editor.selection.active;
  const defs =
    (await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      editor.document.uri,
      pos,
    )) ?? [];
  if (defs.length > 0) {
    const d = defs[0];
    const uri = 'targetUri' in d ? d.targetUri : d.uri;
    const range = 'targetUri' in d ? d.targetSelectionRange ?? d.targetRange : d.range;
    await vscode.window.showTextDocument(uri, { selection: range, preview: true });
    return;
  }
  const hovers =
    (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, pos)) ?? [];
  const text = hovers
    .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : String(c))))
    .join('\n\n');
  if (!text) {
    void vscode.window.showInformationMessage('nnterm: no term under the cursor / 光标处没有术语');
    return;
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: text });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}

interface Form {
  text: string;
  lang: string;
  status: string;
  type: string;
}
interface Concept {
  id: string;
  en: string;
  zh: string;
  category: string;
  forms: Form[];
  definition?: { en?: string; zh?: string };
}

function loadTermBase(): Promise<Concept[]> {
  if (!termBase) {
    termBase = (async () => {
      const cli = cliCommand(server);
      if (!cli) throw new Error('no nnterm CLI found next to the server');
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      const args = [...cli.args, 'export', '--format', 'json'];
      for (const t of vscode.workspace.getConfiguration('nnterm').get<string[]>('terms', [])) args.push('--terms', t);
      return (await runJson(cli.command, args, folder)) as Concept[];
    })();
    termBase.catch(() => (termBase = undefined));
    formIndex = undefined;
  }
  return termBase;
}

async function lookupTerm(): Promise<string | undefined> {
  let base: Concept[];
  try {
    base = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'nnterm: loading the term base' },
      loadTermBase,
    );
  } catch (err) {
    log.error(`term base export failed: ${err}`);
    void vscode.window.showErrorMessage(`nnterm: could not read the term base (${err}). 无法读取术语库。`);
    return undefined;
  }
  type Item = vscode.QuickPickItem & { concept: Concept };
  const items: Item[] = base.map((c) => ({
    label: `${c.zh}  ${c.en}`,
    description: c.forms
      .filter((f) => f.status !== 'preferred')
      .map((f) => f.text)
      .join(' · '),
    detail: [c.definition?.zh, c.definition?.en].filter(Boolean).join(' — '),
    concept: c,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'nnterm: look up a term / 查找术语',
    placeHolder: '激活函数, activation function, relu …',
    matchOnDescription: true,
    matchOnDetail: false,
  });
  if (!picked) return undefined;
  const c = picked.concept;
  const abbr = c.forms.find((f) => f.type === 'abbreviation' && f.lang === 'en' && f.status !== 'deprecated')?.text;
  const gloss = abbr ? `${c.en}，${abbr}` : c.en;
  const renderings = [c.zh, c.en, `${c.zh}（${gloss}）`, `${c.en} (${c.zh})`, ...c.forms.filter((f) => f.status === 'admitted').map((f) => f.text)];
  const choice = await vscode.window.showQuickPick([...new Set(renderings)], {
    title: `${c.zh} · ${c.en}: insert / 插入`,
  });
  const editor = vscode.window.activeTextEditor;
  if (!choice) return undefined;
  if (editor) {
    await editor.edit((b) => editor.selections.forEach((s) => b.replace(s, choice)));
  } else {
    await vscode.env.clipboard.writeText(choice);
    void vscode.window.showInformationMessage(`nnterm: copied “${choice}” / 已复制`);
  }
  return choice;
}

// ---------------------------------------------------------------------------------------------------------------
// translate the term before the cursor

let formIndex: Promise<Map<string, Concept[]>> | undefined;

function formKey(text: string): string {
  return text.toLowerCase().replace(/[-\s]+/g, ' ').trim();
}

function loadFormIndex(): Promise<Map<string, Concept[]>> {
  if (!formIndex) {
    formIndex = loadTermBase().then((base) => {
      const index = new Map<string, Concept[]>();
      for (const c of base) {
        for (const text of new Set([c.zh, c.en, ...c.forms.map((f) => f.text)])) {
          const k = formKey(text);
          const list = index.get(k) ?? [];
          if (!list.includes(c)) list.push(c);
          index.set(k, list);
        }
      }
      return index;
    });
    formIndex.catch(() => (formIndex = undefined));
  }
  return formIndex;
}

const LATIN = /[A-Za-z0-9]/;

/** The longest known term ending at the cursor on its line: (its range, the concepts it names). */
export async function termBefore(doc: vscode.TextDocument, pos: vscode.Position): Promise<{ range: vscode.Range; concepts: Concept[] } | undefined> {
  const index = await loadFormIndex();
  const before = doc.lineAt(pos.line).text.slice(0, pos.character);
  for (let n = Math.min(before.length, 60); n >= 1; n--) {
    const word = before.slice(before.length - n);
    if (/^\s/.test(word)) continue;
    // a Latin word starts at a word boundary (not "normalization" inside "batchnormalization")
    if (LATIN.test(word[0]) && n < before.length && LATIN.test(before[before.length - n - 1])) continue;
    const concepts = index.get(formKey(word));
    if (concepts) return { range: new vscode.Range(pos.line, pos.character - n, pos.line, pos.character), concepts };
  }
  return undefined;
}

function renderingsFor(c: Concept, written: string): string[] {
  const abbr = c.forms.find((f) => f.type === 'abbreviation' && f.lang === 'en' && f.status !== 'deprecated')?.text;
  const gloss = abbr ? `${c.en}，${abbr}` : c.en;
  const chinese = /[\u3400-\u9fff]/.test(written);
  const list = chinese ? [c.en, `${written}（${gloss}）`, abbr, c.zh] : [c.zh, `${c.zh}（${gloss}）`, `${c.en} (${c.zh})`];
  return [...new Set(list.filter((x): x is string => !!x && x !== written))];
}

/** Replace the term before the cursor by its translation (a quick pick of the renderings); with no known term there,
 * open the completion list (Ctrl+Space), which also understands pinyin. Returns the text inserted. */
async function translate(): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  let found: Awaited<ReturnType<typeof termBefore>>;
  try {
    found = await termBefore(editor.document, editor.selection.active);
  } catch (err) {
    log.error(`term base export failed: ${err}`);
  }
  if (!found) {
    await vscode.commands.executeCommand('editor.action.triggerSuggest');
    return undefined;
  }
  const written = editor.document.getText(found.range);
  type Item = vscode.QuickPickItem & { text: string };
  const items: Item[] = found.concepts.flatMap((c) =>
    renderingsFor(c, written).map((text) => ({ label: text, description: found!.concepts.length > 1 ? `${c.zh} · ${c.en}` : undefined, text })),
  );
  const picked = await vscode.window.showQuickPick(items, { title: `nnterm: ${written} → 翻译 / translate` });
  if (!picked) return undefined;
  const range = found.range;
  const ok = await editor.edit((b) => b.replace(range, picked.text));
  return ok ? picked.text : undefined;
}
