import { serve, type ServerType } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { createApp } from './api/app.js';
import { openDatabase, type Database } from './db.js';
import { demoRoutes } from './demo/routes.js';
import type { Env } from './env.js';
import { PasswordPool } from './host/password-pool.js';
import { startWorker, type Worker } from './jobs/worker.js';

const distFolder = fileURLToPath(new URL('../dist/', import.meta.url));
const contentTypes: Record<string, string> = { js: 'text/javascript; charset=utf-8', map: 'application/json' };

export interface RunningServer {
  url: string;
  database: Database;
  worker: Worker;
  close(): Promise<void>;
}

/** Serves the built components bundle that host pages load with one script tag. */
function bundleRoutes() {
  const app = new Hono();
  app.get('/intake/:file{[a-z0-9.-]+\\.(js|map)}', async (c) => {
    const file = c.req.param('file');
    try {
      const body = await readFile(`${distFolder}${file}`);
      return c.body(body, 200, { 'content-type': contentTypes[file.split('.').pop()!] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    } catch {
      return c.text(`dist/${file} is missing: run \`npm run build\` first.`, 404);
    }
  });
  return app;
}

/**
 * One process: the API, the components bundle, the demo host pages (when `demo` is set) and a job
 * worker. More processes against the same database add workers.
 */
export async function startServer(env: Env, options: { demo?: boolean; port?: number; log?: (msg: string) => void } = {}): Promise<RunningServer> {
  const log = options.log ?? ((msg: string) => console.error(msg));
  const secret = env.INTAKE_SECRET ?? (options.demo ? randomBytes(24).toString('hex') : undefined);
  if (!secret) throw new Error('INTAKE_SECRET is not set: the host page signs tokens with it.');
  const database = openDatabase(env.DATABASE_URL);
  const passwords = new PasswordPool({ scheme: env.INTAKE_HASH_SCHEME, rounds: env.INTAKE_HASH_ROUNDS }, env.INTAKE_HASH_THREADS);
  const services = { database, env, passwords, secret };
  const worker = startWorker(services, { log });

  const root = new Hono();
  root.route('/', bundleRoutes());
  if (options.demo) root.route('/', demoRoutes({ pool: database.pool, secret }));
  root.route('/', createApp({ services, log }));

  const port = options.port ?? env.PORT;
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: root.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  return {
    url,
    database,
    worker,
    async close() {
      await worker.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await passwords.close();
      await database.close();
    },
  };
}
