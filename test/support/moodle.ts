import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { packageRoot } from '../../server/core/package-root.js';

/**
 * A real Moodle 4.1 site for tests, from MOODLE_SRC (default ../shared/hosts/moodle beside the repo): one
 * code tree with local_intake installed through Moodle's own upgrade, and a dump of that fresh site from
 * which each test file gets a database and a moodledata of its own in seconds.
 */
export const moodleSource = resolve(packageRoot, process.env.MOODLE_SRC ?? '../shared/hosts/moodle');
export const moodleRoot = process.env.MOODLE_TEST_ROOT ?? '/tmp/intake-moodle-test';
export const moodleDir = join(moodleRoot, 'moodle');
const baseData = join(moodleRoot, 'data');
const baseDb = 'intake_moodle_base';
/** The fresh site with the plugin installed: made by the global setup, loaded by every test file. */
export const baseDump = join(moodleRoot, 'with-plugin.sql');
export const moodleAdmin = { username: 'admin', password: 'Admin-1234' };
/** The plugin zip the suite installs, as `npm run package:moodle` makes it. */
export const pluginZip = join(moodleRoot, 'local_intake.zip');

const mysqlServer = 'mysql://root@127.0.0.1:3306';

/** PHP as Moodle's CLI runs it here: 4.1 on PHP 8.2 prints deprecation notices, which say nothing about Intake. */
const phpArgs = ['-d', 'max_input_vars=5000', '-d', 'display_errors=stderr', '-d', 'error_reporting=E_ALL & ~E_DEPRECATED'];

export async function shell(command: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 1, stdout, stderr }));
    // A command that exits without reading its input (PHP before its script reads stdin, say) closes
    // the pipe: EPIPE on stdin says nothing its exit code and stderr do not; anything else fails.
    child.stdin.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') fail(error);
    });
    child.stdin.end(input ?? '');
  });
}

/** A command that must succeed; its output is kept for the error when it does not. */
async function checked(command: string, args: string[]): Promise<void> {
  const result = await shell(command, args);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.code}):\n${result.stderr}`);
}

/** Installs the site (install.sh), then local_intake from the zip `npm run package:moodle` writes, and dumps it. */
export async function installMoodleWithPlugin(log: (msg: string) => void): Promise<void> {
  if (!existsSync(join(moodleSource, 'install.sh'))) throw new Error(`No Moodle for tests at ${moodleSource} (set MOODLE_SRC)`);
  const { packageMoodlePlugin } = await import('../../plugin/scripts/package-moodle.js');
  const zip = pluginZip;
  await mkdir(moodleRoot, { recursive: true });
  await packageMoodlePlugin(zip);
  // The same plugin on the same Moodle: the site made last time is still fresh (the zip is byte-stable).
  const fingerprint = `${createHash('sha256').update(await readFile(zip)).update(await readFile(join(moodleSource, 'moodle-4.1.tar.xz'))).digest('hex')}\n`;
  const marker = join(moodleRoot, 'with-plugin.fingerprint');
  if (existsSync(baseDump) && existsSync(marker) && (await readFile(marker, 'utf8')) === fingerprint) {
    log(`fresh site with local_intake reused from ${baseDump}`);
    return;
  }
  await rm(marker, { force: true });
  // Moodle's installer would install a plugin already in the tree; the test is that its upgrade does.
  await rm(join(moodleDir, 'local', 'intake'), { recursive: true, force: true });
  const started = Date.now();
  const installed = await shell('bash', [join(moodleSource, 'install.sh')], { MOODLE_DIR: moodleDir, MOODLE_DATA: baseData, MOODLE_DB: baseDb });
  if (installed.code !== 0) throw new Error(`Moodle's install failed:\n${installed.stdout}\n${installed.stderr}`);
  log(`Moodle 4.1 installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  await unpack(zip, join(moodleDir, 'local'));
  const upgrade = await shell('php', [...phpArgs, join(moodleDir, 'admin/cli/upgrade.php'), '--non-interactive'], { MOODLE_DB: baseDb, MOODLE_DATA: baseData });
  if (upgrade.code !== 0 || !/-->local_intake/.test(upgrade.stdout)) throw new Error(`Moodle's upgrade did not install local_intake:\n${upgrade.stdout}\n${upgrade.stderr}`);
  const dump = await shell('mariadb-dump', ['-h127.0.0.1', '-uroot', '--single-transaction', baseDb]);
  await writeFile(baseDump, dump.stdout);
  await checked('tar', ['czf', `${baseData}-with-plugin.tgz`, '-C', dirname(baseData), 'data']);
  await writeFile(marker, fingerprint);
  log(`local_intake installed through Moodle's upgrade; fresh site in ${baseDump}`);
}

/** Unpacks the plugin zip as an admin would into Moodle's local/ (with yauzl: no unzip command needed). */
async function unpack(zip: string, into: string): Promise<void> {
  const archive = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(zip, { lazyEntries: true }, (error, file) => (error || !file ? reject(error) : resolve(file))));
  await new Promise<void>((resolve, reject) => {
    archive.on('error', reject);
    archive.on('end', resolve);
    archive.on('entry', (entry: yauzl.Entry) => {
      const target = join(into, entry.fileName);
      const next = async () => {
        if (entry.fileName.endsWith('/')) return mkdir(target, { recursive: true });
        await mkdir(dirname(target), { recursive: true });
        const stream = await new Promise<NodeJS.ReadableStream>((ok, fail) => archive.openReadStream(entry, (error, s) => (error || !s ? fail(error) : ok(s))));
        await pipeline(stream, createWriteStream(target));
      };
      next().then(() => archive.readEntry(), reject);
    });
    archive.readEntry();
  });
}

/** One test file's own copy of the fresh site: its database, its moodledata. */
export interface MoodleSite {
  db: string;
  dataroot: string;
  /** DATABASE_URL for Intake: the same database Moodle uses. */
  url: string;
  env: NodeJS.ProcessEnv;
  /** Runs PHP in a fresh process that boots this site; the script's last stdout line is JSON. */
  php<T = unknown>(body: string): Promise<T>;
  /** A Moodle CLI script (admin/cli/…), with its exit code and output. */
  cli(script: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  sql<T = Record<string, unknown>>(query: string): Promise<T[]>;
  drop(): Promise<void>;
}

export async function freshMoodleSite(label: string): Promise<MoodleSite> {
  const db = `intake_moodle_${label}_${randomBytes(3).toString('hex')}`;
  const dataroot = join(moodleRoot, `data-${db}`);
  await shell('mariadb', ['-h127.0.0.1', '-uroot', '-e', `CREATE DATABASE \`${db}\``]);
  await checked('bash', ['-c', `mariadb -h127.0.0.1 -uroot ${db} < ${baseDump}`]);
  await mkdir(dataroot, { recursive: true });
  await checked('tar', ['xzf', `${baseData}-with-plugin.tgz`, '-C', dataroot, '--strip-components=1']);
  const env = { MOODLE_DB: db, MOODLE_DATA: dataroot };
  const site: MoodleSite = {
    db,
    dataroot,
    url: `${mysqlServer}/${db}`,
    env,
    async php<T>(body: string): Promise<T> {
      const script = join(moodleRoot, `check-${randomBytes(4).toString('hex')}.php`);
      await writeFile(script, `<?php\ndefine('CLI_SCRIPT', true);\nrequire '${moodleDir}/config.php';\n${body}\n`);
      try {
        const result = await shell('php', [...phpArgs, script], env);
        const last = result.stdout.trim().split('\n').pop() ?? '';
        if (result.code !== 0) throw new Error(`PHP failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
        try {
          return JSON.parse(last) as T;
        } catch {
          throw new Error(`PHP printed no JSON:\n${result.stdout}\n${result.stderr}`);
        }
      } finally {
        await rm(script, { force: true });
      }
    },
    cli: (script, ...args) => shell('php', [...phpArgs, join(moodleDir, script), ...args], env),
    async sql<T>(query: string): Promise<T[]> {
      const result = await shell('mariadb', ['-h127.0.0.1', '-uroot', '--batch', '--raw', db, '-e', query]);
      if (result.code !== 0) throw new Error(result.stderr);
      const [head, ...lines] = result.stdout.trimEnd().split('\n');
      if (!head) return [];
      const names = head.split('\t');
      return lines.map((line) => Object.fromEntries(line.split('\t').map((v, i) => [names[i], v === 'NULL' ? null : v])) as T);
    },
    async drop() {
      await shell('mariadb', ['-h127.0.0.1', '-uroot', '-e', `DROP DATABASE IF EXISTS \`${db}\``]);
      await rm(dataroot, { recursive: true, force: true });
    },
  };
  return site;
}

/**
 * A course made by Moodle's own create_course() in a category (with the manual enrolment method Moodle
 * gives a new course, enrol_manual's add_default_instance()), and its groups by groups_create_group().
 * Returns the course's id.
 */
export function createCourse(site: MoodleSite, course: { shortname: string; fullname: string; category: number; groups?: string[] }): Promise<number> {
  return site.php<number>(`
    require_once($CFG->dirroot . '/course/lib.php');
    require_once($CFG->dirroot . '/group/lib.php');
    $course = create_course((object) ${phpLiteral({ fullname: course.fullname, shortname: course.shortname, category: course.category })});
    foreach (${phpLiteral(course.groups ?? [])} as $name) {
      groups_create_group((object) ['courseid' => $course->id, 'name' => $name]);
    }
    echo json_encode((int) $course->id);`);
}

/** A value as a PHP literal (by way of JSON: no quoting of PHP's own to get wrong). */
const phpLiteral = (value: unknown) => `json_decode(${JSON.stringify(JSON.stringify(value)).replace(/\$/g, '\\$')}, true)`;
