import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Kilobytes of a /proc status field, or 0 once the process is gone. */
function statusKb(pid: number, field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * Runs a command and reports the peak resident memory of each of its processes (the kernel's
 * high-water mark, VmHWM, read until they end), with its stdout and wall time.
 */
export function runMeasured(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; seconds: number; peakMb: number; treeMb: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    const peaks = new Map<number, number>();
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const timer = setInterval(() => {
      for (const pid of [child.pid!, ...children(child.pid!)]) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, statusKb(pid, 'VmHWM')));
    }, 50);
    child.on('exit', (code) => {
      clearInterval(timer);
      const values = [...peaks.values()];
      resolve({ code, stdout, seconds: (Date.now() - started) / 1000, peakMb: Math.max(0, ...values) / 1024, treeMb: values.reduce((a, b) => a + b, 0) / 1024 });
    });
  });
}
