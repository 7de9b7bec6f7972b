import type { Sealer } from './seal.js';

/** What telling anyone anything needs: the outbox's sealer and the links to put in messages. */
export interface Notifications {
  sealer: Sealer;
  /** Where Intake's own pages live (invitation links). */
  publicUrl: string;
  /**
   * Where users log in (on credential slips and mails), when INTAKE_SITE_URL says; otherwise the host's
   * own address as its plugin reports it, else Intake's public address.
   */
  siteUrl: string | null;
  inviteDays: number;
}
