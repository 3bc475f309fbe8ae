// The 术语表 (terminology) view: the server's nnterm.termTable as a tree — concept → rendering → file → occurrence.
import * as path from 'node:path';
import * as vscode from 'vscode';

interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}
export interface TableFile {
  uri: string;
  count: number;
  ranges: LspRange[];
}
export interface TableRendering {
  text: string;
  lang: 'zh' | 'en';
  status: string;
  type: string;
  preferred: boolean;
  count: number;
  files: TableFile[];
}
export interface TableConcept {
  id: string;
  zh: string;
  en: string;
  count: number;
  inconsistent: string[];
  renderings: TableRendering[];
}

export type TermNode =
  | { kind: 'concept'; concept: TableConcept }
  | { kind: 'rendering'; concept: TableConcept; rendering: TableRendering }
  | { kind: 'file'; concept: TableConcept; rendering: TableRendering; file: TableFile }
  | { kind: 'occurrence'; file: TableFile; range: LspRange; index: number };

const STATUS: Record<string, string> = { preferred: '推荐', admitted: '许用', deprecated: '不推荐' };

function toRange(r: LspRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

function relative(uri: string): string {
  const u = vscode.Uri.parse(uri);
  const folder = vscode.workspace.getWorkspaceFolder(u);
  return folder ? path.relative(folder.uri.fsPath, u.fsPath) : path.basename(u.fsPath);
}

export class TermTree implements vscode.TreeDataProvider<TermNode> {
  private readonly changed = new vscode.EventEmitter<TermNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private table: Promise<TableConcept[]> | undefined;
  private lines = new Map<string, string[]>();

  constructor(private readonly fetch: () => Promise<TableConcept[] | undefined>) {}

  /** Ask the server again (after edits, a new check, a restart). */
  refresh(): void {
    this.table = undefined;
    this.lines.clear();
    this.changed.fire(undefined);
  }

  concepts(): Promise<TableConcept[]> {
    if (!this.table) {
      this.table = this.fetch().then((t) => t ?? []);
      this.table.catch(() => (this.table = undefined));
    }
    return this.table;
  }

  async getChildren(node?: TermNode): Promise<TermNode[]> {
    if (!node) return (await this.concepts()).map((concept) => ({ kind: 'concept', concept }));
    if (node.kind === 'concept') return node.concept.renderings.map((rendering) => ({ kind: 'rendering', concept: node.concept, rendering }));
    if (node.kind === 'rendering') return node.rendering.files.map((file) => ({ kind: 'file', concept: node.concept, rendering: node.rendering, file }));
    if (node.kind === 'file') {
      await this.loadLines(node.file.uri);
      return node.file.ranges.map((range, index) => ({ kind: 'occurrence', file: node.file, range, index }));
    }
    return [];
  }

  private async loadLines(uri: string): Promise<void> {
    if (this.lines.has(uri)) return;
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
      this.lines.set(uri, doc.getText().split(/\r\n|\r|\n/));
    } catch {
      this.lines.set(uri, []);
    }
  }

  getTreeItem(node: TermNode): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    if (node.kind === 'concept') {
      const c = node.concept;
      const item = new vscode.TreeItem(`${c.zh} · ${c.en}`, C.Collapsed);
      const clash = c.inconsistent.length ? ' · 不一致' : '';
      item.description = `${c.count} 处${clash}`;
      item.tooltip = new vscode.MarkdownString(
        `**${c.zh}** · ${c.en}\n\n` +
          c.renderings.map((r) => `- ${r.text}：${r.count} 处${r.preferred ? '（推荐）' : ''}`).join('\n') +
          (c.inconsistent.length ? '\n\n本文档集对这一概念有不止一种写法 / written more than one way in this document set' : ''),
      );
      item.iconPath = new vscode.ThemeIcon(c.inconsistent.length ? 'warning' : 'symbol-key');
      item.contextValue = 'concept';
      item.id = `c:${c.id}`;
      return item;
    }
    if (node.kind === 'rendering') {
      const r = node.rendering;
      const item = new vscode.TreeItem(r.text, C.Collapsed);
      const kind = r.type === 'abbreviation' ? ' · 缩写' : r.type === 'code' ? ' · 代码名' : '';
      item.description = `×${r.count}${r.preferred ? ' · 推荐用法' : ` · ${STATUS[r.status] ?? r.status}`}${kind}`;
      item.tooltip = `${r.text}: ${r.count} × in ${r.files.length} file(s) / ${r.files.length} 个文件中共 ${r.count} 处`;
      item.iconPath = new vscode.ThemeIcon(r.preferred ? 'star-full' : 'circle-outline');
      // a term rendering can be unified to or made preferred; abbreviations and code names are not rivals
      item.contextValue = r.type === 'term' ? (r.preferred ? 'rendering.preferred' : 'rendering.other') : 'rendering.short';
      item.id = `r:${node.concept.id}:${r.lang}:${r.text}`;
      return item;
    }
    if (node.kind === 'file') {
      const f = node.file;
      const item = new vscode.TreeItem(relative(f.uri), C.Collapsed);
      item.description = `×${f.count}`;
      item.resourceUri = vscode.Uri.parse(f.uri);
      item.iconPath = vscode.ThemeIcon.File;
      item.command = { command: 'nnterm.termView.open', title: 'Open / 打开', arguments: [f.uri, f.ranges[0]] };
      item.id = `f:${node.concept.id}:${node.rendering.lang}:${node.rendering.text}:${f.uri}`;
      return item;
    }
    const line = this.lines.get(node.file.uri)?.[node.range.start.line] ?? '';
    const col = node.range.start.character;
    const snippet = (col > 12 ? '…' : '') + line.slice(Math.max(0, col - 12), col + 24).trim();
    const item = new vscode.TreeItem(snippet || `${node.range.start.line + 1}:${col + 1}`, C.None);
    item.description = `${node.range.start.line + 1}:${col + 1}`;
    item.command = { command: 'nnterm.termView.open', title: 'Open / 打开', arguments: [node.file.uri, node.range] };
    item.id = `o:${node.file.uri}:${node.range.start.line}:${col}:${node.index}`;
    return item;
  }
}

/** Open a document with the occurrence selected (the view's click). */
export async function openAt(uri: string, range: LspRange): Promise<vscode.TextEditor> {
  return vscode.window.showTextDocument(vscode.Uri.parse(uri), { selection: toRange(range), preview: true });
}
