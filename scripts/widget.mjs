// Bundle the reader's widget (src/townhall/web/widget/, ES modules) into the one classic script
// publishers embed, src/townhall/web/static/embed.js. The output is committed, so publishers and
// the server need no build step; `--check` exits 1 when the committed file is not what these
// sources build to (tests/unit/test_widget_bundle.py runs it).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = `${ROOT}src/townhall/web/static/embed.js`;

const result = await build({
  entryPoints: [`${ROOT}src/townhall/web/widget/element.js`],
  bundle: true,
  format: 'iife',
  minify: true,
  target: ['es2020'],
  legalComments: 'none',
  write: false,
  banner: { js: '/* townhall comment widget: built from src/townhall/web/widget/ by `make widget`. */' },
});
const built = result.outputFiles[0].text;

if (process.argv.includes('--check')) {
  let committed = '';
  try { committed = readFileSync(OUT, 'utf8'); } catch { /* missing counts as stale */ }
  if (committed !== built) {
    console.error('src/townhall/web/static/embed.js is stale: run `make widget` and commit it');
    process.exit(1);
  }
} else {
  writeFileSync(OUT, built);
}
