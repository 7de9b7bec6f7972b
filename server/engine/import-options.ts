/** What an import is run with and what it returns: the engine's interface to its callers (the command, the worker, the routes). */
import type { CellFixes, ColumnMapping, Counts, DetectedFormat, Progress, Settings, StructureChanges } from '../contract/types.js';
import type { ByteSource } from '../core/read/table.js';
import type { Scope } from '../core/scope.js';
import type { Database } from '../host/database.js';
import type { PasswordPool } from '../host/hashing/password-pool.js';
import type { Notifications } from '../mail/notifications.js';
import type { FileCipher } from '../store/file-cipher.js';
import type { Env } from './env.js';

export interface EngineServices {
  database: Database;
  env: Env;
  passwords: PasswordPool;
  /** Present when the configuration has a key for the outbox: only then can anyone be told anything. */
  notifications?: Notifications;
  /** Seals uploads waiting in the database (a server always has one; the CLI reads files from disk). */
  files?: FileCipher;
}

/** What a server's routes and worker need: uploads wait in the database, sealed. */
export type ServerServices = EngineServices & { files: FileCipher };

/** Who runs the import: their id (logged as modifier) and where they may import. */
export interface ImportActor {
  id: number;
  scope: Scope;
}

export interface RunOptions {
  importId: number;
  bytes: ByteSource;
  settings: Settings;
  mode: 'preview' | 'commit';
  actor: ImportActor;
  /** For the report mail. */
  fileName?: string;
  /** The report mail's language, when the caller chose one (the command's --lang); else its runner's own. */
  reportLang?: string;
  onProgress?: (progress: Progress) => void | Promise<void>;
  /**
   * Rows per batch (default 1000), or how many for a file of so many columns (the command's: what a batch
   * holds in memory grows with its cells); tests make them small to put many batches in flight at once.
   */
  batchRows?: number | ((columns: number) => number);
  /** Cells the admin corrected in the preview, laid over the file's. */
  fixes?: CellFixes | undefined;
  /**
   * Which rows' outcomes are stored: `every` row (what a preview pages and searches through), or the
   * `notable` ones worth looking at again (errors, skips, updates, warnings). By default a preview keeps
   * every row and a commit the notable ones.
   */
  keepRows?: 'every' | 'notable';
}

export interface RunResult {
  format: DetectedFormat;
  columns: ColumnMapping[];
  counts: Counts;
  structure: StructureChanges;
}
