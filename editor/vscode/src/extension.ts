// nnterm for VS Code: a thin client of the nnterm-ls language server (vscode-languageclient over stdio).
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { findServer, ServerCommand, cliCommand, INSTALL_COMMAND, runJson } from './server';

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
  findings(): number;
  ready(): Promise<void>;
  /** number of concepts the look-up quick pick offers */
  termBaseSize(): Promise<number>;
}

let client: LanguageClient | undefined;
let server: ServerCommand | undefined;
let log: vscode.LogOutputChannel;
let status: vscode.StatusBarItem;
let stateText = 'stopped';
let findings = 0;
let readyPromise: Promise<void> = Promise.resolve();
let termBase: Promise<Concept[]> | undefined;

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
  log = vscode.window.createOutputChannel('nnterm-ls', { log: true });
  status = vscode.window.createStatusBarItem('nnterm.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'nnterm';
  status.command = 'nnterm.showLog';
  context.subscriptions.push(log, status);

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
      if (e.affectsConfiguration('nnterm.server')) {
        termBase = undefined;
        await restart(context);
      } else if (e.affectsConfiguration('nnterm') && client?.isRunning()) {
        // live: the server re-reads rules, completion style and inlay hints
        await client.sendNotification(DidChangeConfigurationNotification.type, { settings: { nnterm: serverSettings() } });
      }
    }),
  );
  setState('starting');
  readyPromise = start(context);
  await readyPromise.catch(() => undefined);
  return {
    client: () => client,
    server: () => server,
    state: () => stateText,
    findings: () => findings,
    ready: () => readyPromise,
    termBaseSize: () => loadTermBase().then((b) => b.length),
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const resource = vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  server = await findServer(resource, log);
  if (!server) {
    setState('not found');
    void notifyMissing();
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

async function notifyMissing(): Promise<void> {
  const settings = 'Open Settings / 打开设置';
  const copy = 'Copy Install Command / 复制安装命令';
  const choice = await vscode.window.showErrorMessage(
    `nnterm: the language server was not found. Install it with \`${INSTALL_COMMAND}\` (into the Python you use), ` +
      'or set "nnterm.server.path" / "nnterm.server.python". ' +
      `未找到语言服务器 nnterm-ls：请运行 \`${INSTALL_COMMAND}\` 安装，或设置 nnterm.server.path / nnterm.server.python。`,
    settings,
    copy,
  );
  if (choice === settings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', '@ext:nnterm-ls.nnterm server');
  } else if (choice === copy) {
    await vscode.env.clipboard.writeText(INSTALL_COMMAND);
  }
}

function setState(s: string): void {
  stateText = s;
  renderStatus();
}

function updateFindings(): void {
  let n = 0;
  for (const [, diags] of vscode.languages.getDiagnostics()) {
    for (const d of diags) if (d.source === DIAGNOSTIC_SOURCE) n++;
  }
  findings = n;
  renderStatus();
}

function renderStatus(): void {
  if (!status) return;
  const icon = stateText === 'running' ? '$(book)' : stateText === 'starting' ? '$(sync~spin)' : '$(warning)';
  status.text = stateText === 'running' ? `${icon} 术语 ${findings}` : `${icon} nnterm: ${stateText}`;
  status.tooltip = new vscode.MarkdownString(
    `**nnterm-ls**: ${stateText}${server ? ` — \`${server.command} ${server.args.join(' ')}\`` : ''}\n\n` +
      `${findings} terminology finding(s) in the workspace / 工作区中共 ${findings} 处术语问题\n\n` +
      'Click for the server log / 点击查看服务器日志',
  );
  status.backgroundColor =
    stateText === 'not found' || stateText === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  status.show();
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
