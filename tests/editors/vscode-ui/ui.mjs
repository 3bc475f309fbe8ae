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
    // no server anywhere: one notification offering to install the server the .vsix carries; its Install button
    // creates the extension's own environment (Python >= 3.10 found on PATH), pip-installs the wheel, starts it
    const toast = page.locator('.notification-toast', { hasText: 'nnterm' });
    await toast.first().waitFor({ timeout: 60000 }).catch(() => {});
    ok((await toast.count()) === 1, 'exactly one nnterm notification', await toast.allInnerTexts());
    const text = (await toast.count()) ? await toast.first().innerText() : '';
    ok(/Install the one that comes with this extension/.test(text) && /nnterm\.server\.path/.test(text) && !/\bat .*\(/.test(text),
      'it offers the bundled server and names the settings, no stack trace', text);
    const buttons = toast.first().locator('a.monaco-button, .monaco-button');
    const labels = await buttons.allInnerTexts();
    ok(labels.some((l) => /Install/.test(l)) && labels.some((l) => /Open Settings/.test(l)), 'buttons: Install and Open Settings', labels);
    const status = page.locator('.statusbar-item', { hasText: 'not found' });
    ok((await status.count()) > 0, 'the status bar says the server was not found');
    await page.screenshot({ path: shot });
    const t0 = Date.now();
    await buttons.filter({ hasText: 'Install' }).first().click();
    const progress = page.locator('.notification-toast', { hasText: 'installing the language server' });
    await progress.first().waitFor({ timeout: 30000 }).catch(() => {});
    ok((await progress.count()) > 0, 'a progress notification while installing');
    const running = page.locator('.statusbar-item', { hasText: '术语' });
    await running.first().waitFor({ timeout: 600000 }).catch(() => {});
    ok((await running.count()) > 0, `the server runs after the install (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
      await page.locator('.statusbar').innerText().catch(() => ''));
    console.log(`install wall time: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const squiggle = page.locator('.monaco-editor .squiggly-warning');
    await squiggle.first().waitFor({ state: 'attached', timeout: 60000 }).catch(() => {});
    ok((await squiggle.count()) >= 2, 'squiggles from the installed server', await squiggle.count());
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

  // the 术语表 view: focus it from the palette, open the concept and its second rendering, screenshot
  await page.keyboard.press('Escape');
  const input = page.locator('.quick-input-widget input');
  const palette = async (command, row) => {
    await page.keyboard.press('Control+Shift+P');
    await input.waitFor({ timeout: 10000 });
    await input.fill(`>${command}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: row ?? command }).first().waitFor({ timeout: 10000 });
    await page.keyboard.press('Enter');
  };
  await palette('Focus on 术语表', '术语表');
  // room for the view: the folder's own pane collapsed, the side bar wider
  const folderHeader = page.locator('.pane-header', { hasText: 'ws' }).first();
  if ((await folderHeader.getAttribute('aria-expanded')) === 'true') await folderHeader.click();
  for (const name of ['Outline', 'Timeline']) {
    const h = page.locator('.pane-header', { hasText: name }).first();
    if ((await h.count()) && (await h.getAttribute('aria-expanded')) === 'true') await h.click();
  }
  const sash = page.locator('.monaco-sash.vertical').first();
  const sb = await sash.boundingBox().catch(() => null);
  if (sb) {
    await page.mouse.move(sb.x + sb.width / 2, sb.y + sb.height / 2);
    await page.mouse.down();
    await page.mouse.move(sb.x + 170, sb.y + sb.height / 2, { steps: 5 });
    await page.mouse.up();
  }
  const tree = page.locator('.pane', { hasText: '术语表' }).locator('.monaco-list-row');
  const conceptRow = tree.filter({ hasText: '批量归一化 · batch normalization' }).first();
  await conceptRow.waitFor({ timeout: 30000 }).catch(() => {});
  if (ok((await conceptRow.count()) > 0, 'the 术语表 view lists 批量归一化 · batch normalization', await tree.allInnerTexts().catch(() => []))) {
    await conceptRow.click();
    const other = tree.filter({ hasText: '批归一化' }).filter({ hasText: '许用' }).first();
    await other.waitFor({ timeout: 10000 }).catch(() => {});
    if (await other.count()) await other.click();
    await page.waitForTimeout(800);
    const rows = await tree.allInnerTexts();
    ok(rows.some((r) => /批归一化[\s\S]*×2/.test(r)) && rows.some((r) => /chapter\.md/.test(r)), 'renderings with counts and their files', rows);
    await page.screenshot({ path: shot.replace(/hover\.png$/, 'termview.png') });
    console.log(`screenshot: ${shot.replace(/hover\.png$/, 'termview.png')}`);
  }

  // the status bar opens the menu
  const statusItem = page.locator('.statusbar-item', { hasText: '术语' }).first();
  await statusItem.click();
  const menuRows = page.locator('.quick-input-list .monaco-list-row');
  await menuRows.first().waitFor({ timeout: 10000 }).catch(() => {});
  const menu = await menuRows.allInnerTexts();
  ok(['Show Findings', 'Toggle Rules', 'Look Up a Term', 'Open the Server Log'].every((m) => menu.some((r) => r.includes(m))),
    'clicking the status bar opens the menu: findings, rules, look-up, log', menu);
  await page.keyboard.press('Escape');

  // the look-up command from the palette: search the base in English, insert the Chinese rendering
  const lines = page.locator('.monaco-editor .view-lines').first();
  const count = async () => ((await lines.innerText()).match(/激活函数/g) || []).length;
  const before = await count();
  await lines.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Control+Shift+P');
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
