import { describe, expect, it } from 'vitest';
import { siteScope } from '../../server/core/scope.js';
import type { Candidate } from '../../server/core/validate/validate.js';
import { loadKeyJoin, usersByKeys, type KeyColumn } from '../../server/host/read/keyed-lookup.js';
import { loadSite } from '../../server/host/read/site.js';
import { loadBatchSnapshot, type SnapshotOptions } from '../../server/host/read/snapshot.js';
import type { MatchField } from '../../server/contract/catalog.js';
import { bytesOf } from '../support/files.js';
import { engineTestbed } from '../support/testbed.js';

const bed = engineTestbed('keyedlookup');

const candidate = (row: number, values: Candidate['values']): Candidate => ({ row, values, profile: {}, problems: [] });

describe("a batch's keys", () => {
  it("are probed through each key's index even while the user table's statistics say it is tiny", async () => {
    // A fresh host: the statistics were taken over a handful of users. Left to them, the optimiser joins
    // the keys by scanning the whole table with a join buffer (EXPLAIN: ALL, BNL), once per batch.
    const keyJoin = await loadKeyJoin(bed.database.pool);
    expect(keyJoin).not.toBeNull();
    for (const column of ['username', 'email', 'idnumber'] as KeyColumn[]) {
      const { sql, params } = usersByKeys({ select: 'u.id', column, keys: Array.from({ length: 1000 }, (_, i) => `key${i}`), where: column === 'email' ? undefined : 'u.mnethostid = ?', whereParams: column === 'email' ? [] : [1] }, keyJoin);
      const plan = await bed.query(`EXPLAIN ${sql}`, params);
      const users = plan.find((step) => step.table === 'u');
      expect({ column, type: users?.type, key: users?.key }).toEqual({ column, type: expect.stringMatching(/^(eq_)?ref$/), key: keyJoin!.indexes[column] });
    }
  });

  it('find the same accounts joined from JSON_TABLE as in IN lists, letter case and all', async () => {
    await bed.engine.run(
      bytesOf(['username;firstname;lastname;email;idnumber;cohort1', 'anna;Anna;Aarts;Anna.Aarts@School.example;1001;Klas 1A', 'bram;Bram;Bos;b.bos@school.example;1002;Klas 1B', 'cas;Cas;Claes;c.claes@school.example;1003;'].join('\n')),
      { source: 'lookup', matchOn: 'username' },
    );
    const site = await loadSite(bed.database.db);
    const keyJoin = await loadKeyJoin(bed.database.pool);
    // The tests' MariaDB (10.11) has JSON_TABLE: the join is what runs here.
    expect(keyJoin).not.toBeNull();
    const rows = [
      candidate(2, { username: 'anna', email: 'anna.aarts@school.example', idnumber: '1001' }),
      candidate(3, { username: 'bram', email: 'new.address@school.example', idnumber: '1002' }),
      candidate(4, { username: 'dirk', email: 'C.CLAES@school.example', idnumber: '1003' }),
      candidate(5, { username: 'eva', email: 'eva@school.example', idnumber: '2001' }),
    ];
    for (const matchOn of ['username', 'email', 'idnumber'] as MatchField[]) {
      const options: SnapshotOptions = { profileFieldIds: [], scope: siteScope, places: { groups: true, roles: true, mentorRoleId: null, courses: null }, validity: false, source: 'lookup', ssoIssuerId: null, keyJoin, numbering: { from: () => 1, ahead: () => 0 } };
      const joined = await loadBatchSnapshot(bed.database.pool, site, matchOn, rows, options);
      const listed = await loadBatchSnapshot(bed.database.pool, site, matchOn, rows, { ...options, keyJoin: null });
      expect(joined).toEqual(listed);
      // Not empty on both sides: the accounts are found, with their feed and their groups.
      expect([...joined.byKey.values()].flat().length).toBeGreaterThan(0);
      expect(joined.inFeed.size).toBeGreaterThan(0);
      expect(joined.memberships.size).toBeGreaterThan(0);
    }
  });
});
