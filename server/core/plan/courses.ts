/**
 * The courses rows may enrol in (a read-only index the host adapter builds when a file has course
 * columns), as Moodle's upload finds them: by short name, enrolled through their manual enrolment
 * method, placed in their groups by name.
 */

/** A course with what enrolling in it needs. */
export interface Course {
  id: number;
  shortname: string;
  contextId: number;
  /** The category it is in: a coordinator enrols only in courses of their categories. */
  categoryId: number;
  /**
   * Its manual enrolment method, the first by sort order as enrol_get_instances() lists them (null: none,
   * and Moodle's upload enrols nobody there): the role it gives by default and how long it lasts (0: no end).
   */
  manual: { id: number; roleId: number; periodSeconds: number } | null;
}

/** A group of a course. */
export interface CourseGroup {
  id: number;
  courseId: number;
  name: string;
}

/**
 * Group names are compared without regard to case or surrounding spaces, as the host's collation
 * compares them: "Section 1" and "section 1 " are one group, not two made side by side.
 */
export const courseGroupKey = (courseId: number, name: string) => `course:${courseId}#${name.trim().toLowerCase()}`;

/**
 * The site's courses by short name. Their groups are not here: a site may have hundreds of thousands;
 * each batch's snapshot holds those of the courses its rows name (BatchSnapshot.courseGroups).
 */
export class CourseIndex {
  private readonly byShortname = new Map<string, Course>();

  constructor(courses: readonly Course[]) {
    // Moodle does not make short names unique by itself in the database; its forms do. The first course keeps a name.
    for (const course of courses) {
      const key = course.shortname.trim().toLowerCase();
      if (!this.byShortname.has(key)) this.byShortname.set(key, course);
    }
  }

  /** The course of this short name (as the host's collation compares: case aside). */
  course(shortname: string): Course | undefined {
    return this.byShortname.get(shortname.trim().toLowerCase());
  }
}

/** Shared by runs of files without course columns. */
export const noCourses = new CourseIndex([]);
