import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The `intake` command as a person runs it (the compiled build when it is fresh, else the sources). */
export const intakeBin = fileURLToPath(new URL('../../plugin/bin/intake.js', import.meta.url));

export interface CliRun {
  seconds: number;
  /** The JSON report on stdout. */
  report: Record<string, unknown>;
}

/** Runs `intake <args>` to its end: wall time from spawn to exit, and its JSON report. Throws on failure. */
export function runIntake(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [intakeBin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (code !== 0) reject(new Error(`intake ${args.join(' ')} exited with ${code}:\n${stderr}\n${stdout}`));
      else resolve({ seconds, report: JSON.parse(stdout) as Record<string, unknown> });
    });
  });
}

/**
 * Seconds from starting `intake import` to its first connection to the database: the command's start
 * (loading, reading the configuration and the settings) before any work. The database it is pointed at
 * is a listener here that notes the moment and hangs up; the command then fails, as it should.
 */
export async function startToFirstSql(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const listener = createServer();
  let connected: bigint | null = null;
  listener.on('connection', (socket) => {
    connected ??= process.hrtime.bigint();
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as { port: number }).port;
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, [intakeBin, ...args], { env: { ...env, DATABASE_URL: `mysql://root@127.0.0.1:${port}/intake_bench` }, stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  listener.close();
  if (connected === null) throw new Error('intake never connected to the database');
  return Number(connected - start) / 1e9;
}
