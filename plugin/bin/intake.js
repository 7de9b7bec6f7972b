#!/usr/bin/env node
// The `intake` command. Runs the bundled build (dist/cli, made by `npm run build` and by `npm install`)
// when it is at least as new as every source file; otherwise the TypeScript sources through tsx. The
// bundle starts in a fraction of the time and needs about 100 MB less memory.
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';

// V8 lets a heap grow far past what is live before it collects; on a machine with 24 GB that means
// hundreds of megabytes of garbage during a million-row import. The command runs in a worker thread
// with a bounded old generation (INTAKE_MAX_HEAP_MB, default 200), where it collects sooner at no loss
// of speed: one process, started once (a second process cost 0.1 s, and outlived a kill -9 of the first);
// all but the import of a small CSV, which needs no bound (below).
// The young generation (V8's default 48 MB) is sized to the work: a server stays up between imports and
// keeps 24 MB (16 MB less resident all the time, at no cost measured on a million-row upload, preview
// and commit); a workbook's reader makes many more short-lived objects than a CSV's (exceljs' SAX
// events), and with 96 MB a 100k-row XLSX import took some 15% less CPU (25 MB more resident); a large
// workbook (from 8 MB: a million rows is 40 MB) holds its shared strings while it is read and peaks as
// the last of them are parsed: with 16 MB a million rows peaked at 188 MB, under the 200 MB that V8's
// default (203 MB) and 96 MB (some 50 MB more) exceed, for some 10% more time. A CSV import keeps V8's
// default: it ran some 10% longer with 24 and no faster with 72.
if (isMainThread) {
  tuneMalloc();
  keepWorkingWhenNobodyReads();
}
const heapFlagged = process.execArgv.some((arg) => arg.startsWith('--max-old-space-size'));
// `intake import <file> …`: the file as the usage writes it.
const importedFile = process.argv[2] === 'import' && !process.argv[3]?.startsWith('-') ? process.argv[3] : undefined;
const workbook = process.argv[2] === 'import' ? process.argv.slice(3).find((arg) => /\.xlsx$/i.test(arg)) : undefined;
// A CSV under 16 MB (some 300,000 rows of five columns) is imported in this thread: its heap stays far
// below any bound with the growth below (a 100k-row import peaked at some 145 MB either way), and a
// thread of its own cost 0.06 to 0.1 s before the first SQL (a new isolate and Node's start in it), a
// quarter of the command's start. A bound set in the environment (INTAKE_MAX_HEAP_MB) is kept.
const smallCsv = importedFile !== undefined && !workbook && !process.env.INTAKE_MAX_HEAP_MB && sizeOf(importedFile) < 16 * 1024 * 1024;
if (isMainThread && !heapFlagged && !smallCsv) {
  const serving = ['serve', 'start'].includes(process.argv[2] ?? '');
  // The server collects its garbage between jobs (server/jobs/worker.ts): V8's `gc` for its thread.
  if (serving) v8.setFlagsFromString('--expose-gc');
  const youngMb = serving ? 24 : workbook ? (sizeOf(workbook) < 8 * 1024 * 1024 ? 96 : 16) : null;
  const worker = new Worker(new URL(import.meta.url), {
    argv: process.argv.slice(2),
    resourceLimits: { maxOldGenerationSizeMb: Number(process.env.INTAKE_MAX_HEAP_MB) || 200, ...(youngMb ? { maxYoungGenerationSizeMb: youngMb } : {}) },
  });
  // Signals reach only this thread: the command decides what they mean (the server closes cleanly;
  // anything else ends as if killed by it).
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => worker.postMessage({ signal }));
  worker.on('error', (error) => {
    process.stderr.write(`intake: ${error.stack ?? error.message}\n`);
    process.exitCode = 1;
  });
  // Not process.exit(): what the command wrote to a pipe is still on its way out.
  worker.on('exit', (code) => (process.exitCode ||= code));
} else {
  if (smallCsv && !heapFlagged) growHeapSooner();
  if (parentPort) {
    parentPort.on('message', (message) => {
      if (message?.signal && process.listenerCount(message.signal) > 0) process.emit(message.signal, message.signal);
      else if (message?.signal) process.exit(message.signal === 'SIGINT' ? 130 : 143);
    });
    parentPort.unref();
  }
  await run();
}

/**
 * Two malloc arenas for the whole process, set before any other thread starts (server/native/memory.c:
 * a million-row import held some 80 MB more in idle arenas), unless the environment's MALLOC_ARENA_MAX
 * says otherwise; and once a second, free memory inside the arenas is handed back to the system (a
 * million rows of twelve columns through the server peaked at 189 MB instead of 209, equally fast; this
 * thread is idle while the command works in its own). Without the addon, glibc's defaults stand.
 */
function tuneMalloc() {
  try {
    const memory = createRequire(import.meta.url)('../../server/native/build/Release/memory.node');
    if (!process.env.MALLOC_ARENA_MAX) memory.limitArenas(2);
    setInterval(() => memory.trim(), 1000).unref();
  } catch {
    // not built (no compiler at install): glibc's default
  }
}

/**
 * An import goes on when what reads its output goes away (`intake import … | head`, a log reader that
 * stopped): a write to the closed pipe fails with EPIPE, which unhandled ended the command at once and
 * left its import half-written until resumed. What it writes then is lost; the import is not. The command's own thread writes through this thread's streams, so this covers both.
 */
function keepWorkingWhenNobodyReads() {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}

/**
 * Under a 200 MB old generation V8 grows the heap by only 1.3× what a full collection leaves alive (its
 * factor for small heaps), so a command that keeps a batch or two alive across its writes ran a full
 * collection every quarter second: a 100k-row import spent a fifth of its CPU collecting. Growing by
 * 1.75× cut the import's CPU by some 15% and its time by 3-8% (fresh and re-import, measured
 * interleaved). Only for a CSV file under 16 MB (some 300,000 rows of five columns), whose live heap stays
 * far from the budget: a million rows peaked at 180 MB instead of 163 so, too close to 200 MB for files of
 * more columns; a workbook's reader, with its larger young generation, went past 200 MB at 100,000 rows.
 * V8 flags are the process's: set here, before the command's thread starts.
 */
function growHeapSooner() {
  if (process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) return;
  v8.setFlagsFromString('--heap-growing-percent=75');
}

/** A file's size in bytes, or 0 when it cannot be read (the command itself then says why). */
function sizeOf(path) {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'build') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : /\.(ts|js)$/.test(entry.name) ? statSync(path).mtimeMs : 0);
  }
  return newest;
}

async function run() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const bundled = join(root, 'dist', 'cli', 'cli.js');
  const bundleIsFresh = () => {
    try {
      const built = statSync(bundled).mtimeMs;
      return ['server', 'db', 'plugin'].every((dir) => newestSource(join(root, dir)) <= built);
    } catch {
      return false;
    }
  };
  let main;
  if (bundleIsFresh()) {
    ({ main } = await import(bundled));
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    ({ main } = await import('../cli.ts'));
  }
  // `serve` and `start` never resolve; everything else exits with its code.
  process.exit(await main(process.argv.slice(2)));
}
