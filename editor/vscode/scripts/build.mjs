// Bundle the extension (and with --test the mocha suites) with esbuild; copy the JSON Schemas into schemas/ and the
// repository's LICENSE. With --production (vsce's vscode:prepublish) or --wheel also put the server's wheel into server/: the
// file named by NNTERM_WHEEL (scripts/dist passes the wheel it has just built), else one built from this checkout
// with `python3 -m pip wheel` (PYTHON= picks the interpreter).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(here, '..', '..');
const production = process.argv.includes('--production');
const test = process.argv.includes('--test');
const wheel = production || process.argv.includes('--wheel');

mkdirSync(join(here, 'schemas'), { recursive: true });
for (const name of ['config.schema.json', 'terms.schema.json']) {
  copyFileSync(join(repo, 'data', 'schema', name), join(here, 'schemas', name));
}

copyFileSync(join(repo, 'LICENSE'), join(here, 'LICENSE'));

if (wheel) {
  const dir = join(here, 'server');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  let file = process.env.NNTERM_WHEEL && resolve(process.env.NNTERM_WHEEL);
  if (!file) {
    const out = mkdtempSync(join(tmpdir(), 'nnterm-wheel-'));
    const python = process.env.PYTHON || (process.platform === 'win32' ? 'python' : 'python3');
    console.log(`build.mjs: building the server's wheel (${python} -m pip wheel --no-deps ${repo})`);
    const r = spawnSync(python, ['-m', 'pip', 'wheel', '--no-deps', '--quiet', '--wheel-dir', out, repo], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`building the wheel failed (exit ${r.status}); set NNTERM_WHEEL to a built wheel`);
    file = join(out, readdirSync(out).find((f) => /^nnterm_ls-.*\.whl$/.test(f)));
  }
  if (!/^nnterm_ls-.*\.whl$/.test(basename(file))) throw new Error(`NNTERM_WHEEL: ${file} is not an nnterm_ls wheel`);
  copyFileSync(file, join(dir, basename(file)));
  console.log(`build.mjs: bundled ${basename(file)} from ${file}`);
}

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node18', external: ['vscode'], logLevel: 'warning' };
await build({
  ...common,
  entryPoints: [join(here, 'src', 'extension.ts')],
  outfile: join(here, 'dist', 'extension.js'),
  minify: production,
  sourcemap: !production,
});
if (test) {
  await build({
    ...common,
    entryPoints: [join(here, 'test', 'suite', 'index.ts')],
    outfile: join(here, 'dist', 'test', 'index.js'),
    external: ['vscode', 'mocha'],
    sourcemap: true,
  });
}
