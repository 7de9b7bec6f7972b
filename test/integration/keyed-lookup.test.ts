import { describe, expect, it } from 'vitest';
import { siteScope } from '../../server/core/scope.js';
import type { Candidate } from '../../server/core/validate/validate.js';
import { loadKeyJoin } from '../../server/host/read/keyed-lookup.js';
import { loadSite } from '../../server/host/read/site.js';
import { loadBatchSnapshot, type SnapshotOptions } from '../../server/host/read/snapshot.js';
import type { MatchField } from '../../server/contract/catalog.js';
import { bytesOf } from '../support/files.js';
import { engineTestbed } from '../support/testbed.js';

const bed = engineTestbed('keyedlookup');

const candidate = (row: number, values: Candidate['values']): Candidate => ({ row, values, profile: {}, problems: [] });

describe("a batch's keys", () => {
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
      const options: SnapshotOptions = { profileFieldIds: [], scope: siteScope, places: { groups: true, roles: true, mentorRoleId: null }, validity: false, source: 'lookup', ssoIssuerId: null, keyJoin };
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
