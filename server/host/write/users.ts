import type { PoolConnection, ResultSetHeader } from 'mysql2/promise';
import { getTableName } from 'drizzle-orm';
import { CONTEXT_USER, context, user } from '../../../db/host/index.js';
import type { PlannedRow } from '../../core/plan/users.js';
import { queryRows, valuesOf, type SqlValue } from '../database.js';
import type { Site } from '../read/site.js';
import { hostDefaultTest, type ColumnDefaults } from '../read/column-defaults.js';
import { profileDataTable } from '../read/profile-fields.js';
import { T } from '../tables.js';
import type { Change } from './change-log.js';
import { insertedIds } from './inserted-ids.js';
import type { IdRange } from '../id-ranges.js';
import { logOut } from './moodle-follow-up.js';


export interface UserWriteContext {
  site: Site;
  now: number;
  /** Whether a multi-row INSERT's ids are one consecutive block (see insertedIds). */
  consecutiveIds: boolean;
  /** What the host's user table fills in by itself (see loadUserColumnDefaults). */
  columnDefaults: ColumnDefaults;
}


/**
 * Every column Moodle's user_create_user() sets, and the additional name fields a file may give, so
 * hosts whose columns lack defaults accept the row (those equal to the table's own default are left out
 * of a batch's INSERT, see newUserInsert). Named and typed by the host schema; the bulk INSERT below sends them in this order (raw SQL on this
 * hot path: Drizzle's insert builder makes bulk inserts about twice as slow, measured).
 */
const newUserColumns = [
  'auth', 'confirmed', 'policyagreed', 'deleted', 'suspended', 'mnethostid', 'username', 'password',
  'idnumber', 'firstname', 'lastname', 'email', 'emailstop', 'phone1', 'phone2', 'institution', 'department', 'address', 'city', 'country',
  'lang', 'calendartype', 'theme', 'timezone', 'firstaccess', 'lastaccess', 'lastlogin', 'currentlogin', 'lastip', 'secret', 'picture',
  'description', 'descriptionformat', 'mailformat', 'maildigest', 'maildisplay', 'autosubscribe', 'trackforums',
  'timecreated', 'timemodified', 'trustbitmask', 'middlename', 'alternatename', 'firstnamephonetic', 'lastnamephonetic',
] as const satisfies readonly (keyof typeof user.$inferInsert)[];

const contextTableName = getTableName(context);

/** Moodle's additional name fields: NULL where the file gives none, as user_create_user() leaves them. */
type NullableColumn = 'middlename' | 'alternatename' | 'firstnamephonetic' | 'lastnamephonetic';
type NewUserRow = { [K in Exclude<(typeof newUserColumns)[number], NullableColumn>]-?: NonNullable<(typeof user.$inferInsert)[K]> } & { [K in NullableColumn]: string | null };

/** A preference the file gives (a validated digit), else the site's default for new accounts. */
const preference = (value: string | undefined, siteDefault: number) => (value === undefined ? siteDefault : Number(value));

/** As user_create_user() (user/lib.php) fills them: the file's values, else the site's defaults. */
function newUserRow(row: PlannedRow, hash: string, ctx: UserWriteContext): NewUserRow {
  const v = row.create!.values;
  const d = ctx.site.userDefaults;
  return {
    auth: row.create!.auth, confirmed: 1, policyagreed: 0, deleted: 0, suspended: row.create!.suspended, mnethostid: ctx.site.mnetHostId,
    username: row.username, password: hash, idnumber: v.idnumber ?? '', firstname: v.firstname ?? '', lastname: v.lastname ?? '',
    email: v.email ?? '', emailstop: v.emailstop === '1' ? 1 : 0, phone1: v.phone1 ?? '', phone2: v.phone2 ?? '', institution: v.institution ?? '', department: v.department ?? '',
    address: v.address ?? '', city: v.city ?? d.city, country: v.country ?? d.country, lang: v.lang ?? ctx.site.lang, calendartype: d.calendartype, theme: v.theme ?? '', timezone: v.timezone ?? '99',
    firstaccess: 0, lastaccess: 0, lastlogin: 0, currentlogin: 0, lastip: '', secret: '', picture: 0, description: v.description ?? '', descriptionformat: v.descriptionformat === undefined ? 1 : Number(v.descriptionformat),
    mailformat: preference(v.mailformat, d.mailformat), maildigest: preference(v.maildigest, d.maildigest), maildisplay: preference(v.maildisplay, d.maildisplay),
    autosubscribe: preference(v.autosubscribe, d.autosubscribe), trackforums: preference(v.trackforums, d.trackforums), timecreated: ctx.now, timemodified: ctx.now, trustbitmask: 0,
    middlename: v.middlename ?? null, alternatename: v.alternatename ?? null, firstnamephonetic: v.firstnamephonetic ?? null, lastnamephonetic: v.lastnamephonetic ?? null,
  };
}

/**
 * The batch's new user rows, naming only the columns where some row differs from what the host's table
 * fills in by itself: the rows Moodle would write, in a third of the SQL.
 */
function newUserInsert(users: NewUserRow[], defaults: ColumnDefaults): { columns: string[]; values: SqlValue[][] } {
  const columns = newUserColumns.filter((column) => {
    const isDefault = hostDefaultTest(defaults, column);
    return users.some((u) => !isDefault(u[column]));
  });
  return { columns, values: users.map((u) => columns.map((column) => u[column])) };
}

async function insertUsers(conn: PoolConnection, rows: PlannedRow[], hashes: string[], ctx: UserWriteContext, log: Change[]): Promise<void> {
  if (rows.length === 0) return;
  const { columns, values } = newUserInsert(rows.map((r, i) => newUserRow(r, hashes[i]!, ctx)), ctx.columnDefaults);
  const [inserted] = await conn.query<ResultSetHeader>(`INSERT INTO ${T.user} (${columns.join(', ')}) VALUES ?`, [valuesOf(values)]);
  const ids = await insertedIds(ctx.consecutiveIds, inserted.insertId, rows.length, async () => {
    const created = await queryRows<{ id: number; username: string }>(conn, `SELECT id, username FROM ${T.user} WHERE mnethostid = ? AND username IN (?)`, [
      ctx.site.mnetHostId,
      rows.map((r) => r.username),
    ]);
    const idOf = new Map(created.map((u) => [u.username.toLowerCase(), Number(u.id)]));
    return rows.map((r) => idOf.get(r.username)!);
  });
  rows.forEach((row, i) => (row.userId = ids[i]!));
  // A consecutive block is logged as one range; undo expands it. Their contexts, a consecutive block
  // too, are logged the same way: undo removes them by their ids, the primary key, rather than finding
  // each by its user. Everything else made for them is found by user and goes with them.
  if (ctx.consecutiveIds) log.push({ table: 'user', rowId: ids[0]!, action: 'insert', before: { through: ids[ids.length - 1]! } });
  else for (const id of ids) log.push({ table: 'user', rowId: id, action: 'insert', before: null });

  const contexts = await insertUserContexts(conn, ids, ctx);
  if (contexts) log.push({ table: 'context', rowId: contexts.from, action: 'insert', before: { through: contexts.through } });
  const profile = rows.flatMap((r) => Object.entries(r.create!.profile).map(([fieldId, data]) => [r.userId!, Number(fieldId), data, 0]));
  if (profile.length > 0) await conn.query(`INSERT INTO ${profileDataTable} (userid, fieldid, data, dataformat) VALUES ?`, [profile]);
  const forced = rows.filter((r) => r.create!.forcePasswordChange).map((r) => r.userId!);
  if (forced.length > 0) {
    await conn.query(`INSERT INTO ${T.userPreferences} (userid, name, value) VALUES ?`, [forced.map((id) => [id, 'auth_forcepasswordchange', '1'])]);
  }
}

/**
 * The new users' contexts, each with its path (the system context's path and its own id), as Moodle's
 * context_user::create_level_instance() leaves them after its insert and path update. Where ids come in
 * one consecutive block, the block is foreseen from the table's auto-increment counter and the paths go
 * in with the rows: the later UPDATE rewrote every row and its path index entry, a third of the time of
 * the users' own INSERT (measured). Should another insert take ids in between, the guess is off and the
 * paths are set after all. Returns the block of context ids (null where ids are not consecutive).
 */
export async function insertUserContexts(
  conn: PoolConnection,
  userIds: number[],
  ctx: Pick<UserWriteContext, 'site' | 'consecutiveIds'>,
  foresee: () => Promise<number> = () => nextContextId(conn),
): Promise<IdRange | null> {
  const systemPath = ctx.site.systemContext.path;
  if (!ctx.consecutiveIds) {
    await conn.query(`INSERT INTO ${T.context} (contextlevel, instanceid, path, depth, locked) VALUES ?`, [userIds.map((id) => [CONTEXT_USER, id, null, 2, 0])]);
    await conn.query(`UPDATE ${T.context} SET path = CONCAT(?, '/', id) WHERE contextlevel = ? AND instanceid IN (?) AND path IS NULL`, [systemPath, CONTEXT_USER, userIds]);
    return null;
  }
  const first = await foresee();
  const [contexts] = await conn.query<ResultSetHeader>(`INSERT INTO ${T.context} (contextlevel, instanceid, path, depth, locked) VALUES ?`, [
    valuesOf(userIds.map((id, i) => [CONTEXT_USER, id, `${systemPath}/${first + i}`, 2, 0])),
  ]);
  const through = contexts.insertId + userIds.length - 1;
  if (contexts.insertId !== first) await conn.query(`UPDATE ${T.context} SET path = CONCAT(?, '/', id) WHERE id BETWEEN ? AND ?`, [systemPath, contexts.insertId, through]);
  return { from: contexts.insertId, through };
}

/** The id the context table's next insert gets, unless another insert comes first. */
async function nextContextId(conn: PoolConnection): Promise<number> {
  const [next] = await queryRows<{ id: number | null }>(conn, 'SELECT AUTO_INCREMENT AS id FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [contextTableName]);
  return Number(next?.id ?? 0);
}

/**
 * Updates grouped by the set of columns that change, one statement per group: a join against the new
 * values, so a thousand updates cost a handful of round trips.
 */
async function updateUsers(conn: PoolConnection, rows: PlannedRow[], ctx: UserWriteContext, log: Change[]): Promise<void> {
  const groups = new Map<string, PlannedRow[]>();
  for (const row of rows) {
    const signature = Object.keys(row.changes!).sort().join(',');
    const group = groups.get(signature);
    if (group) group.push(row);
    else groups.set(signature, [row]);
  }
  for (const [signature, group] of groups) {
    const columns = signature.split(',');
    const values = group.map((r) => `SELECT ? AS id, ${columns.map((c) => `? AS \`${c}\``).join(', ')}`).join(' UNION ALL ');
    const params = group.flatMap((r) => [r.userId, ...columns.map((c) => r.changes![c])]);
    const assignments = [...columns.map((c) => `u.\`${c}\` = v.\`${c}\``), 'u.timemodified = ?'].join(', ');
    await conn.query(`UPDATE ${T.user} u JOIN (${values}) v ON u.id = v.id SET ${assignments}`, [...params, ctx.now]);
    for (const row of group) {
      const before = Object.fromEntries(columns.map((c) => [c, row.diff?.[c]?.[0] ?? null]));
      log.push({ table: 'user', rowId: row.userId!, action: 'update', before });
    }
  }
  // Whoever this suspends or bars from logging in is logged out, as Moodle's own code does (user/editadvanced.php).
  await logOut(conn, rows.filter((r) => Number(r.changes!.suspended) === 1 || r.changes!.auth === 'nologin').map((r) => r.userId!));
}

/**
 * Writes changed profile values (insert or overwrite, by the unique user/field key). The log keeps
 * per user the values before, null where there was none, so undo can restore or remove them.
 */
async function writeProfileChanges(conn: PoolConnection, rows: PlannedRow[], log: Change[]): Promise<void> {
  const values: unknown[][] = [];
  for (const row of rows) {
    const changes = Object.entries(row.profileChanges ?? {});
    if (changes.length === 0) continue;
    for (const [fieldId, change] of changes) values.push([row.userId, Number(fieldId), change.after, 0]);
    log.push({ table: 'user_info_data', rowId: row.userId!, action: 'update', before: Object.fromEntries(changes.map(([id, c]) => [id, c.before])) });
  }
  if (values.length > 0) await conn.query(`INSERT INTO ${profileDataTable} (userid, fieldid, data, dataformat) VALUES ? ON DUPLICATE KEY UPDATE data = VALUES(data)`, [values]);
}

/**
 * Logs the interests rows set (new accounts' and changed ones): Moodle's own code sets them from the log
 * when Intake's plugin replays the import (useredit_update_interests(), as its upload does), and undo
 * sets them back. Nothing is written to Moodle's tag tables here.
 */
function logInterests(rows: PlannedRow[], log: Change[]): void {
  for (const row of rows) {
    if (row.interests && (row.outcome === 'create' || row.outcome === 'update')) log.push({ table: 'interests', rowId: row.userId!, action: 'update', before: { tags: row.interests.before, set: row.interests.after } });
  }
}

/**
 * Writes a batch's user rows: new users with their contexts, profile values and preferences, then
 * updates and changed profile values; logs the interests Moodle sets. Sets `userId` on each created row.
 */
export async function writeUsers(conn: PoolConnection, planned: PlannedRow[], hashes: string[], ctx: UserWriteContext, log: Change[]): Promise<void> {
  await insertUsers(conn, planned.filter((r) => r.outcome === 'create'), hashes, ctx, log);
  const updates = planned.filter((r) => r.outcome === 'update');
  await updateUsers(conn, updates.filter((r) => Object.keys(r.changes ?? {}).length > 0), ctx, log);
  await writeProfileChanges(conn, updates, log);
  logInterests(planned, log);
}

/** Suspends users that left the feed: `suspended = 1`, never a delete, and logs them out. */
export async function archiveUsers(conn: PoolConnection, userIds: number[], now: number, log: Change[]): Promise<void> {
  for (let i = 0; i < userIds.length; i += 1000) {
    const ids = userIds.slice(i, i + 1000);
    await conn.query(`UPDATE ${T.user} SET suspended = 1, timemodified = ? WHERE id IN (?)`, [now, ids]);
    for (const id of ids) log.push({ table: 'user', rowId: id, action: 'update', before: { suspended: 0 } });
    await logOut(conn, ids);
  }
}
