/**
 * How schools write roles in their files, per language (a role column's values, a workbook's sheet
 * names): each list means a role archetype, resolved to the host's role by RoleDirectory.
 */
export const roleWords: Record<'student' | 'teacher' | 'candidate', readonly string[]> = {
  student: ['student', 'students', 'pupil', 'pupils', 'learner', 'learners', 'leerling', 'leerlingen', 'scholier', 'scholieren', 'elev', 'elever', 'oppilas', 'oppilaat', 'opiskelija', 'opiskelijat', 'schüler', 'schueler', 'schülerin', 'élève', 'élèves', 'eleve', 'eleves', 'étudiant', 'etudiant'],
  teacher: ['teacher', 'teachers', 'docent', 'docenten', 'leraar', 'leraren', 'lerares', 'leerkracht', 'leerkrachten', 'lärare', 'opettaja', 'opettajat', 'lehrer', 'lehrerin', 'lehrkraft', 'lehrkräfte', 'enseignant', 'enseignante', 'enseignants', 'professeur', 'professeurs'],
  candidate: ['candidate', 'candidates', 'kandidaat', 'kandidaten', 'kandidat', 'kandidater', 'kandidaatti', 'kandidaatit', 'candidat', 'candidats', 'examinee', 'examinees'],
};

const allRoleWords: ReadonlySet<string> = new Set(Object.values(roleWords).flat());

/** Whether a name is a word for a role ("Lärare", "Leerlingen"), case and surrounding spaces aside. */
export const isRoleWord = (name: string): boolean => allRoleWords.has(name.trim().toLowerCase());
