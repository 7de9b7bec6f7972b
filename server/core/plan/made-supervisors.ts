import { asShown, comparableName, fullNameOf, mayBeFullName } from '../full-name.js';
import type { UserRef } from './user-ref.js';

/** A direct supervisor link to an account the file makes (`-row` until its batch is written). */
interface Link {
  user: UserRef;
  supervisorId: UserRef;
}

/**
 * Supervisors the file itself makes (PlacementContext.supervisorsMadeHere): which account a row creates
 * under each name, and which rows wait to be linked to it. The links are made once every batch is
 * written (planSettle), when the accounts exist whatever batch made them. Bookkeeping of a run, carried
 * by its PlanState; it decides nothing the plan does not.
 */
export class MadeSupervisors {
  /** Reference → the account a row creates under it (null: two rows create one each: it names nobody for certain). */
  private readonly madeHere = new Map<string, UserRef | null>();
  /** Accounts waiting for the one made under a reference. */
  private readonly waiting: { user: UserRef; reference: string }[] = [];

  private get empty(): boolean {
    return this.waiting.length + this.madeHere.size === 0;
  }

  /** A new account answers to these references. */
  answersTo(user: UserRef, references: readonly string[]): void {
    for (const reference of references) this.madeHere.set(reference, this.madeHere.has(reference) && this.madeHere.get(reference) !== user ? null : user);
  }

  /** `user` is to be supervised by the account made under `reference`. */
  waitFor(user: UserRef, reference: string): void {
    this.waiting.push({ user, reference });
  }

  /**
   * The links, each once: to the account a row of the file created under each name; and the names no
   * created account answers to alone (its row was refused, or two rows made one).
   */
  links(): { links: Link[]; unanswered: string[] } {
    const links = new Map<string, Link>();
    const unanswered = new Set<string>();
    for (const { user, reference } of this.waiting) {
      const supervisorId = this.madeHere.get(reference);
      if (supervisorId === undefined || supervisorId === null) unanswered.add(reference);
      // A row that names its own account is linked to it, as it is when the account exists before.
      else links.set(`${user}:${supervisorId}`, { user, supervisorId });
    }
    return { links: [...links.values()], unanswered: [...unanswered] };
  }

  /** A batch planned again (its write was rolled back) takes back what its rows made and waited for. */
  forget(rows: ReadonlySet<UserRef>): void {
    if (this.empty) return;
    for (const [reference, user] of this.madeHere) if (user !== null && rows.has(user)) this.madeHere.delete(reference);
    this.waiting.splice(0, this.waiting.length, ...this.waiting.filter((w) => !rows.has(w.user)));
  }

  /** A written batch's new accounts have ids: what was noted under `-row` moves to them. */
  confirm(idOfRow: ReadonlyMap<UserRef, number>): void {
    if (this.empty) return;
    for (const [reference, user] of this.madeHere) if (user !== null && idOfRow.has(user)) this.madeHere.set(reference, idOfRow.get(user)!);
    for (const w of this.waiting) w.user = idOfRow.get(w.user) ?? w.user;
  }
}

/** What an account answers to when a supervisor column names it. */
export interface Answering {
  username?: string | undefined;
  email?: string | undefined;
  idnumber?: string | undefined;
  firstname?: string | undefined;
  lastname?: string | undefined;
}

/**
 * References a supervisor column names (lower case, as placement looks them up), and which of them an
 * account answers to: its username, e-mail or ID number as it is, or its full name as the host shows it
 * ("Marieke Bakker", compared as the host compares names). The supervisors a file makes itself
 * (PlacementContext.supervisorsMadeHere) are held so; so are the names looked for in the file's rows.
 */
export class SupervisorNames {
  /** The full-name-shaped references by their name as compared. */
  private readonly byName = new Map<string, string[]>();

  constructor(private readonly references: ReadonlySet<string>) {
    for (const reference of references) {
      if (!mayBeFullName(reference)) continue;
      const name = comparableName(asShown(reference));
      this.byName.set(name, [...(this.byName.get(name) ?? []), reference]);
    }
  }

  get size(): number {
    return this.references.size;
  }

  has(reference: string): boolean {
    return this.references.has(reference);
  }

  /** The references `account` answers to. */
  answeredBy(account: Answering): string[] {
    const answered: string[] = [];
    for (const value of [account.username, account.email, account.idnumber]) {
      const reference = value?.toLowerCase();
      if (reference && this.references.has(reference)) answered.push(reference);
    }
    const name = this.byName.size > 0 ? fullNameOf(account.firstname, account.lastname) : undefined;
    if (name !== undefined) answered.push(...(this.byName.get(name) ?? []));
    return answered;
  }
}
