// Renders images/icon.png (128×128) with headless Chromium; run once by hand:
//   NNTERM_VSCODE_CACHE=../../.editor-test-cache/vscode node scripts/make-icon.mjs
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browser } from '../../../tests/editors/vscode/lib.mjs';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'images', 'icon.png');
const ctx = await browser({ width: 128, height: 128 });
const page = ctx.pages()[0] ?? (await ctx.newPage());
await page.setContent(`<html><body style="margin:0">
<div style="width:128px;height:128px;border-radius:24px;background:linear-gradient(135deg,#1f6feb,#7c3aed);
  display:flex;flex-direction:column;align-items:center;justify-content:center;color:white;font-family:'WenQuanYi Micro Hei',sans-serif">
  <div style="font-size:64px;line-height:64px;font-weight:bold">术</div>
  <div style="font-size:19px;margin-top:8px;letter-spacing:1px;font-family:monospace">nnterm</div>
</div></body></html>`);
await page.screenshot({ path: out, omitBackground: true, clip: { x: 0, y: 0, width: 128, height: 128 } });
await ctx.close();
console.log(out);
