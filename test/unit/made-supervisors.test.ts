import { describe, expect, it } from 'vitest';
import { MadeSupervisors, SupervisorNames } from '../../server/core/plan/made-supervisors.js';

describe('supervisors a file makes', () => {
  it('links each waiting account once to the account made under the name, whichever came first', () => {
    const made = new MadeSupervisors();
    made.waitFor(-2, 'kverre');
    made.waitFor(-2, 'kverre');
    made.answersTo(-9, ['kverre', 'k.verre@x.example']);
    made.waitFor(14, 'k.verre@x.example');
    expect(made.links()).toEqual({ links: [{ user: -2, supervisorId: -9 }, { user: 14, supervisorId: -9 }], unanswered: [] });
  });

  it('names nobody for a name two new accounts answer to, or none', () => {
    const made = new MadeSupervisors();
    made.answersTo(-3, ['shared@x.example']);
    made.answersTo(-4, ['shared@x.example']);
    made.waitFor(-5, 'shared@x.example');
    made.waitFor(-5, 'refused');
    expect(made.links()).toEqual({ links: [], unanswered: ['shared@x.example', 'refused'] });
  });

  it('moves to the ids a written batch gave, and forgets a batch planned again', () => {
    const made = new MadeSupervisors();
    made.answersTo(-7, ['kverre']);
    made.waitFor(-8, 'kverre');
    made.waitFor(-12, 'kverre');
    made.forget(new Set([-12]));
    made.confirm(new Map([[-7, 107], [-8, 108]]));
    expect(made.links()).toEqual({ links: [{ user: 108, supervisorId: 107 }], unanswered: [] });
    made.forget(new Set([107]));
    expect(made.links()).toEqual({ links: [], unanswered: ['kverre'] });
  });
});

describe('what an account answers to when a supervisor column names it', () => {
  const names = new SupervisorNames(new Set(['kverre', 'k.verre@x.example', 't042', 'kees verre', 'kees  verre', 'jose de la cruz', 'k. verre']));

  it('its username, e-mail or ID number in any case, and its full name as the host compares names', () => {
    expect(names.answeredBy({ username: 'KVerre', email: 'K.Verre@x.example', idnumber: 'T042', firstname: 'Kees', lastname: 'Verre' })).toEqual(['kverre', 'k.verre@x.example', 't042', 'kees verre', 'kees  verre']);
    expect(names.answeredBy({ firstname: 'José', lastname: 'de la Cruz' })).toEqual(['jose de la cruz']);
  });

  it('nothing for half a name or another name; initials only for an account whose name is written so', () => {
    expect(names.answeredBy({ firstname: 'Kees' })).toEqual([]);
    expect(names.answeredBy({ firstname: 'Kees', lastname: 'Vreeman' })).toEqual([]);
    expect(names.answeredBy({ firstname: 'K.', lastname: 'Verre' })).toEqual(['k. verre']);
    expect(names.has('k. verre') && names.size).toBe(7);
  });

  it('its full name written surname first, as a sorted list names a mentor ("Verre, Kees"; the prefix after the given name: "Cruz, José de la")', () => {
    const sorted = new SupervisorNames(new Set(['verre, kees', 'cruz, jose de la', 'kverre, tverre']));
    expect(sorted.answeredBy({ firstname: 'Kees', lastname: 'Verre' })).toEqual(['verre, kees']);
    expect(sorted.answeredBy({ firstname: 'José', lastname: 'de la Cruz' })).toEqual(['cruz, jose de la']);
    expect(sorted.answeredBy({ firstname: 'Tverre', lastname: 'Kverre' })).toEqual(['kverre, tverre']);
  });
});
