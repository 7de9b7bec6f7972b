import type { Pool, RowDataPacket } from 'mysql2/promise';
import { getTableName } from 'drizzle-orm';
import { userInfoField } from '../../../db/host/index.js';
import { T } from '../tables.js';
import type { ProfileField } from '../../contract/catalog.js';

const fieldTable = `\`${getTableName(userInfoField)}\``;
const dataTable = T.userInfoData;

/** The site's custom profile fields. */
export async function loadProfileFields(pool: Pool): Promise<ProfileField[]> {
  const [rows] = await pool.query<RowDataPacket[]>(`SELECT id, shortname, name, datatype, param1, param2 FROM ${fieldTable} ORDER BY sortorder, id`);
  return rows.map((r) => ({
    id: Number(r.id),
    shortname: String(r.shortname),
    name: String(r.name),
    datatype: String(r.datatype),
    options: r.datatype === 'menu' ? String(r.param1 ?? '').split(/\r?\n/).map((o) => o.trim()).filter(Boolean) : [],
    ...(r.datatype === 'datetime' && Number(r.param1) > 0 && Number(r.param2) > 0 ? { years: { start: Number(r.param1), end: Number(r.param2) } } : {}),
  }));
}

/** userid → fieldid → stored value, for the users and fields a batch touches. */
export async function loadProfileData(pool: Pool, userIds: number[], fieldIds: number[]): Promise<Map<number, Map<number, string>>> {
  const data = new Map<number, Map<number, string>>();
  if (userIds.length === 0 || fieldIds.length === 0) return data;
  const [rows] = await pool.query<RowDataPacket[]>(`SELECT userid, fieldid, data FROM ${dataTable} WHERE userid IN (?) AND fieldid IN (?)`, [userIds, fieldIds]);
  for (const r of rows) {
    const user = data.get(Number(r.userid)) ?? new Map<number, string>();
    user.set(Number(r.fieldid), String(r.data));
    data.set(Number(r.userid), user);
  }
  return data;
}

export { dataTable as profileDataTable };
