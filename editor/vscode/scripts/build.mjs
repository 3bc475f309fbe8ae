// Bundle the extension (and with --test the mocha suites) with esbuild; copy the JSON Schemas into schemas/.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(here, '..', '..');
const production = process.argv.includes('--production');
const test = process.argv.includes('--test');

mkdirSync(join(here, 'schemas'), { recursive: true });
for (const name of ['config.schema.json', 'terms.schema.json']) {
  copyFileSync(join(repo, 'data', 'schema', name), join(here, 'schemas', name));
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
