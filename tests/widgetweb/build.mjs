// Bundle the widget web's React, Vue and web-component pages with esbuild (from npm), at
// setup time: `npm ci && npm run build` (or `make widgetweb`). Every file in src/bundles/
// becomes build/<name>.js (and build/<name>.css when it imports styles). The output is
// never committed.
import {readdirSync, writeFileSync, mkdirSync, rmSync} from 'node:fs';
import {basename, extname, join} from 'node:path';
import * as esbuild from 'esbuild';

const here = new URL('.', import.meta.url).pathname;
const src = join(here, 'src', 'bundles');
const out = join(here, 'build');
const entries = readdirSync(src).filter((f) => /\.(jsx?|mjs)$/.test(f)).sort();
rmSync(out, {recursive: true, force: true});
mkdirSync(out, {recursive: true});
const result = await esbuild.build({
  entryPoints: entries.map((f) => join(src, f)),
  bundle: true,
  minify: true,
  outdir: out,
  format: 'esm',
  splitting: false,
  target: 'chrome110',
  jsx: 'automatic',
  // Vue's and Vuetify's build flags, as their bundler plug-ins would set them.
  define: {'process.env.NODE_ENV': '"production"', 'process.env.VITE_LOGGER_ENABLED': 'undefined',
           '__VUE_OPTIONS_API__': 'true', '__VUE_PROD_DEVTOOLS__': 'false',
           '__VUE_PROD_HYDRATION_MISMATCH_DETAILS__': 'false'},
  loader: {'.woff2': 'file', '.woff': 'file', '.ttf': 'file', '.eot': 'file', '.png': 'file',
           '.svg': 'file', '.gif': 'file'},
  logLevel: 'warning',
  metafile: true,
});
const built = entries.map((f) => basename(f, extname(f)));
writeFileSync(join(out, 'built.json'), JSON.stringify({esbuild: esbuild.version, built}, null, 1));
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`built ${built.length} bundles (${(bytes / 1e6).toFixed(1)} MB) with esbuild ${esbuild.version}`);
