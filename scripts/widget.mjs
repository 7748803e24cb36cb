// Bundle the reader's widget (src/townhall/web/widget/, ES modules) into the one classic script
// publishers embed, src/townhall/web/static/embed.js. The output is committed, so publishers and
// the server need no build step; `--check` exits 1 when the committed file is not what these
// sources build to (tests/unit/test_widget_bundle.py runs it).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = `${ROOT}src/townhall/web/static/embed.js`;
const CATALOGUES = `${ROOT}src/townhall/i18n/widget/`;

// Each catalogue's content hash goes into the bundle: the widget asks for
// /api/v1/i18n/widget/<lang>?v=<hash>, which the server lets browsers keep for a year
// (townhall.i18n.version computes the same hash).
const versions = Object.fromEntries(readdirSync(CATALOGUES).filter((f) => f.endsWith('.json')).sort()
  .map((f) => [f.slice(0, -5), createHash('sha256').update(readFileSync(CATALOGUES + f)).digest('hex').slice(0, 12)]));

// What the widget needs of each shipped language (code, text direction, formatting locale);
// names and plural categories stay out of the bundle.
const languages = JSON.parse(readFileSync(`${ROOT}src/townhall/i18n/languages.json`, 'utf8'))
  .map(({ code, dir, locale }) => ({ code, dir, locale }));

const result = await build({
  entryPoints: [`${ROOT}src/townhall/web/widget/element.js`],
  bundle: true,
  format: 'iife',
  minify: true,
  target: ['es2020'],
  legalComments: 'none',
  define: { __CATALOGUE_VERSIONS__: JSON.stringify(versions), __LANGUAGES__: JSON.stringify(languages) },
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
