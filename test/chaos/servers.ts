/** `intake serve` processes for the chaos runs, and a small client of their API. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { ImportSummary } from '../../server/contract/types.js';

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

export interface RunningServe {
  url: string;
  child: ChildProcess;
}

/** An `intake serve` process (the API and a job worker), once it answers. */
export async function serve(bin: string, env: NodeJS.ProcessEnv, token: string): Promise<RunningServe> {
  const port = await freePort();
  const child = spawn(process.execPath, [bin, 'serve', '--port', String(port)], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    const up = await fetch(`${url}/api/imports`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.ok, () => false);
    if (up) return { url, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('intake serve never answered');
}

/** Calls to one server's API as one user. */
export function apiOf(token: string) {
  const call = async <T>(server: string, path: string, init: RequestInit = {}) => {
    const response = await fetch(`${server}/api${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return {
    call,
    /** Waits until the import reaches one of these statuses. */
    async until(server: string, id: string, statuses: string[]): Promise<ImportSummary> {
      for (;;) {
        const summary = await call<ImportSummary>(server, `/imports/${id}`);
        if (statuses.includes(summary.status)) return summary;
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    /** Uploads a CSV and previews it with these settings; the import's id once previewed. */
    async uploadAndPreview(server: string, name: string, content: string, settings: unknown): Promise<string> {
      const form = new FormData();
      form.append('file', new File([content], name, { type: 'text/csv' }));
      const uploaded = await call<ImportSummary>(server, '/imports', { method: 'POST', body: form });
      await call(server, `/imports/${uploaded.id}/preview`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ settings }) });
      const previewed = await this.until(server, uploaded.id, ['previewed', 'failed']);
      if (previewed.status !== 'previewed') throw new Error(`the preview of ${name} failed: ${JSON.stringify(previewed.error)}`);
      return uploaded.id;
    },
  };
}
