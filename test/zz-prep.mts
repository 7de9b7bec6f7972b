import { freshDemoHost } from './support/database.js';
import { writeStudentsCsv } from './bench/generate.js';
import { writeFileSync } from 'node:fs';
const rows = Number(process.argv[2] ?? 100000);
const db = await freshDemoHost('mysql://root@127.0.0.1:3306/intake_zz');
await db.close();
if (process.argv[3] === 'files') {
  await writeStudentsCsv('/tmp/p/s.csv', rows);
  await writeStudentsCsv('/tmp/p/c.csv', rows, 2);
  writeFileSync('/tmp/p/settings.json', JSON.stringify({ source: 'bench', auth: 'oauth2', group: { create: 'Bench' } }));
}
