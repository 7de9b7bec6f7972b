/** A host role. */
export interface Role {
  id: number;
  shortname: string;
  name: string;
  archetype: string;
}

/** How schools write roles in their files, per language, and the host role each means. */
const spoken: Record<string, string[]> = {
  student: ['student', 'students', 'pupil', 'learner', 'leerling', 'leerlingen', 'scholier', 'elev', 'elever', 'oppilas', 'opiskelija', 'schüler', 'schueler', 'schülerin', 'élève', 'eleve', 'étudiant', 'etudiant'],
  teacher: ['teacher', 'teachers', 'docent', 'docenten', 'leraar', 'lerares', 'leerkracht', 'lärare', 'opettaja', 'lehrer', 'lehrerin', 'lehrkraft', 'enseignant', 'enseignante', 'professeur'],
  candidate: ['candidate', 'candidates', 'kandidaat', 'kandidaten', 'kandidat', 'kandidaatti', 'candidat', 'examinee'],
};

/** The roles of the site (loaded by host/read/roles.ts), and what a value in a file or the settings means among them. */
export class RoleDirectory {
  private readonly byShortname: Map<string, Role>;

  constructor(readonly roles: Role[]) {
    this.byShortname = new Map(roles.map((r) => [r.shortname.toLowerCase(), r]));
  }

  byShort(shortname: string): Role | undefined {
    return this.byShortname.get(shortname.toLowerCase());
  }

  /** A teacher is the host's role of the editing-teacher archetype (shortname `editingteacher` on a stock site). */
  private teacher(): Role | undefined {
    return this.byShort('editingteacher') ?? this.roles.find((r) => r.archetype === 'editingteacher');
  }

  /**
   * The host role a value names: a role's short name or name, or a word for student, teacher or
   * candidate in one of the supported languages.
   */
  resolve(value: string): Role | undefined {
    const wanted = value.trim().toLowerCase();
    const direct = this.byShort(wanted) ?? this.roles.find((r) => r.name.toLowerCase() === wanted);
    if (direct) return direct;
    if (spoken.student!.includes(wanted)) return this.byShort('student') ?? this.roles.find((r) => r.archetype === 'student');
    if (spoken.teacher!.includes(wanted)) return this.teacher();
    if (spoken.candidate!.includes(wanted)) return this.byShort('candidate') ?? this.byShort('student');
    return undefined;
  }
}

/** A student role needs a specific class: "9A", not "9" (a year, not a class) and not nothing. */
export function classProblem(role: Role | null, className: string | undefined): 'class_required' | 'vague_class' | null {
  if (!role || role.shortname !== 'student') return null;
  if (!className) return 'class_required';
  return /^(groep|klas|class|year|grade)?\s*\d+$/i.test(className.trim()) ? 'vague_class' : null;
}
