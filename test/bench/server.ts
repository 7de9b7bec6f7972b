/**
 * A file through the server as the wizard sends it: upload, preview, commit, each awaited to its end,
 * with the peak resident memory of the server process (the kernel's VmHWM, read until it stops).
 */
import { spawn } from 'node:child_process';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { signToken } from '../../server/http/token.js';
import { intakeBin } from './cli.js';

const secret = 'bench-secret-0123456789abcdef';

function peakKb(pid: number): number {
  try {
    return Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export interface ServerRun {
  seconds: { upload: number; preview: number; commit: number };
  peakMb: number;
  counts: Record<string, number>;
}

export async function throughServer(file: string, settings: unknown, env: NodeJS.ProcessEnv): Promise<ServerRun> {
  const port = await freePort();
  // Its output goes to a pipe that is read, as a service manager's would be; the last of it is kept for a
  // failure's message.
  const server = spawn(process.execPath, [intakeBin, 'serve', '--port', String(port)], { env: { ...env, INTAKE_SECRET: secret }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  server.stdout.on('data', keep);
  server.stderr.on('data', keep);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, peakKb(server.pid!))), 50);
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let tries = 0; ; tries++) {
      // Any answer will do (it asks for a token): the server is listening.
      const up = await fetch(`${base}/health`).then(() => true, () => false);
      if (up) break;
      if (tries > 100) throw new Error('the server did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const headers = { authorization: `Bearer ${await signToken(secret, 2, 3600)}` };
    const call = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${base}/api/imports${path}`, { ...init, headers: { ...headers, ...(init.headers ?? {}) } });
      const body = (await response.json()) as Record<string, unknown>;
      if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}\n${output}`);
      return body;
    };
    const until = async (id: string, status: string) => {
      for (;;) {
        const summary = await call(`/${id}`);
        if (summary.status === status) return summary;
        if (summary.status === 'failed') throw new Error(`the import failed: ${JSON.stringify(summary.error)}\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    const time = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
      const start = process.hrtime.bigint();
      const result = await work();
      return [result, Number(process.hrtime.bigint() - start) / 1e9];
    };
    const [uploaded, upload] = await time(() =>
      call(`?filename=${encodeURIComponent(basename(file))}`, {
        method: 'POST',
        body: Readable.toWeb(createReadStream(file)) as ReadableStream,
        headers: { 'content-type': file.endsWith('.xlsx') ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv', 'content-length': String(statSync(file).size) },
        duplex: 'half',
      } as RequestInit),
    );
    const id = String(uploaded.id);
    const json = { 'content-type': 'application/json' };
    const [, preview] = await time(async () => {
      await call(`/${id}/preview`, { method: 'POST', headers: json, body: JSON.stringify({ settings }) });
      return until(id, 'previewed');
    });
    const [done, commit] = await time(async () => {
      await call(`/${id}/commit`, { method: 'POST', headers: json, body: '{}' });
      return until(id, 'done');
    });
    return { seconds: { upload, preview, commit }, peakMb: peak / 1024, counts: done.counts as Record<string, number> };
  } finally {
    clearInterval(sampler);
    peak = Math.max(peak, peakKb(server.pid!));
    server.kill('SIGTERM');
    await new Promise((resolve) => server.on('exit', resolve));
  }
}
