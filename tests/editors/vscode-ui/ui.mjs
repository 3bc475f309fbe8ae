// UI smoke test of the packaged .vsix in code-server: open a chapter from the Explorer, wait for the
// terminology squiggles, hover 批归一化, read the hover, check the status bar, save a screenshot.
// node ui.mjs VSIX WORKSPACE SCREENSHOT [--missing]   (env NNTERM_VSCODE_CACHE)
// With --missing (no nnterm-ls anywhere): the one notification, its install command, and its settings button.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { browser, freePort, waitHttp, QUIET_SETTINGS } from '../vscode/lib.mjs';

const missing = process.argv.includes('--missing');
const [vsix, ws, shot] = process.argv.slice(2).filter((a) => !a.startsWith('--')).map((p) => resolve(p));
const cache = process.env.NNTERM_VSCODE_CACHE;
const codeServer = join(cache, 'node_modules/code-server/out/node/entry.js');
const tmp = mkdtempSync(join(tmpdir(), 'nnterm-ui-'));
const userData = join(tmp, 'user');
const extensions = join(tmp, 'extensions');
mkdirSync(join(userData, 'User'), { recursive: true });
writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, 'window.zoomLevel': 0, 'editor.fontSize': 15 }, null, 2));

const failures = [];
const ok = (cond, what, got) => {
  console.log(`${cond ? 'ok  ' : 'FAIL'}  ${what}${cond || got === undefined ? '' : `\n      got: ${JSON.stringify(got)}`}`);
  if (!cond) failures.push(what);
  return cond;
};

const install = spawnSync(process.execPath, [codeServer, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix], { encoding: 'utf8' });
ok(install.status === 0 && /successfully installed/i.test(install.stdout + install.stderr), 'the .vsix installs in code-server', install.stdout + install.stderr);

const port = await freePort();
const server = spawn(process.execPath, [codeServer, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry',
  '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
  '--user-data-dir', userData, '--extensions-dir', extensions], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
let serverLog = '';
server.stdout.on('data', (d) => (serverLog += d));
server.stderr.on('data', (d) => (serverLog += d));

let ctx;
try {
  await waitHttp(`http://127.0.0.1:${port}/healthz`);
  ctx = await browser({ width: 1280, height: 760 });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'chapter.md' });
  await row.waitFor({ timeout: 90000 });
  await row.dblclick();
  await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 30000 });
  if (missing) {
    const toast = page.locator('.notification-toast', { hasText: 'nnterm' });
    await toast.first().waitFor({ timeout: 60000 }).catch(() => {});
    ok((await toast.count()) === 1, 'exactly one nnterm notification', await toast.allInnerTexts());
    const text = (await toast.count()) ? await toast.first().innerText() : '';
    ok(/pip install nnterm-ls/.test(text) && /nnterm\.server\.path/.test(text) && !/\bat .*\(/.test(text), 'it gives the install command and the settings, no stack trace', text);
    await page.screenshot({ path: shot });
    await toast.first().locator('a.monaco-button, .monaco-button', { hasText: 'Open Settings' }).first().click();
    const editor = page.locator('.settings-editor');
    await editor.first().waitFor({ timeout: 20000 }).catch(() => {});
    let shown = '';
    for (let i = 0; i < 50 && !/Server: Path[\s\S]*Server: Python|Server: Python[\s\S]*Server: Path/.test(shown); i++) {
      await page.waitForTimeout(200);
      shown = (await editor.count()) ? await editor.first().innerText() : '';
    }
    ok(/Server: Path/.test(shown) && /Server: Python/.test(shown), 'its button opens the settings nnterm.server.path and nnterm.server.python', shown.slice(0, 600));
    const status = page.locator('.statusbar-item', { hasText: 'not found' });
    ok((await status.count()) > 0, 'the status bar says the server was not found');
    throw 'done';
  }
  const squiggle = page.locator('.monaco-editor .squiggly-warning');
  await squiggle.first().waitFor({ state: 'attached', timeout: 60000 }).catch(() => {});
  ok((await squiggle.count()) >= 2, 'warning squiggles in the editor', await squiggle.count());

  // the on-screen box of 批归一化 in the rendered lines
  const box = await page.evaluate((term) => {
    const root = document.querySelector('.monaco-editor .view-lines');
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.textContent.indexOf(term);
      if (i >= 0) {
        const r = document.createRange();
        r.setStart(n, i);
        r.setEnd(n, i + term.length);
        const b = r.getBoundingClientRect();
        return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
      }
    }
    return null;
  }, '批归一化');
  if (ok(box !== null, '批归一化 is rendered in the editor')) {
    const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content', { hasText: '批量归一化' });
    for (let attempt = 0; attempt < 5 && !(await hover.count()); attempt++) {
      await page.mouse.move(box.x - 2, box.y);
      await page.mouse.move(box.x, box.y);
      await hover.first().waitFor({ timeout: 6000 }).catch(() => {});
    }
    const text = (await hover.count()) ? await hover.first().innerText() : '';
    ok(/批量归一化/.test(text) && /batch normalization/i.test(text), 'the hover over 批归一化 shows 批量归一化 and batch normalization', text);
  }
  const status = page.locator('.statusbar-item', { hasText: '术语' });
  ok((await status.count()) > 0, 'the status bar shows the terminology findings', await page.locator('.statusbar').innerText().catch(() => ''));
  await page.screenshot({ path: shot });
  console.log(`screenshot: ${shot}`);

  // the look-up command from the palette: search the base in English, insert the Chinese rendering
  await page.keyboard.press('Escape');
  const lines = page.locator('.monaco-editor .view-lines').first();
  const count = async () => ((await lines.innerText()).match(/激活函数/g) || []).length;
  const before = await count();
  await lines.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10000 });
  await input.fill('>nnterm: Look Up a Term');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Look Up a Term' }).first().waitFor({ timeout: 10000 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-title', { hasText: '查找术语' }).waitFor({ timeout: 30000 });
  await input.fill('activation function');
  const pickRow = page.locator('.quick-input-list .monaco-list-row', { hasText: '激活函数' });
  await pickRow.first().waitFor({ timeout: 10000 });
  const rowText = await page.locator('.quick-input-list .monaco-list-row').first().innerText();
  ok(/激活函数/.test(rowText), 'the look-up quick pick finds 激活函数 from "activation function"', rowText);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-title', { hasText: '插入' }).waitFor({ timeout: 10000 });
  await page.keyboard.press('Enter');
  await page.waitForTimeout(500);
  ok((await count()) === before + 1, 'the chosen rendering 激活函数 is inserted at the cursor', await lines.innerText());
  throw 'done';
} catch (err) {
  if (err !== 'done') ok(false, `UI run: ${err.message}`);
  if (err !== 'done') console.log(`--- code-server log:\n${serverLog.slice(-3000)}`);
} finally {
  await ctx?.close().catch(() => {});
  try { process.kill(-server.pid, 'SIGTERM'); } catch {}
}
console.log(failures.length ? `vscode-ui: ${failures.length} check(s) failed` : 'vscode-ui: all checks passed');
process.exit(failures.length ? 1 : 0);
