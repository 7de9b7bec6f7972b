import { describe, expect, it } from 'vitest';
import type { RowOutcome } from '../../server/contract/types.js';
import { hasJsonTable } from '../../server/host/database.js';
import { loadRowPage, saveRowOutcomes } from '../../server/store/rows.js';
import { engineTestbed } from '../support/testbed.js';

const bed = engineTestbed('rowoutcomes');

/** Outcomes with everything JSON and SQL text have to carry safely: quotes, backslashes, line breaks, emoji. */
const outcomes: RowOutcome[] = [
  { row: 2, outcome: 'create', username: 'anna', userId: null, diff: null, problems: [], placement: { groups: ['Klas 1A'] }, person: { name: 'Anna "An" de Vries', email: 'anna@school.example' } },
  { row: 3, outcome: 'update', username: "o'brien", userId: 17, diff: { email: ['old\\path@x.example', 'new@x.example'] }, problems: [{ code: 'password_policy', params: { rule: 'digits\nand \\ "symbols"', min: 2 } }], placement: null, person: null },
  { row: 4, outcome: 'skip', reason: 'protected_account', username: 'zoë 🎓', userId: 5, diff: null, problems: [], placement: { node: 'Scholen / Noord', groups: [], role: 'student', validUntil: '2027-07-31' }, person: { name: 'Zoë 🎓' } },
  { row: 5, outcome: 'error', username: '', userId: null, diff: null, problems: [{ field: 'email', code: 'invalid_email', params: { value: "jan@@school'; DROP TABLE x; --" } }], person: { name: 'Jan' } },
];

describe("rows' outcomes", () => {
  it('come back exactly as saved, sent as one JSON document or escaped into the statement', async () => {
    // The tests' MariaDB (10.11) has JSON_TABLE; older servers take the escaped statement.
    expect(await hasJsonTable(bed.database.pool)).toBe(true);
    await saveRowOutcomes(bed.database.pool, 901, outcomes, { asJson: true });
    await saveRowOutcomes(bed.database.pool, 902, outcomes, { asJson: false });
    const [asJson, asText] = await Promise.all([901, 902].map((id) => loadRowPage(bed.database.pool, id, { offset: 0, limit: 10 })));
    const expected = outcomes.map((r) => ({ ...r, placement: r.placement ?? null, person: r.person ?? null }));
    expect(asJson).toEqual({ total: 4, rows: expected });
    expect(asText).toEqual(asJson);
    // Nothing stored as JSON `null` or `[]`: the absent stay SQL NULL, which the error report's query relies on.
    const stored = await bed.query('SELECT import_id, line, diff IS NULL AS d, problems IS NULL AS p, placement IS NULL AS pl, person IS NULL AS pe FROM intake_row ORDER BY import_id, line');
    const nulls = (id: number) => stored.filter((r) => r.import_id === id).map((r) => [r.d, r.p, r.pl, r.pe]);
    expect(nulls(901)).toEqual([[1, 1, 0, 0], [0, 0, 1, 1], [1, 1, 0, 0], [1, 0, 1, 0]]);
    expect(nulls(902)).toEqual(nulls(901));
  });

  it('store half an emoji (a long value cut, a broken cell) as U+FFFD instead of failing the batch', async () => {
    const cut: RowOutcome = { row: 2, outcome: 'error', username: `${'a'.repeat(99)}😀b`, userId: null, diff: null, problems: [{ field: 'firstname', code: 'too_long', params: { value: 'x\udc00y', max: 100 } }], person: { name: 'Zoë 😀' } };
    await saveRowOutcomes(bed.database.pool, 903, [cut], { asJson: true });
    await saveRowOutcomes(bed.database.pool, 904, [cut], { asJson: false });
    const [asJson, asText] = await Promise.all([903, 904].map((id) => loadRowPage(bed.database.pool, id, { offset: 0, limit: 10 })));
    const stored = { ...cut, username: `${'a'.repeat(99)}\ufffd`, problems: [{ field: 'firstname', code: 'too_long', params: { value: 'x\ufffdy', max: 100 } }], placement: null };
    expect(asJson?.rows).toEqual([stored]);
    expect(asText?.rows).toEqual([stored]);
  });
});
