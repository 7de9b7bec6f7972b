import * as z from 'zod';

/** The configuration a host maintainer sets, validated once at boot. */
const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^(mysql|mariadb):\/\/[^/]/, { error: 'must be a MariaDB or MySQL address such as mysql://user:password@host:3306/database' })
    .default('mysql://root@127.0.0.1:3306/intake_demo'),
  /** Shared with the host page that signs tokens. The demo makes one up if it is missing. */
  INTAKE_SECRET: z.string().min(16).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Largest upload: a million-row export (the row limit) with a dozen columns fits; it is stored in sealed slices, never held whole. */
  INTAKE_MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(200 * 1024 * 1024),
  INTAKE_MAX_ROWS: z.coerce.number().int().positive().default(1_000_000),
  /** Longest cell accepted; longer ones reject the file (no host column holds more). */
  INTAKE_MAX_CELL_CHARS: z.coerce.number().int().positive().default(10_000),
  /** Most columns in a row; a file with more is refused while it is read (a million columns once ran the server out of memory). */
  INTAKE_MAX_COLUMNS: z.coerce.number().int().positive().default(1000),
  INTAKE_HASH_SCHEME: z.enum(['sha512', 'bcrypt']).default('sha512'),
  /** SHA-512 crypt rounds (Moodle's bulk upload hashes with 5000, "fasthash"; its login path rehashes later). */
  INTAKE_HASH_ROUNDS: z.coerce.number().int().min(1000).max(999_999_999).default(5000),
  /** The bcrypt cost with INTAKE_HASH_SCHEME=bcrypt (PHP's password_hash() default, which Moodle < 4.3 uses: 10). */
  INTAKE_BCRYPT_COST: z.coerce.number().int().min(4).max(31).default(10),
  INTAKE_HASH_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  /** Where mail goes: smtp://user:pass@host:port (smtps:// for TLS). Without it, mail waits in the outbox. */
  SMTP_URL: z.string().optional(),
  /** The sender of all mail; without it, the site's no-reply address named for the site (transportFrom). */
  MAIL_FROM: z.string().optional(),
  /** Key for the outbox's sealed messages; defaults to one derived from INTAKE_SECRET. */
  INTAKE_OUTBOX_KEY: z.string().min(16).optional(),
  /** Where Intake's own pages are reached (invitation links); defaults to this server. */
  INTAKE_PUBLIC_URL: z.string().url().optional(),
  /** Where users log in (on slips and mails); defaults to INTAKE_PUBLIC_URL. */
  INTAKE_SITE_URL: z.string().url().optional(),
  INTAKE_INVITE_DAYS: z.coerce.number().int().min(1).max(60).default(7),
  /** The host role that makes a user a test coordinator in the categories where they hold it. */
  INTAKE_COORDINATOR_ROLE: z.string().default('coordinator'),
  /** The host role of a supervisor's assignment in a candidate's user context (Moodle's "parent/mentor" pattern). */
  INTAKE_MENTOR_ROLE: z.string().default('mentor'),
});

export type Env = z.output<typeof envSchema>;

/** Variables whose values are never repeated back: keys, and addresses that may carry a password. */
const secretValue = /SECRET|KEY|_URL$/;

/** What a variable must be, as a host maintainer reads it, not as the schema library words it. */
const envErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'number' || issue.expected === 'int' ? 'must be a whole number' : undefined;
    case 'too_small':
      if (issue.origin === 'string') return `must be at least ${String(issue.minimum)} characters long`;
      return issue.inclusive === false ? `must be more than ${String(issue.minimum)}` : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.inclusive === false ? `must be less than ${String(issue.maximum)}` : `must be at most ${String(issue.maximum)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'url' ? 'must be an address such as https://moodle.school.example' : undefined;
    default:
      return undefined;
  }
};

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source, { error: envErrorMap });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const value = source[name];
      return `  ${name} ${issue.message}${value === undefined || secretValue.test(name) ? '' : ` (it is "${value}")`}`;
    });
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** What the password hasher takes: SHA-512 crypt rounds, or the bcrypt cost (each has its own variable). */
export const hashingOf = (env: Env) => ({ scheme: env.INTAKE_HASH_SCHEME, rounds: env.INTAKE_HASH_SCHEME === 'bcrypt' ? env.INTAKE_BCRYPT_COST : env.INTAKE_HASH_ROUNDS });
