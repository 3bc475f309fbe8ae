// Finding the nnterm-ls server: nnterm.server.path, nnterm.server.python, the Python extension's interpreter,
// `nnterm-ls` on PATH, then the extension's own environment (created from the wheel the .vsix carries).
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** The command a user can run in a terminal: pipx (or pip) installs the wheel the extension carries. */
export function installCommand(wheel: string | undefined): string {
  return wheel ? `pipx install "${wheel}"` : 'pipx install nnterm-ls';
}
const IS_WINDOWS = process.platform === 'win32';

export interface ServerCommand {
  command: string;
  args: string[];
  /** which rule found it: a setting name, "python extension", "PATH" or "bundled" */
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

/** Every `name` on PATH, in PATH order. */
function whichAll(name: string): string[] {
  const exts = IS_WINDOWS ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  const out: string[] = [];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const ext of dir ? exts : []) {
      const candidate = path.join(dir, name + ext);
      if (isExecutable(candidate) && !out.includes(candidate)) out.push(candidate);
    }
  }
  return out;
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
  log.warn('nnterm-ls not found in the settings nnterm.server.path / nnterm.server.python, the Python extension or PATH');
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// the bundled server: a wheel inside the .vsix, installed on request into a virtual environment of the extension's

/** The wheel the .vsix carries (server/nnterm_ls-*.whl), or undefined in a development checkout without one. */
export function bundledWheel(extensionPath: string): string | undefined {
  const dir = path.join(extensionPath, 'server');
  const wheels = existsSync(dir) ? readdirSync(dir).filter((f) => /^nnterm_ls-.*\.whl$/.test(f)).sort() : [];
  return wheels.length ? path.join(dir, wheels[wheels.length - 1]) : undefined;
}

function venvPython(venv: string): string {
  return IS_WINDOWS ? path.join(venv, 'Scripts', 'python.exe') : path.join(venv, 'bin', 'python');
}

const MARKER = '.nnterm-wheel';

/** The extension's own environment when it holds the bundled wheel (the wheel's file name is recorded in it). */
export function managedServer(venv: string, wheel: string | undefined): ServerCommand | undefined {
  const python = venvPython(venv);
  if (!wheel || !isExecutable(python)) return undefined;
  let installed = '';
  try {
    installed = readFileSync(path.join(venv, MARKER), 'utf8').trim();
  } catch {
    return undefined;
  }
  if (installed !== path.basename(wheel)) return undefined;
  return { command: python, args: ['-m', 'nnterm_ls'], origin: 'bundled', python };
}

/** A Python >= 3.10 that can create a virtual environment: nnterm.server.python, the Python extension's interpreter,
 * then python3 / python (py -3 on Windows) on PATH. */
export async function findBasePython(resource: vscode.Uri | undefined, log: Logger): Promise<{ command: string; args: string[]; version: string } | undefined> {
  const candidates: { command: string; args: string[] }[] = [];
  const configured = vscode.workspace.getConfiguration('nnterm', resource).get<string>('server.python', '').trim();
  if (configured) {
    const p = which(expand(configured, resource));
    if (p) candidates.push({ command: p, args: [] });
  }
  const interpreter = await pythonExtensionInterpreter(resource, log);
  if (interpreter && isExecutable(interpreter)) candidates.push({ command: interpreter, args: [] });
  for (const name of IS_WINDOWS ? ['python', 'python3'] : ['python3', 'python']) {
    for (const p of whichAll(name)) if (!candidates.some((c) => c.command === p)) candidates.push({ command: p, args: [] });
  }
  if (IS_WINDOWS && which('py')) candidates.push({ command: which('py')!, args: ['-3'] });
  const probe = 'import sys, venv, ensurepip; print("%d.%d" % sys.version_info[:2]); sys.exit(sys.version_info < (3, 10))';
  for (const c of candidates) {
    const r = await run(c.command, [...c.args, '-c', probe]);
    const version = r.stdout.trim();
    if (r.code === 0) return { ...c, version };
    log.warn(`${c.command}: ${version ? `Python ${version} (3.10 or newer is needed)` : r.stderr.trim().split('\n').pop()}`);
  }
  return undefined;
}

/** Run a command, its output line by line to ``onLine``; resolves with the exit status. */
function stream(command: string, args: string[], onLine: (line: string) => void, cancel?: vscode.CancellationToken): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, PYTHONIOENCODING: 'utf-8', PIP_DISABLE_PIP_VERSION_CHECK: '1' } });
    const sub = cancel?.onCancellationRequested(() => child.kill());
    let pending = '';
    const feed = (d: Buffer) => {
      pending += d.toString('utf8');
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const l of lines) if (l.trim()) onLine(l);
    };
    child.stdout.on('data', feed);
    child.stderr.on('data', feed);
    child.on('error', (err) => {
      onLine(String(err));
      sub?.dispose();
      resolve(127);
    });
    child.on('close', (code) => {
      if (pending.trim()) onLine(pending);
      sub?.dispose();
      resolve(code ?? 1);
    });
  });
}

/** Create ``venv`` with ``base`` and install ``wheel`` into it (its dependencies from the package index). */
export async function installBundled(
  base: { command: string; args: string[] },
  venv: string,
  wheel: string,
  log: Logger,
  report: (message: string) => void,
  cancel?: vscode.CancellationToken,
): Promise<ServerCommand> {
  const python = venvPython(venv);
  if (!isExecutable(python)) {
    rmSync(venv, { recursive: true, force: true });
    report('creating a Python environment / 创建 Python 环境');
    const code = await stream(base.command, [...base.args, '-m', 'venv', venv], (l) => log.info(`venv: ${l}`), cancel);
    if (code !== 0 || !isExecutable(python)) throw new Error(`${base.command} -m venv ${venv} failed (exit ${code})`);
  }
  rmSync(path.join(venv, MARKER), { force: true });
  report(`installing ${path.basename(wheel)} / 安装语言服务器`);
  const code = await stream(
    python,
    ['-m', 'pip', 'install', '--force-reinstall', '--no-input', '--progress-bar', 'off', wheel],
    (l) => {
      log.info(`pip: ${l}`);
      const m = /^(Collecting|Downloading|Installing collected packages:?|Successfully installed)\s*(.*)$/.exec(l.trim());
      if (m) report(`${m[1]} ${m[2]}`.slice(0, 80));
    },
    cancel,
  );
  if (code !== 0) throw new Error(`pip install ${path.basename(wheel)} failed (exit ${code}); see the log`);
  const check = await run(python, ['-c', 'import nnterm_ls; print(nnterm_ls.__version__)']);
  if (check.code !== 0) throw new Error(`the installed server does not import: ${check.stderr.trim().split('\n').pop()}`);
  writeFileSync(path.join(venv, MARKER), path.basename(wheel) + '\n');
  log.info(`installed nnterm-ls ${check.stdout.trim()} into ${venv}`);
  return { command: python, args: ['-m', 'nnterm_ls'], origin: 'bundled', python };
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
