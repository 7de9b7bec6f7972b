import { createReadStream } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { hostname } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { siteScope } from '../server/core/scope.js';
import { uiLanguages, type UiLanguage } from '../server/contract/catalog.js';
// The demo host (with drizzle-kit's DDL), the server, SMTP delivery and the sweep load only for the commands
// that use them: an `intake import` starts without them.
import { undoableStatuses, type MailStatus, type Settings } from '../server/contract/types.js';
import { reportDelimiterNamed, reportDelimiters } from '../server/contract/report-delimiter.js';
import { generatesPasswords } from '../server/contract/file-defaults.js';
import { withDelimiter } from '../server/core/formats/csv-write.js';
import { mailStatus, noDownloadError, takeDownload } from '../server/mail/outbox.js';
import { settingsErrorMap, settingsIssues, settingsSchema } from '../server/engine/settings-schema.js';
import { ensureDatabase, migratePlugin, openDatabase } from '../server/host/database.js';
import type { RunResult } from '../server/engine/import-options.js';
import { runImport } from '../server/engine/run-import.js';
import { hashingOf, readEnv, type Env } from '../server/engine/env.js';
import { errorBody, isIntakeError, IntakeError } from '../server/core/errors.js';
import { PasswordPool } from '../server/host/hashing/password-pool.js';
import { loadSite, type Site } from '../server/host/read/site.js';
import { notificationsFrom, transportFrom } from '../server/engine/mail-config.js';
import { createImport, findImport, listImports, markUndoFailed, markUndone, saveUndoFollowUp, updateImport } from '../server/store/imports.js';
import { claimUndoForCommand, holdForCommand, markInterrupted, staleAfterSeconds } from '../server/store/jobs.js';
import { countsLine, problemLines, problemList, writeErrorReport } from './error-report-file.js';
import { readSettingsFile } from './settings-file.js';
import { fileProblem } from './file-problems.js';
import { nearestName } from '../server/core/edit-distance.js';
import { intakeVersion } from '../server/core/package-root.js';

const usage = `Usage: intake <command>

  import <file> [--settings <json-file>] [--dry-run] [--json] [--resume <import-id>] [--errors <csv-file>] [--lang <en|nl|sv|fi>]
        Import users from a CSV or XLSX file. Prints one JSON report on stdout; its first line on
        stderr is "importId <id>". --resume continues an interrupted or failed import of this file
        under the same id (planned again against the host: what was written stays, the rest follows).
        --errors writes the error report (each problem and skipped row with the row's own cells, to fix
        and import again); without --json the first problems are also listed on stderr. --lang: the
        language of both (default en), and of the report mail (notify.reportTo; default its runner's).
        Exit 0: the import ran (even with row errors); 1: file or settings rejected; 2: usage error.
  migrate                 Create or upgrade the plugin's own tables.
  demo-host [--reset]     Create Moodle-style host tables with a small seed in DATABASE_URL.
  serve [--port <n>] [--demo]
                          Serve the API, the components bundle and a job worker (--demo: the demo host pages).
  start                   Everything for a first look: database, migrations, demo host, demo server.
  imports [--search <text>] [--limit <n>] [--json]
                          List imports, newest first, with their status and counts (JSON): the ids to
                          resume, undo or take logins of.
  undo <import-id> [--over-later-changes] [--json]
                          Undo an import that wrote something (done, failed or interrupted) from its change
                          log, all at once. What later imports changed again of the same people keeps their
                          values unless --over-later-changes. Prints a JSON report. Exit 0: undone;
                          1: no such import, it cannot be undone now, or the undo failed (nothing changed).
  credentials <import-id> --out <csv-file> [--delimiter comma|semicolon|tab]
                          Take an import's one-time download of new logins (notify.credentials "download",
                          or logins nobody else could receive) into a new file only its owner may read,
                          its cells separated by commas unless --delimiter says otherwise.
                          Once: the logins are wiped as they are taken. Needs the key they were sealed with.
  sweep                   Apply validity now: suspend expired accounts, end their group supervision (for cron).
  token <user-id>         Print a token for an active host user (for scripts and host integrations);
                          exit 1 for an id no active user has (none, deleted or suspended).
  --version               Print Intake's version.

Environment: DATABASE_URL, INTAKE_SECRET, INTAKE_TABLE_PREFIX, PORT, … (see README).`;

class UsageError extends Error {}

/** One command's lines of the usage: its own line, and the lines indented under it. */
function usageOf(command: string): string {
  const lines = usage.split('\n');
  const first = lines.findIndex((line) => line.startsWith(`  ${command} `) || line === `  ${command}`);
  const end = lines.findIndex((line, i) => i > first && /^  \S/.test(line));
  return `Usage: intake ${lines.slice(first, end < 0 ? undefined : end).join('\n').trimStart()}`;
}

/** The commands, for "did you mean" when one is mistyped. */
const commands = ['import', 'migrate', 'demo-host', 'serve', 'start', 'credentials', 'undo', 'imports', 'sweep', 'token'];

/**
 * The command's options as Node reads them; an option it does not know is refused with the one that
 * was probably meant ("--dryrun": --dry-run), not with Node's advice about positional arguments.
 */
function parseOptions<T extends ParseArgsConfig>(config: T) {
  try {
    return parseArgs(config);
  } catch (error) {
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec((error as Error).message)?.[1];
    if (!unknown) throw error;
    const meant = nearestName(unknown.replace(/^-+/, ''), Object.keys(config.options ?? {}));
    throw new UsageError(`unknown option ${unknown}${meant ? ` (did you mean --${meant}?)` : ''}`);
  }
}
/** How long a process that stopped still holds its import: until its heartbeat has been silent this long. */
const stillBeatingFor = `${staleAfterSeconds} seconds`;
/** The commands whose answer on stdout is one JSON object, whatever happens (a usage error too). */
const answersInJson = new Set(['import', 'undo', 'imports', 'sweep', 'credentials']);
/** Commands that always answer in JSON take `--json` too, as `import` does: a script passes it to every command alike. */
const alwaysJson = { json: { type: 'boolean' } } as const;
/** Who the command acts as on the host: it acts for the site, so Moodle's log names the site's first admin. */
const commandActor = (site: Site) => [...site.adminIds][0] ?? 0;
const log = (msg: string) => process.stderr.write(`${msg}\n`);
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

async function readSettings(path: string | undefined, file: string): Promise<Settings> {
  const raw: unknown = path ? await readSettingsFile(path) : { source: 'cli' };
  const parsed = settingsSchema.safeParse(raw, { error: settingsErrorMap });
  if (!parsed.success) {
    // Each setting that is wrong, by name: "validity: dates must be dd-mm-yyyy or yyyy-mm-dd".
    const { issues, named } = settingsIssues(parsed.error);
    throw new IntakeError('invalid_settings', `The settings in ${path ?? '(defaults)'} are not valid: ${named}.`, { issues, file });
  }
  return parsed.data;
}

/** An import `--resume` may continue: a commit that failed or whose command died. */
async function resumable(pool: Parameters<typeof findImport>[0], publicId: string, dryRun: boolean) {
  if (dryRun) throw new UsageError('--resume continues an import; it cannot be a dry run');
  // Without a server's worker nobody has marked a dead command's import yet: its heartbeat's silence does it.
  await markInterrupted(pool, staleAfterSeconds);
  const record = await findImport(pool, publicId);
  if (!record) throw new UsageError(`no import ${publicId}`);
  if (!['interrupted', 'failed'].includes(record.status) || !record.settings) {
    // A command killed a moment ago still shows as running: its heartbeat has not been missed for long enough yet.
    const stillBeating = record.status === 'running' ? ` (or its command stopped less than ${stillBeatingFor} ago: it can be resumed once that has passed)` : '';
    throw new UsageError(`import ${publicId} is ${record.status}${stillBeating}: only an interrupted or failed import can be resumed`);
  }
  return record;
}

/**
 * A command runs one import in a process of its own, so it takes batches up to twice the server's: fewer
 * statements and round trips per row (a 100k fresh import of five columns some 6% faster, measured) for
 * some 10 MB more. What a batch holds grows with its cells: a million rows of twelve columns peaked at
 * 199 MB in batches of 2,000 and at 171 MB in batches of 1,000, equally fast. So about 10,000 cells a
 * batch, between the server's 1,000 rows and 2,000. (The server keeps 1,000: it reached 201 MB through
 * upload, preview and commit of a million rows with 2,000; its budget is 200 MB.)
 */
const commandBatchRows = (columns: number) => Math.min(2000, Math.max(1000, Math.round(10_000 / Math.max(columns, 1) / 100) * 100));

/** Rows with problems the JSON report lists (`problems`), the first in file order; `--errors` writes them all. */
const reportedProblemRows = 100;
/** Problems listed on stderr without --json (each of those rows has one at least, so they come from the same rows). */
const listedProblems = 20;

function report(result: RunResult, importId: string, dryRun: boolean) {
  return {
    importId,
    dryRun,
    ...result.counts,
    format: result.format,
    columns: result.columns.map((c) => ({ header: c.header, field: c.field, ...(c.warning ? { warning: c.warning } : {}) })),
    notImported: result.columns.filter((c) => c.field === null && c.header !== '').map((c) => c.header),
    ...result.structure,
  };
}

async function importCommand(env: Env, args: string[]): Promise<number> {
  const { values, positionals } = parseOptions({
    args,
    allowPositionals: true,
    options: {
      settings: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      resume: { type: 'string' },
      errors: { type: 'string' },
      lang: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('import needs exactly one file');
  const file = positionals[0]!;
  const dryRun = values['dry-run'] ?? false;
  const found = await stat(file).catch(() => null);
  if (!found) throw new UsageError(`no such file: ${file}`);
  // A folder (a slip of the shell's completion) is named as one, not read until the system refuses it.
  if (!found.isFile()) throw new UsageError(`${file} is ${found.isDirectory() ? 'a folder' : 'not a regular file'}: import needs the CSV or XLSX file itself`);
  if (values.lang !== undefined && !(uiLanguages as readonly string[]).includes(values.lang)) throw new UsageError(`--lang must be one of ${uiLanguages.join(', ')}`);
  const lang = (values.lang ?? 'en') as UiLanguage;
  // A report that cannot be written is found out before anything is imported, not after; one that would
  // overwrite the file being imported or its settings (a slip of the shell: `--errors list.csv`) is refused
  // before either is touched.
  if (values.errors) {
    const target = await stat(values.errors).catch(() => null);
    for (const [given, what] of [[file, 'the file being imported'], [values.settings, 'the settings file']] as const) {
      const other = given === undefined ? null : await stat(given).catch(() => null);
      if (target && other && target.dev === other.dev && target.ino === other.ino) {
        throw new UsageError(`--errors ${values.errors} is ${what}: the error report would overwrite it; name another file`);
      }
    }
    try {
      // Opened to append: nothing of a file already there is lost if the import is refused.
      await (await open(values.errors, 'a')).close();
    } catch (error) {
      throw new UsageError(`cannot write the error report to ${values.errors}: ${fileProblem(error, 'write')}`);
    }
  }
  const database = openDatabase(env.DATABASE_URL);
  const passwords = new PasswordPool(hashingOf(env), env.INTAKE_HASH_THREADS);
  const notifications = notificationsFrom(env, env.INTAKE_SECRET, `http://127.0.0.1:${env.PORT}`);
  try {
    // Intake's own tables are brought up to date first (quick when they are): an import never fails
    // for a forgotten `intake migrate`.
    await migratePlugin(database.db);
    const resumed = values.resume ? await resumable(database.pool, values.resume, dryRun) : null;
    const settings = resumed && !values.settings ? resumed.settings! : await readSettings(values.settings, file);
    const site = await loadSite(database.db);
    const actorId = resumed?.createdBy ?? commandActor(site);
    const record = resumed ?? (await createImport(database.pool, basename(file), actorId));
    // First, so a script can resume (or undo) what it started even if this process dies.
    log(`importId ${record.publicId}`);
    await updateImport(database.pool, record.id, { status: dryRun ? 'previewing' : 'running', source: settings.source, settings, started: true, error: null });
    const hold = await holdForCommand(database.pool, record.id, `${hostname()}:${process.pid}`);
    try {
      const result = await runImport(
        { database, env, passwords, notifications },
        {
          importId: record.id,
          fileName: basename(file),
          ...(values.lang ? { reportLang: lang } : {}),
          bytes: () => createReadStream(file),
          settings,
          mode: dryRun ? 'preview' : 'commit',
          // Nothing pages through a command's dry run: it keeps what a commit keeps (errors, skips,
          // updates, warnings), not a stored line for each of a hundred thousand plain new accounts.
          keepRows: 'notable',
          batchRows: commandBatchRows,
          actor: { id: actorId, scope: siteScope },
          onProgress: (p) => {
            if (p.phase === 'done' || p.done % 50_000 === 0) log(`${p.phase}: ${p.done}/${p.total}`);
          },
        },
      );
      await updateImport(database.pool, record.id, { status: dryRun ? 'previewed' : 'done', counts: result.counts, structure: result.structure, finished: !dryRun });
      // With an SMTP server configured, what this import queued goes out now; what fails waits for a worker.
      const transport = transportFrom(env, database.db);
      if (!dryRun && transport && notifications) await (await import('../server/mail/deliver.js')).deliverDue(database.pool, notifications.sealer, transport, `cli-${process.pid}`, 10_000);
      if (values.errors) {
        await writeErrorReport(env, database.pool, record.id, { file, options: settings.file ?? {}, columns: result.columns, format: result.format }, values.errors, lang);
      }
      // What this import queued, and what of it went out now: nobody should have to guess whether people were told.
      const mail = dryRun ? null : await mailStatus(database.pool, record.id);
      const problems = await problemList(database.pool, record.id, lang, reportedProblemRows, result.format);
      print({ ...report(result, record.publicId, dryRun), problems, ...(mail ? { mail } : {}), ...(values.errors ? { errorReport: values.errors } : {}) });
      for (const line of mailNotes(settings, result, mail, record.publicId, Boolean(transport))) log(`note: ${line}`);
      if (!values.json) for (const line of problemLines(problems, listedProblems, lang)) log(line);
      if (!values.json) log(countsLine(result.counts, lang, result.structure.joinedRows ?? 0));
      // Always said (it is the report's `format.otherDataSheets` too): a sheet of teachers left out is not an import of them.
      const { format } = result;
      if (format.type === 'xlsx' && format.sheetsRead) {
        const each = format.sheetColumn ? `each row's sheet name is its ${format.sheetColumn} (the column "${format.sheetColumn}")` : 'each row is named with its sheet';
        log(`note: the sheets ${format.sheetsRead.map((name) => `"${name}"`).join(', ')} hold the first one’s columns (or some of them) and were read together; ${each}`);
      }
      if (format.type === 'xlsx' && format.otherDataSheets?.length) {
        const read = format.sheetsRead ? 'other sheets hold data in other columns' : `only the sheet "${format.sheet}" was read; other sheets hold data too`;
        log(`note: ${read}: ${format.otherDataSheets.join(', ')} (import each in a run of its own, with "file": { "sheet": "<name>" } in the settings)`);
      }
      for (const column of result.columns.filter((c) => c.warning === 'names_nobody')) {
        log(`note: the column "${column.header}" was not imported as supervisors: its first values (${column.sample.join(', ')}) are no account on this site; to link them anyway, map it ("mapping": { ${JSON.stringify(column.header)}: "supervisor" }): accounts this file makes are linked too`);
      }
      if (result.structure.supervisorsUnanswered) {
        log(`note: ${result.structure.supervisorsUnanswered.map((s) => `"${s}"`).join(', ')} ${dryRun ? 'would not be' : 'were not'} linked as supervisors: the file was to make their accounts, and their rows were refused (or made two); the rows naming them ${dryRun ? 'would be' : 'were'} imported without them`);
      }
      // Also the report's `ambiguousNodes`: a second school of a name is easily missed in a list of new nodes.
      for (const { name, places } of result.structure.ambiguousNodes ?? []) {
        log(`note: "${name}" ${dryRun ? 'would be' : 'was'} made at the top level: the site has several categories of that name (${places.join('; ')}); to import into one of them, name the node above it in the settings ("hierarchy": { "top": "<name>" })`);
      }
      return 0;
    } catch (error) {
      if (isIntakeError(error)) await updateImport(database.pool, record.id, { status: 'failed', error: errorBody(error, 'cli'), finished: true });
      throw error;
    } finally {
      await hold.stop();
    }
  } catch (error) {
    if (!isIntakeError(error)) throw error;
    print({ error: { code: error.code, message: error.message, params: error.params } });
    log(`rejected: ${error.message}`);
    return 1;
  } finally {
    await passwords.close();
    await database.close();
  }
}

/**
 * Said on stderr after an import: logins nobody gets (generated passwords told to no one: the accounts
 * open only through a password reset), logins waiting in the download, mail waiting for a worker.
 */
function mailNotes(settings: Settings, result: RunResult, mail: MailStatus | null, importId: string, canSend: boolean): string[] {
  if (!mail) return [];
  const chosen = (setting: string) => result.structure.defaultsChosen?.find((c) => c.setting === setting)?.value;
  const auth = chosen('auth') ?? settings.auth;
  // The file's passwords where the settings left them to the file (chosen), else what the settings say.
  const generating = chosen('password') ? chosen('password') === 'generate' : generatesPasswords(settings.password);
  const someOnly = settings.password.mode === 'file' && !chosen('password');
  const notes: string[] = [];
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const credentials = chosen('notify.credentials') ?? settings.notify.credentials;
  // An auth column gives rows their own method: only its manual ones got a password.
  const rowsChooseAuth = result.columns.some((c) => c.field === 'auth');
  if (result.counts.created > 0 && (auth === 'manual' || rowsChooseAuth) && generating && credentials === 'none') {
    const who = someOnly ? 'New accounts whose password cell was empty' : rowsChooseAuth ? 'New accounts whose method is manual' : count(result.counts.created, 'new account', 'new accounts');
    notes.push(
      `${who} got generated passwords that nobody is told (notify.credentials is "none"): they can log in only after a password reset. Next time choose "user", "supervisor", "download" or "invite"${
        settings.omitted?.includes('notify.credentials') ? ', or set INTAKE_SECRET: left out, the logins then wait in a one-time download' : ''
      }.`,
    );
  }
  if (mail.download) notes.push(`the new logins wait in a one-time download for whoever ran the import: \`intake credentials ${importId} --out <csv-file>\`, or Import history in the wizard.`);
  if (mail.pending > 0) notes.push(`${count(mail.pending, 'message waits', 'messages wait')} in the outbox${canSend ? ' to be retried' : ' (no SMTP_URL here)'}: a running \`intake serve\` sends them.`);
  if (mail.failed + mail.expired > 0) notes.push(`${count(mail.failed + mail.expired, 'message', 'messages')} could not be delivered: see "mail.failures".`);
  return notes;
}

/**
 * The wizard's one-time download of new logins, for who runs imports from the command line: taken for the
 * person who ran the import, written to a file made for it (never over another file, readable by its
 * owner only), opened before the logins are taken so that none is taken to be lost.
 */
async function credentialsCommand(env: Env, args: string[]): Promise<number> {
  const { values, positionals } = parseOptions({ args, allowPositionals: true, options: { out: { type: 'string' }, delimiter: { type: 'string', default: 'comma' }, ...alwaysJson } });
  if (positionals.length !== 1) throw new UsageError('credentials needs exactly one import id');
  if (!values.out) throw new UsageError('credentials needs --out <csv-file>: the logins are written there, not shown');
  const delimiter = reportDelimiterNamed(values.delimiter);
  if (delimiter === undefined) throw new UsageError(`--delimiter must be one of ${Object.keys(reportDelimiters).join(', ')}`);
  const notifications = notificationsFrom(env, env.INTAKE_SECRET, `http://127.0.0.1:${env.PORT}`);
  if (!notifications) throw new UsageError('the logins are sealed with INTAKE_SECRET (or INTAKE_OUTBOX_KEY): set the key they were sealed with');
  const database = openDatabase(env.DATABASE_URL);
  try {
    const record = await findImport(database.pool, positionals[0]!);
    if (!record) {
      print({ error: { code: 'not_found', message: `No import ${positionals[0]}.` } });
      return 1;
    }
    let file;
    try {
      file = await open(values.out, 'wx', 0o600);
    } catch (error) {
      throw new UsageError(`cannot write the logins to ${values.out}: ${fileProblem(error, 'write')}`);
    }
    let written = false;
    try {
      const taken = await takeDownload(database.pool, notifications.sealer, record.id, record.createdBy);
      if (!taken) {
        const refused = await noDownloadError(database.pool, record, record.createdBy);
        print({ error: { code: refused.code, message: refused.message, ...(Object.keys(refused.params).length > 0 ? { params: refused.params } : {}) } });
        return 1;
      }
      await file.writeFile(withDelimiter(taken.text, delimiter));
      written = true;
      print({ importId: record.publicId, written: values.out, logins: Math.max(0, taken.text.trim().split(/\r?\n/).length - 1) });
      return 0;
    } finally {
      await file.close();
      // Made for these logins: without them it goes again.
      if (!written) await rm(values.out, { force: true });
    }
  } finally {
    await database.close();
  }
}

/** The import history, as the wizard's History lists it for a site admin: everyone's, newest first. */
async function importsCommand(env: Env, args: string[]): Promise<number> {
  const { values, positionals } = parseOptions({ args, allowPositionals: true, options: { search: { type: 'string' }, limit: { type: 'string' }, ...alwaysJson } });
  if (positionals.length > 0) throw new UsageError('imports takes no file or id: --search <text> narrows the list');
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be a whole number from 1 to 1000');
  const database = openDatabase(env.DATABASE_URL);
  try {
    await migratePlugin(database.db);
    // A command that died shows as interrupted, not as running forever.
    await markInterrupted(database.pool, staleAfterSeconds);
    const { records, total } = await listImports(database.pool, null, { limit, q: values.search });
    print({
      total,
      imports: records.map((r) => ({
        importId: r.publicId,
        file: r.fileName,
        source: r.source,
        status: r.status,
        createdAt: r.createdAt.toISOString(),
        finishedAt: r.finishedAt?.toISOString() ?? null,
        counts: r.counts,
        ...(r.error ? { error: r.error } : {}),
      })),
    });
    return 0;
  } finally {
    await database.close();
  }
}

/**
 * Undo from the command line, as the wizard's Undo does: the import is taken for this command (a server's
 * worker leaves it alone while this one beats) and reversed in one transaction that also marks it undone,
 * so a command killed half-way leaves it as it was, still to undo.
 */
async function undoCommand(env: Env, args: string[]): Promise<number> {
  const { values, positionals } = parseOptions({ args, allowPositionals: true, options: { 'over-later-changes': { type: 'boolean' }, ...alwaysJson } });
  if (positionals.length !== 1) throw new UsageError('undo needs exactly one import id');
  const overLater = values['over-later-changes'] ?? false;
  const database = openDatabase(env.DATABASE_URL);
  const refuse = (code: string, message: string, params?: Record<string, unknown>) => {
    print({ error: { code, message, ...(params ? { params } : {}) } });
    log(`rejected: ${message}`);
    return 1;
  };
  try {
    await migratePlugin(database.db);
    // Without a server's worker nobody has marked a dead command's import yet: its heartbeat's silence does it.
    await markInterrupted(database.pool, staleAfterSeconds);
    const record = await findImport(database.pool, positionals[0]!);
    if (!record) return refuse('not_found', `No import ${positionals[0]}.`);
    const owner = `${hostname()}:${process.pid}`;
    const undoneBy = commandActor(await loadSite(database.db));
    if (!(await claimUndoForCommand(database.pool, record.id, owner, { overLater, by: undoneBy }, staleAfterSeconds))) {
      const now = (await findImport(database.pool, record.publicId))!;
      return refuse(
        'conflict',
        now.status === 'undoing' ? `This import is being undone by another process right now (or by one that stopped less than ${stillBeatingFor} ago: it can be undone again once that has passed).` : `Cannot undo an import that is ${now.status}: only a done, failed or interrupted import can be undone.`,
        { status: now.status, allowed: [...undoableStatuses] },
      );
    }
    const [{ undoImport }, { laterChangesTo }] = await Promise.all([import('../server/host/undo.js'), import('../server/host/read/change-log.js')]);
    const later = await laterChangesTo(database.pool, record.id);
    const hold = await holdForCommand(database.pool, record.id, owner);
    // What it is undoing, then how far it is, a tenth at a time (one transaction: none of it shows
    // on the site before the end).
    log(`undoing ${record.publicId} (${record.fileName}${record.counts ? `: ${record.counts.created} created, ${record.counts.updated} updated, ${record.counts.archived} archived` : ''})…`);
    let toldTenths = 0;
    const onProgress = (done: number, total: number) => {
      const tenths = Math.floor((done / total) * 10);
      if (tenths > toldTenths) log(`undoing: ${tenths * 10}%`);
      toldTenths = Math.max(toldTenths, tenths);
    };
    try {
      const { hostFollowUp } = await undoImport(database.pool, record.id, { overLater, runAs: undoneBy, finish: (conn) => markUndone(conn, record.id), onProgress });
      await saveUndoFollowUp(database.pool, record.id, hostFollowUp);
      // What was undone is what the import reported (null where it never finished to report it).
      print({ importId: record.publicId, status: 'undone', file: record.fileName, undid: record.counts, laterChanges: { ...later, kept: !overLater }, ...(hostFollowUp ? { hostFollowUp } : {}) });
      if (later.people > 0) {
        log(`note: ${later.imports} later import(s) changed ${later.people} of the same people since. ${overLater ? "This import's values were put back over theirs." : "What they changed stays where this undo did not need to touch it (--over-later-changes puts back this import's values)."} Accounts this import created are gone, even where a later import updated them.`);
      }
      return 0;
    } catch (error) {
      // Rolled back whole: the import is as it was, and may be undone again.
      const failed = await markUndoFailed(database.pool, record.id, error, 'cli');
      return refuse(failed.code, failed.message, failed.params);
    } finally {
      await hold.stop();
    }
  } finally {
    await database.close();
  }
}

async function prepareDatabase(env: Env, withDemoHost: boolean, reset = false): Promise<void> {
  const { ensureMariaDb } = await import('../server/demo/local-mariadb.js');
  await ensureMariaDb(env.DATABASE_URL, log);
  await ensureDatabase(env.DATABASE_URL);
  const database = openDatabase(env.DATABASE_URL);
  try {
    await migratePlugin(database.db);
    if (withDemoHost) log(`demo host: ${await (await import('../server/demo/demo-host.js')).createDemoHost(database.db, { reset })}`);
  } finally {
    await database.close();
  }
}

/**
 * A token for a host user, refused for anyone the API would refuse it for (no such user, deleted or
 * suspended: loadActor), so that a script finds out here rather than at its first request.
 */
async function tokenCommand(env: Env, args: string[]): Promise<number> {
  const given = args[0] ?? String((await import('../server/demo/demo-host.js')).demoAdmin.id);
  if (!env.INTAKE_SECRET) throw new UsageError('INTAKE_SECRET must be set to sign tokens');
  if (!/^[1-9]\d{0,17}$/.test(given)) throw new UsageError(`token needs a host user's id (a positive whole number), not "${given}"`);
  const id = Number(given);
  const database = openDatabase(env.DATABASE_URL);
  try {
    const { loadActor } = await import('../server/host/read/actor.js');
    if (!(await loadActor(database.db, database.pool, id, env.INTAKE_COORDINATOR_ROLE))) {
      log(`intake: no active host user has id ${id} (none, deleted or suspended): a token for it would be refused`);
      return 1;
    }
  } finally {
    await database.close();
  }
  const { signToken } = await import('../server/http/token.js');
  process.stdout.write(`${await signToken(env.INTAKE_SECRET, id)}\n`);
  return 0;
}

async function serveCommand(env: Env, args: string[], demo: boolean): Promise<number> {
  const { values } = parseOptions({ args, options: { port: { type: 'string' }, demo: { type: 'boolean' } } });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!/^\d{1,5}$/.test(values.port!) || port > 65535)) throw new UsageError(`--port must be a whole number from 0 to 65535, not "${values.port}"`);
  const { startServer } = await import('../server/main.js');
  const server = await startServer(env, { demo: demo || values.demo, port, log });
  log(demo || values.demo ? `Intake demo host: ${server.url}/  (admin page with the import wizard; users at ${server.url}/users)` : `Intake API: ${server.url}/api`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return new Promise<number>(() => undefined);
}

/** The database URL as it may be shown: without its password. */
function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(DATABASE_URL is not a URL)';
  }
}

/**
 * Why the database could not be used at all (missing, unreachable, refusing the login), in the server's
 * own words (found down the chain of causes, under the query builder's "Failed query: …") and what to
 * check; null for any other failure.
 */
function databaseFailure(error: unknown, url: string): string | null {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const { code, sqlMessage } = e as { code?: string; sqlMessage?: string };
    const where = `the database at ${shownUrl(url)}`;
    if (code === 'ER_BAD_DB_ERROR') return `${where} does not exist (${sqlMessage}): \`intake migrate\` creates it, or set DATABASE_URL.`;
    if (code && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'PROTOCOL_CONNECTION_LOST'].includes(code)) return `${where} cannot be reached (${e.message}): is the server running, and does DATABASE_URL name it?`;
    // Refused logins (MariaDB refuses a user who gives no password with its own code, 1698) and full
    // servers; any other error of a statement is not about the database being usable.
    if (code && ['ER_ACCESS_DENIED_ERROR', 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_CON_COUNT_ERROR', 'ER_HOST_NOT_PRIVILEGED'].includes(code)) return `${where} answered: ${sqlMessage}`;
  }
  return null;
}

/**
 * What went wrong, in the words of whatever failed first: a query builder wraps the database's own
 * answer ("Lock wait timeout exceeded") in "Failed query: <the SQL>", which alone says nothing.
 */
function innermostReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  let innermost: Error = error;
  while (innermost.cause instanceof Error) innermost = innermost.cause;
  if (innermost === error) return error.message;
  const during = error.message.split('\n')[0]!.slice(0, 200);
  return `${innermost.message} (${during})`;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  let databaseUrl = process.env.DATABASE_URL ?? '';
  try {
    if (!command || command === '--help' || command === 'help') {
      process.stdout.write(`${usage}\n`);
      return command ? 0 : 2;
    }
    // `intake import --help`: the command's own lines of the usage, not an "unknown option".
    if (command && commands.includes(command) && args.some((arg) => arg === '--help' || arg === '-h')) {
      process.stdout.write(`${usageOf(command)}\n`);
      return 0;
    }
    if (command === '--version') {
      process.stdout.write(`${intakeVersion}\n`);
      return 0;
    }
    const env = readEnv();
    databaseUrl = env.DATABASE_URL;
    switch (command) {
      case 'import':
        return await importCommand(env, args);
      case 'migrate':
        await prepareDatabase(env, false);
        log('migrations applied');
        return 0;
      case 'demo-host': {
        const { values } = parseOptions({ args, options: { reset: { type: 'boolean' } } });
        await prepareDatabase(env, true, values.reset);
        return 0;
      }
      case 'serve':
        return await serveCommand(env, args, false);
      case 'start':
        await prepareDatabase(env, true);
        return await serveCommand(env, args, true);
      case 'credentials':
        return await credentialsCommand(env, args);
      case 'undo':
        return await undoCommand(env, args);
      case 'imports':
        return await importsCommand(env, args);
      case 'sweep': {
        // Nothing to choose; a slip ("--dry-run") is refused rather than run as a sweep.
        parseOptions({ args, options: { ...alwaysJson } });
        const database = openDatabase(env.DATABASE_URL);
        try {
          print(await (await import('../server/host/sweep.js')).sweep(database.pool));
        } finally {
          await database.close();
        }
        return 0;
      }
      case 'token':
        return await tokenCommand(env, args);
      default: {
        // The nearest within two slips of the keyboard ("improt": import, "imprts": imports).
        const meant = nearestName(command, commands);
        throw new UsageError(`unknown command: ${command}${meant ? ` (did you mean ${meant}?)` : ''}`);
      }
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      // A command that answers in JSON does so even here: a script reads why it did not start.
      if (command && answersInJson.has(command)) print({ error: { code: 'invalid_request', message: (error as Error).message } });
      // The command's own usage where the command is known: the lines that say what it takes.
      log(`intake: ${(error as Error).message}\n\n${command && commands.includes(command) ? usageOf(command) : usage}`);
      return 2;
    }
    const failure = databaseFailure(error, databaseUrl);
    const reason = failure ?? innermostReason(error);
    // `import` answers with one JSON object on stdout, whatever happens: a script reads why it stopped.
    if (command === 'import') {
      print({ error: failure ? { code: 'host_unavailable', message: `The site's database cannot be used: ${failure}`, params: { reason: failure } } : { code: 'internal', message: `The import stopped: ${reason}`, params: { reason } } });
    }
    log(`intake: ${reason}`);
    return 1;
  }
}
