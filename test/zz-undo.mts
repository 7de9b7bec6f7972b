import { openDatabase, queryRows } from '../server/host/database.js';
import { undoImport } from '../server/host/undo.js';
const db = openDatabase('mysql://root@127.0.0.1:3306/intake_zz');
const [row] = await queryRows<{ id: number }>(db.pool, 'SELECT id FROM intake_import ORDER BY id DESC LIMIT 1');
const t = process.hrtime.bigint();
await undoImport(db.pool, row!.id);
console.log('undo', Number(process.hrtime.bigint() - t) / 1e9);
await db.close();
