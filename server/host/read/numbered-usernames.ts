import { numberedName } from '../../core/validate/username-template.js';

/**
 * Names asked past what a base's rows need, at first: room for a few the host holds. A base that needs
 * more asks again, twice as many past the last each time, so a base the host holds hundreds of takes
 * a handful of round trips, and a million different names ask little more than one name each.
 */
const firstSlack = 4;

/** For one base: where the run's numbering stands, and how many of its rows may need a name from there. */
export interface NumberingNeed {
  from: number;
  need: number;
}

/**
 * The numbered usernames a batch's new accounts may take, asked of the host as exact names (its username
 * index, no scan): for each base, from where the run's numbering stands, as many as its rows need plus
 * room, and further while the host holds too many of them. `lookUp` notes the taken ones and returns
 * them. Returns per base the last number asked about: planning never picks a name past it. Only what
 * one batch needs is asked and held, however many names a run gives.
 */
export async function askNumberedNames(needs: ReadonlyMap<string, NumberingNeed>, lookUp: (names: string[]) => Promise<Iterable<string>>): Promise<Map<string, number>> {
  const through = new Map<string, number>();
  let open = [...needs].map(([base, { from, need }]) => ({ base, next: from, need, slack: firstSlack }));
  while (open.length > 0) {
    const spans = open.map((w) => ({ ...w, end: w.next + w.need + w.slack }));
    const names: string[] = [];
    for (const span of spans) for (let n = span.next; n < span.end; n++) names.push(numberedName(span.base, n));
    const taken = new Set(await lookUp(names));
    open = spans.flatMap((span) => {
      through.set(span.base, span.end - 1);
      let free = 0;
      for (let n = span.next; n < span.end; n++) if (!taken.has(numberedName(span.base, n))) free++;
      return free >= span.need ? [] : [{ base: span.base, next: span.end, need: span.need - free, slack: span.slack * 2 }];
    });
  }
  return through;
}
