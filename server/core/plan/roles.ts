import type { Settings } from '../../contract/types.js';
import { roleWords } from '../../contract/role-words.js';

/** Where a role can be assigned, by the levels Intake places people at (Moodle's role_context_levels). */
export type RoleLevel = 'system' | 'category' | 'course' | 'user';

/** A host role. */
export interface Role {
  id: number;
  shortname: string;
  name: string;
  archetype: string;
  /** The levels the host allows the role at; a role a row is given where it is not allowed (a course role in a school) becomes a role group. */
  allowedAt: ReadonlySet<RoleLevel>;
}

/**
 * How a role group is called after the people in it (Moodle sites name cohorts for cohort sync so), in
 * the site's language: the name Moodle's own pages show its admins and teachers. Other languages, and
 * roles of other archetypes, get the English word or the role's own name.
 */
const roleGroupLabels: Record<string, { student: string; teacher: string }> = {
  en: { student: 'Students', teacher: 'Teachers' },
  nl: { student: 'Leerlingen', teacher: 'Docenten' },
  sv: { student: 'Elever', teacher: 'Lärare' },
  fi: { student: 'Oppilaat', teacher: 'Opettajat' },
  de: { student: 'Schüler', teacher: 'Lehrkräfte' },
  fr: { student: 'Élèves', teacher: 'Enseignants' },
};

function roleGroupLabel(role: Role, siteLang: string): string {
  // Moodle's language codes: a variant (nl_wp, sv_fi) is named in its language.
  const labels = roleGroupLabels[siteLang.split('_')[0]!.toLowerCase()] ?? roleGroupLabels.en!;
  if (role.archetype === 'student') return labels.student;
  if (role.archetype === 'editingteacher' || role.archetype === 'teacher') return labels.teacher;
  return role.name || role.shortname;
}

/**
 * The group that stands for a role the host does not allow where the row lands (students and teachers
 * are course roles in Moodle): "Engelbrektskolan · Lärare" on a Swedish site, ready for cohort sync into
 * the school's courses.
 */
export function roleGroupName(node: readonly string[], role: Role, siteLang = 'en'): string {
  const label = roleGroupLabel(role, siteLang);
  const place = node[node.length - 1];
  // Moodle's cohort.name holds 254 characters: a long school name is cut, the role it names never.
  return place ? `${place.slice(0, Math.max(0, cohortNameMax - label.length - 3))} · ${label}` : label.slice(0, cohortNameMax);
}

/** Moodle's cohort.name is a varchar(254). */
const cohortNameMax = 254;

/** The roles of the site (loaded by host/read/roles.ts), and what a value in a file or the settings means among them. */
export class RoleDirectory {
  private readonly byShortname: Map<string, Role>;

  constructor(readonly roles: Role[]) {
    this.byShortname = new Map(roles.map((r) => [r.shortname.toLowerCase(), r]));
  }

  byShort(shortname: string): Role | undefined {
    return this.byShortname.get(shortname.toLowerCase());
  }

  byId(id: number): Role | undefined {
    return this.roles.find((r) => r.id === id);
  }

  /** The role a column of Moodle's upload names: by short name or id, as uu_allowed_roles_cache() keys them. */
  byShortOrId(value: string): Role | undefined {
    const wanted = value.trim();
    return this.byShort(wanted) ?? (/^\d+$/.test(wanted) ? this.byId(Number(wanted)) : undefined);
  }

  /** The host's role of an archetype: the stock short name first, else the first role made from it. */
  ofArchetype(archetype: string): Role | undefined {
    return this.byShort(archetype) ?? this.roles.find((r) => r.archetype === archetype);
  }

  /**
   * The host role a value names. Words for student, teacher and candidate in the supported languages
   * come first and mean an archetype ("teacher", "Docent" and "lärare" alike: the teacher role the admin
   * chose for the import); then a role's short name or name.
   */
  resolve(value: string, teacherRole: Settings['teacherRole'] = 'editingteacher'): Role | undefined {
    const wanted = value.trim().toLowerCase();
    if (roleWords.student.includes(wanted)) return this.ofArchetype('student');
    if (roleWords.teacher.includes(wanted)) return this.ofArchetype(teacherRole);
    if (roleWords.candidate.includes(wanted)) return this.byShort('candidate') ?? this.ofArchetype('student');
    return this.byShort(wanted) ?? this.roles.find((r) => r.name.toLowerCase() === wanted);
  }
}

/** A student role needs a specific class: "9A", not "9" (a year, not a class) and not nothing. */
export function classProblem(role: Role | null, className: string | undefined): 'class_required' | 'vague_class' | null {
  if (!role || role.shortname !== 'student') return null;
  if (!className) return 'class_required';
  return /^(groep|klas|class|year|grade)?\s*\d+$/i.test(className.trim()) ? 'vague_class' : null;
}
