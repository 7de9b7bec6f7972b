import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where a workbook's rows wait between its reads: a private folder in the system's temporary folder. */
const spoolPrefix = 'intake-xlsx-';

export const makeSpoolDir = (): Promise<string> => mkdtemp(join(tmpdir(), spoolPrefix));

/** A day: far longer than any read of a workbook the limits allow. */
const abandonedAfterMs = 24 * 60 * 60 * 1000;

/**
 * Removes the spool folders of reads whose process died without its clean-up (a kill -9): sealed under
 * a key that died with the process they are unreadable, but they take room. Returns how many went.
 */
export async function removeAbandonedSpools(now = Date.now()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(tmpdir())) {
    if (!name.startsWith(spoolPrefix)) continue;
    const path = join(tmpdir(), name);
    try {
      if (now - (await stat(path)).mtimeMs < abandonedAfterMs) continue;
      await rm(path, { recursive: true, force: true });
      removed++;
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
  return removed;
}
