import { serve, type ServerType } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { packageRoot } from './core/package-root.js';
import { Hono } from 'hono';
import { createApp } from './http/app.js';
import { migratePlugin, openDatabase, type Database } from './host/database.js';
import { hashingOf, type Env } from './engine/env.js';
import { PasswordPool } from './host/hashing/password-pool.js';
import { startWorker, type Worker } from './jobs/worker.js';
import { notificationsFrom, transportFrom } from './engine/mail-config.js';
import { FileCipher } from './store/file-cipher.js';
import { inviteRoutes } from './http/invite-router.js';

const distFolder = `${join(packageRoot, 'dist')}/`;
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
      // Host pages on another origin load it as a module script, which needs CORS; it is public code.
      return c.body(body, 200, { 'content-type': contentTypes[file.split('.').pop()!] ?? 'application/octet-stream', 'cache-control': 'no-cache', 'access-control-allow-origin': '*' });
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
/** The demo keeps its made-up secret under .data/, so sealed mail survives a restart. */
async function demoSecret(): Promise<string> {
  const file = resolve('.data/intake-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(24).toString('hex');
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}

export async function startServer(env: Env, options: { demo?: boolean; port?: number; pollMs?: number; log?: (msg: string) => void } = {}): Promise<RunningServer> {
  const log = options.log ?? ((msg: string) => console.error(msg));
  const secret = env.INTAKE_SECRET ?? (options.demo ? await demoSecret() : undefined);
  if (!secret) throw new Error('INTAKE_SECRET is not set: the host page signs tokens with it.');
  const port = options.port ?? env.PORT;
  const database = openDatabase(env.DATABASE_URL);
  await migratePlugin(database.db);
  const passwords = new PasswordPool(hashingOf(env), env.INTAKE_HASH_THREADS);
  // Without INTAKE_PUBLIC_URL, links point at this server; its URL is settled once it listens (below).
  const notifications = notificationsFrom(env, secret, `http://127.0.0.1:${port}`);
  const services = { database, env, passwords, secret, notifications, files: new FileCipher(secret) };
  const worker = startWorker(services, { log, transport: transportFrom(env, database.db), pollMs: options.pollMs });

  const root = new Hono();
  root.route('/', bundleRoutes());
  // The demo's pages (and the demo host's DDL, drizzle-kit among it) load only for the demo: a real
  // host's server is some 30 MB smaller without them.
  if (options.demo) root.route('/', (await import('./demo/routes.js')).demoRoutes({ pool: database.pool, secret, sealer: env.SMTP_URL ? null : (notifications?.sealer ?? null) }));
  root.route('/', inviteRoutes(services));
  root.route('/', createApp({ services, log }));

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: root.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  if (notifications && !env.INTAKE_PUBLIC_URL) notifications.publicUrl = url;
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
