/**
 * When a Moodle for tests is present (MOODLE_SRC, default ../shared/hosts/moodle): Moodle's own bulk upload
 * (admin/tool/uploaduser CLI) against `intake import`, the same file of single-sign-on users into fresh
 * copies of the same site, interleaved, each checked with Moodle's own count of the users it made.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshMoodleSite, installMoodleWithPlugin, moodleSource, type MoodleSite } from '../support/moodle.js';

const bin = fileURLToPath(new URL('../../plugin/bin/intake.js', import.meta.url));

export const moodlePresent = () => existsSync(join(moodleSource, 'install.sh'));

function usersCsv(path: string, count: number): void {
  const lines = ['username,firstname,lastname,email,idnumber,auth,cohort1'];
  for (let i = 0; i < count; i++) lines.push(`m${i},First${i},Last${i},m${i}@school.example,${500000 + i},oauth2,bench`);
  writeFileSync(path, `${lines.join('\n')}\n`);
}

async function siteWithSso(label: string): Promise<MoodleSite> {
  const site = await freshMoodleSite(label);
  await site.cli('admin/cli/cfg.php', '--name=auth', '--set=email,oauth2');
  // Moodle's upload adds users to an existing cohort named in cohort1; Intake's group setting does the same.
  await site.php(`require_once($CFG->dirroot . '/cohort/lib.php'); cohort_add_cohort((object) ['contextid' => context_system::instance()->id, 'name' => 'bench', 'idnumber' => 'bench']); echo json_encode(true);`);
  return site;
}

const usersIn = async (site: MoodleSite) => Number((await site.sql<{ n: string }>("SELECT COUNT(*) AS n FROM mdl_user WHERE username LIKE 'm%' AND deleted = 0"))[0]!.n);

export async function moodleComparison(dir: string, count: number, line: (label: string, value: string) => void): Promise<void> {
  await installMoodleWithPlugin(() => undefined);
  const file = join(dir, 'moodle-users.csv');
  usersCsv(file, count);
  const settings = join(dir, 'moodle-settings.json');
  writeFileSync(settings, JSON.stringify({ source: 'bench', auth: 'oauth2', matchOn: 'username', group: { existing: 'bench' }, mapping: { cohort1: null, auth: null } }));
  const moodleTimes: number[] = [];
  const intakeTimes: number[] = [];
  for (let run = 0; run < 2; run++) {
    const forMoodle = await siteWithSso(`benchm${run}`);
    try {
      const start = process.hrtime.bigint();
      const upload = await forMoodle.cli('admin/tool/uploaduser/cli/uploaduser.php', `--file=${file}`, '--delimiter_name=comma', '--uutype=0', '--uupasswordnew=1');
      moodleTimes.push(Number(process.hrtime.bigint() - start) / 1e9);
      if (upload.code !== 0 || (await usersIn(forMoodle)) !== count) throw new Error(`Moodle's upload did not make ${count} users:\n${upload.stdout.slice(-2000)}\n${upload.stderr.slice(-2000)}`);
    } finally {
      await forMoodle.drop();
    }
    const forIntake = await siteWithSso(`benchi${run}`);
    try {
      const start = process.hrtime.bigint();
      const imported = spawnSync(process.execPath, [bin, 'import', file, '--settings', settings, '--json'], { env: { ...process.env, DATABASE_URL: forIntake.url }, encoding: 'utf8' });
      intakeTimes.push(Number(process.hrtime.bigint() - start) / 1e9);
      if (imported.status !== 0 || (await usersIn(forIntake)) !== count) throw new Error(`intake import did not make ${count} users:\n${imported.stdout}\n${imported.stderr}`);
    } finally {
      await forIntake.drop();
    }
  }
  const best = (times: number[]) => Math.min(...times);
  line(`Moodle 4.1 upload (tool_uploaduser CLI), ${count} SSO users`, `${best(moodleTimes).toFixed(1)} s (best of ${moodleTimes.length})`);
  line(`intake import, same file, same site`, `${best(intakeTimes).toFixed(1)} s  (Moodle's upload = ${(best(moodleTimes) / best(intakeTimes)).toFixed(1)}× Intake)`);
}
