// Runs the extension's mocha suite inside real VS Code: the VS Code server shipped in npm code-server, with the
// built workbench opened in headless Chromium and a test payload (extensionDevelopmentPath / extensionTestsPath).
// node driver.mjs EXT_DIR WORKSPACE   (env NNTERM_VSCODE_CACHE: the folder with node_modules/code-server)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { browser, freePort, waitHttp, QUIET_SETTINGS } from './lib.mjs';

const [extDir, ws] = process.argv.slice(2).map((p) => resolve(p));
const cache = process.env.NNTERM_VSCODE_CACHE;
const verbose = !!process.env.NNTERM_VSCODE_VERBOSE;
const timeoutMs = Number(process.env.NNTERM_VSCODE_TIMEOUT || 300) * 1000;
const tmp = mkdtempSync(join(tmpdir(), 'nnterm-vscode-'));
const [userData, serverData, extensions] = ['user', 'server', 'extensions'].map((d) => join(tmp, d));
for (const d of [userData, serverData, extensions, join(userData, 'User'), join(serverData, 'data', 'User'), join(serverData, 'data', 'Machine')]) mkdirSync(d, { recursive: true });
for (const f of [join(userData, 'User', 'settings.json'), join(serverData, 'data', 'User', 'settings.json'), join(serverData, 'data', 'Machine', 'settings.json')]) {
  writeFileSync(f, JSON.stringify(QUIET_SETTINGS, null, 2));
}

// a stand-in for the Python extension (its environments API), installed like any extension
const vsce = join(extDir, 'node_modules/.bin/vsce');
const fake = join(tmp, 'fake-python.vsix');
for (const [cmd, args, cwd] of [
  [vsce, ['package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '-o', fake], join(import.meta.dirname, 'fake-python')],
  [process.execPath, [join(cache, 'node_modules/code-server/out/node/entry.js'), '--extensions-dir', extensions, '--user-data-dir', userData, '--install-extension', fake], tmp],
]) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) { console.log(`FAIL  ${cmd} ${args.join(' ')}\n${r.stdout}${r.stderr}`); process.exit(1); }
}

const port = await freePort();
const server = spawn(process.execPath, [
  join(cache, 'node_modules/code-server/lib/vscode/out/server-main.js'),
  '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', '--accept-server-license-terms',
  '--enable-smoke-test-driver', '--disable-telemetry', '--user-data-dir', userData, '--server-data-dir', serverData,
  '--extensions-dir', extensions,
], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
let serverLog = '';
server.stdout.on('data', (d) => (serverLog += d));
server.stderr.on('data', (d) => (serverLog += d));

let exitCode = 1;
let ctx;
try {
  await waitHttp(`http://127.0.0.1:${port}/version`);
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extDir)],
    ['extensionTestsPath', remote(join(extDir, 'dist/test/index.js'))],
    ['skipWelcome', 'true'],
  ];
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  ctx = await browser();
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const done = new Promise((res) => page.exposeFunction('codeAutomationExit', (code) => res(code)));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = format(...(Array.isArray(args) ? args : [args]));
    if (!verbose && !/^ *(%|✔|✓|[0-9]+\)|nnterm|ok|FAIL|Error|Assertion|\+|-|at )/.test(text) && !text.includes('passing') && !text.includes('failing')) return;
    process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  });
  page.on('pageerror', (e) => process.stderr.write(`[page error] ${e.message}\n`));
  await page.goto(url);
  exitCode = await Promise.race([done, new Promise((res) => setTimeout(() => res('timeout'), timeoutMs))]);
  if (exitCode === 'timeout') {
    console.log(`FAIL  the test run did not finish within ${timeoutMs / 1000} s`);
    await page.screenshot({ path: join(tmp, 'timeout.png') });
    console.log(`      screenshot: ${join(tmp, 'timeout.png')}\n--- VS Code server log:\n${serverLog.slice(-4000)}`);
    exitCode = 1;
  }
} catch (err) {
  console.log(`FAIL  ${err.stack || err}\n--- VS Code server log:\n${serverLog.slice(-4000)}`);
  exitCode = 1;
} finally {
  await ctx?.close().catch(() => {});
  try { process.kill(-server.pid, 'SIGTERM'); } catch {}
}
console.log(exitCode === 0 ? 'vscode: mocha suite passed' : `vscode: mocha suite FAILED (exit ${exitCode})`);
process.exit(exitCode === 0 ? 0 : 1);
