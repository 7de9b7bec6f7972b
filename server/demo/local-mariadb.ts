import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import mysql from 'mysql2/promise';

async function reachable(url: string): Promise<boolean> {
  const server = new URL(url);
  server.pathname = '/';
  try {
    const conn = await mysql.createConnection({ uri: server.toString(), connectTimeout: 2000 });
    await conn.end();
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    // A server that answers with an auth error is there; only "nobody listens" starts a private one.
    return !(code === 'ECONNREFUSED' || code === 'ETIMEDOUT' || code === 'ENOTFOUND');
  }
}

const which = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();

/**
 * Makes sure a MariaDB answers at DATABASE_URL. When nothing listens on a local address and
 * `mariadbd` is installed, starts a private server with its data under `.data/`.
 */
export async function ensureMariaDb(url: string, log: (msg: string) => void): Promise<void> {
  if (await reachable(url)) return;
  const { hostname, port } = new URL(url);
  const mariadbd = which('mariadbd') || which('mysqld');
  if (!['127.0.0.1', 'localhost'].includes(hostname) || !mariadbd) {
    throw new Error(
      `No database server answers at ${hostname}:${port || 3306}. Install MariaDB (Debian: apt-get install -y mariadb-server) or set DATABASE_URL to a reachable server.`,
    );
  }
  const dataDir = resolve('.data/mariadb');
  if (!existsSync(dataDir)) {
    mkdirSync(dataDir, { recursive: true });
    log(`Initialising a private MariaDB in ${dataDir} …`);
    const init = spawnSync(which('mariadb-install-db') || which('mysql_install_db'), [`--datadir=${dataDir}`, '--auth-root-authentication-method=normal', '--user=root'], { stdio: 'inherit' });
    if (init.status !== 0) throw new Error('mariadb-install-db failed; see the output above.');
  }
  log(`Starting a private MariaDB on port ${port || 3306} …`);
  const child = spawn(mariadbd, [`--datadir=${dataDir}`, `--port=${port || 3306}`, '--bind-address=127.0.0.1', `--socket=${resolve('.data/mariadb.sock')}`, '--user=root', `--pid-file=${resolve('.data/mariadb.pid')}`], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  for (let i = 0; i < 60; i++) {
    if (await reachable(url)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('The private MariaDB did not start within 30 seconds; look at .data/mariadb/*.err.');
}
