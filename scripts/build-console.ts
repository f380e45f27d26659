// Builds the web console (`console/`) into `dist/console/`, which the API serves at `/console/`:
// one JavaScript and one CSS bundle named by their content hash, every library inside (no CDN),
// and index.html pointing at them. Prints each file's size, raw and gzipped.
//   npx tsx scripts/build-console.ts [--out dir]
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { projectPath } from '../core/paths.js';

export interface ConsoleBuild {
  dir: string;
  /** Each file written, relative to `dir`, with its size in bytes, raw and gzipped. */
  files: { path: string; bytes: number; gzipBytes: number }[];
}

export interface BuildConsoleOptions {
  /** Where to write. Default `dist/console`. */
  outDir?: string;
  /** Minify (default true). */
  minify?: boolean;
}

export async function buildConsole({
  outDir = projectPath('dist', 'console'),
  minify = true,
}: BuildConsoleOptions = {}): Promise<ConsoleBuild> {
  const source = projectPath('console');
  await rm(outDir, { recursive: true, force: true });
  const assets = join(outDir, 'assets');
  await mkdir(assets, { recursive: true });
  const result = await build({
    absWorkingDir: projectPath(),
    entryPoints: [join(source, 'src', 'main.tsx')],
    outdir: assets,
    entryNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome111', 'firefox115', 'safari16.4'],
    minify,
    sourcemap: 'linked',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    metafile: true,
    legalComments: 'linked',
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => projectPath(file));
  const script = outputs.find((file) => file.endsWith('.js'));
  const style = outputs.find((file) => file.endsWith('.css'));
  if (!script || !style) throw new Error('the console build produced no script or no stylesheet');
  const html = (await readFile(join(source, 'index.html'), 'utf8'))
    .replace('{{js}}', `assets/${basename(script)}`)
    .replace('{{css}}', `assets/${basename(style)}`);
  await writeFile(join(outDir, 'index.html'), html);
  await copyFile(join(source, 'favicon.svg'), join(outDir, 'favicon.svg'));

  const shipped = [join(outDir, 'index.html'), script, style, join(outDir, 'favicon.svg')];
  const files = await Promise.all(
    shipped.map(async (file) => {
      const content = await readFile(file);
      return { path: relative(outDir, file), bytes: content.length, gzipBytes: gzipSync(content).length };
    }),
  );
  return { dir: outDir, files };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--out');
  const started = Date.now();
  const { dir, files } = await buildConsole(at > 0 && process.argv[at + 1] ? { outDir: process.argv[at + 1] } : {});
  const total = files.reduce((sum, file) => ({ bytes: sum.bytes + file.bytes, gzip: sum.gzip + file.gzipBytes }), {
    bytes: 0,
    gzip: 0,
  });
  const lines = files.map(
    (file) => `  ${file.path.padEnd(32)} ${kb(file.bytes).padStart(10)} ${kb(file.gzipBytes).padStart(10)} gzip`,
  );
  process.stderr.write(
    `[console] built ${relative(process.cwd(), dir) || dir} in ${Date.now() - started} ms\n${lines.join('\n')}\n` +
      `  ${'total'.padEnd(32)} ${kb(total.bytes).padStart(10)} ${kb(total.gzip).padStart(10)} gzip\n`,
  );
}
