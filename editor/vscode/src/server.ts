// Finding the nnterm-ls server: nnterm.server.path, nnterm.server.python, the Python extension's interpreter,
// then `nnterm-ls` on PATH.
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const INSTALL_COMMAND = 'pip install nnterm-ls';
const IS_WINDOWS = process.platform === 'win32';

export interface ServerCommand {
  command: string;
  args: string[];
  /** which rule found it: a setting name, "python extension" or "PATH" */
  origin: string;
  /** the interpreter, when the server runs as `python -m nnterm_ls` */
  python?: string;
}

interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
}

function expand(p: string, resource?: vscode.Uri): string {
  const folder = (resource && vscode.workspace.getWorkspaceFolder(resource)) ?? vscode.workspace.workspaceFolders?.[0];
  p = p.replace(/^~(?=$|[\\/])/, os.homedir());
  if (folder) p = p.replace(/\$\{workspaceFolder\}/g, folder.uri.fsPath);
  if (!path.isAbsolute(p) && folder && /[\\/]/.test(p)) p = path.join(folder.uri.fsPath, p);
  return p;
}

function isExecutable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, IS_WINDOWS ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `name` on PATH (PATHEXT on Windows), or undefined. */
export function which(name: string): string | undefined {
  if (/[\\/]/.test(name)) return isExecutable(name) ? name : undefined;
  const exts = IS_WINDOWS ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function run(command: string, args: string[], cwd?: string, timeout = 20000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, PYTHONIOENCODING: 'utf-8' } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : 1) : 0;
      resolve({ code, stdout, stderr: stderr || (err ? String(err.message) : '') });
    });
  });
}

export async function runJson(command: string, args: string[], cwd?: string): Promise<unknown> {
  const r = await run(command, args, cwd, 60000);
  if (r.code !== 0) throw new Error(r.stderr.trim().split('\n').pop() || `exit ${r.code}`);
  return JSON.parse(r.stdout);
}

async function pythonHasPackage(python: string, log: Logger): Promise<boolean> {
  const r = await run(python, ['-c', 'import nnterm_ls']);
  if (r.code !== 0) log.warn(`${python} cannot import nnterm_ls: ${r.stderr.trim().split('\n').pop()}`);
  return r.code === 0;
}

async function pythonExtensionInterpreter(resource: vscode.Uri | undefined, log: Logger): Promise<string | undefined> {
  const ext = vscode.extensions.getExtension('ms-python.python');
  if (!ext) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const api: any = ext.isActive ? ext.exports : await ext.activate();
    const env = api?.environments?.getActiveEnvironmentPath?.(resource);
    if (env?.path) {
      const resolved = await api.environments.resolveEnvironment?.(env).catch(() => undefined);
      return resolved?.executable?.uri?.fsPath ?? env.path;
    }
    const details = api?.settings?.getExecutionDetails?.(resource);
    return details?.execCommand?.[0];
  } catch (err) {
    log.warn(`could not ask the Python extension for its interpreter: ${err}`);
    return undefined;
  }
}

export async function findServer(resource: vscode.Uri | undefined, log: Logger): Promise<ServerCommand | undefined> {
  const config = vscode.workspace.getConfiguration('nnterm', resource);

  const exe = config.get<string>('server.path', '').trim();
  if (exe) {
    const p = which(expand(exe, resource));
    if (p) return { command: p, args: [], origin: 'nnterm.server.path' };
    log.warn(`nnterm.server.path: ${exe} is not an executable file`);
  }

  const py = config.get<string>('server.python', '').trim();
  if (py) {
    const p = which(expand(py, resource));
    if (p && (await pythonHasPackage(p, log))) return { command: p, args: ['-m', 'nnterm_ls'], origin: 'nnterm.server.python', python: p };
    if (!p) log.warn(`nnterm.server.python: ${py} is not an executable file`);
  }

  const interpreter = await pythonExtensionInterpreter(resource, log);
  if (interpreter && isExecutable(interpreter) && (await pythonHasPackage(interpreter, log))) {
    return { command: interpreter, args: ['-m', 'nnterm_ls'], origin: 'python extension', python: interpreter };
  }

  const onPath = which('nnterm-ls');
  if (onPath) return { command: onPath, args: [], origin: 'PATH' };
  log.warn('nnterm-ls not found: set nnterm.server.path or nnterm.server.python, or ' + INSTALL_COMMAND);
  return undefined;
}

/** The `nnterm` CLI of the same installation as the server (for the term-base export). */
export function cliCommand(server: ServerCommand | undefined): { command: string; args: string[] } | undefined {
  if (server?.python) {
    return { command: server.python, args: ['-c', 'import sys; from nnterm_ls.cli import main; sys.exit(main())'] };
  }
  if (server) {
    const sibling = path.join(path.dirname(server.command), IS_WINDOWS ? 'nnterm.exe' : 'nnterm');
    if (isExecutable(sibling)) return { command: sibling, args: [] };
  }
  const onPath = which('nnterm');
  return onPath ? { command: onPath, args: [] } : undefined;
}
