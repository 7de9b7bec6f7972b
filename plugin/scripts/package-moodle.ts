import { createWriteStream } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import yazl from 'yazl';

/**
 * `npm run package:moodle`: the Moodle plugin as Moodle's plugin installer takes it, one `intake/` folder
 * (unpacked into Moodle's `local/`), written to dist/local_intake.zip.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const source = join(root, 'plugin', 'moodle');
const target = join(root, 'dist', 'local_intake.zip');

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? filesUnder(join(folder, e.name)) : [join(folder, e.name)])));
  return nested.flat().sort();
}

export async function packageMoodlePlugin(output = target): Promise<string[]> {
  const files = await filesUnder(source);
  const zip = new yazl.ZipFile();
  // A fixed date keeps the zip byte-identical for the same sources. Folders get entries of their own, as
  // Moodle's plugin validator (core\\update\\validator) expects one root folder entry, `intake/`.
  const mtime = new Date('2026-01-01T00:00:00Z');
  const folders = new Set(files.flatMap((f) => relative(source, dirname(f)).split('/').filter(Boolean).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  zip.addEmptyDirectory('intake/', { mtime });
  for (const folder of [...folders].sort()) zip.addEmptyDirectory(`intake/${folder}/`, { mtime });
  for (const file of files) zip.addFile(file, `intake/${relative(source, file)}`, { mtime, mode: 0o100644 });
  zip.end();
  await mkdir(dirname(output), { recursive: true });
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.pipe(createWriteStream(output)).on('close', resolve).on('error', reject);
  });
  return files.map((f) => relative(source, f));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await packageMoodlePlugin();
  process.stdout.write(`${relative(process.cwd(), target)}: local_intake, ${files.length} files in intake/\n`);
}
