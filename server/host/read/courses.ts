import type { Pool } from 'mysql2/promise';
import { CONTEXT_COURSE } from '../../../db/host/index.js';
import { CourseIndex, courseGroupKey, type Course, type CourseGroup } from '../../core/plan/courses.js';
import { queryRows } from '../database.js';
import { T } from '../tables.js';

/**
 * The site's courses with their manual enrolment method, read once per run of a file with course
 * columns. The site itself (course 1, in no category) is no course to enrol in: Moodle's
 * enrol_user() refuses it.
 */
export async function loadCourses(pool: Pool): Promise<CourseIndex> {
  const [courses, methods] = await Promise.all([
    queryRows<Omit<Course, 'manual'>>(
      pool,
      `SELECT c.id, c.shortname, c.category AS categoryId, x.id AS contextId FROM ${T.course} c JOIN ${T.context} x ON x.contextlevel = ${CONTEXT_COURSE} AND x.instanceid = c.id WHERE c.category <> 0`,
    ),
    // As enrol_get_instances() lists them; Moodle's upload takes the first manual one, enabled or not.
    queryRows<{ id: number; courseid: number; roleid: number | null; enrolperiod: number | null }>(pool, `SELECT id, courseid, roleid, enrolperiod FROM ${T.enrol} WHERE enrol = 'manual' ORDER BY sortorder, id`),
  ]);
  const manual = new Map<number, Course['manual']>();
  for (const m of methods) {
    if (!manual.has(Number(m.courseid))) manual.set(Number(m.courseid), { id: Number(m.id), roleId: Number(m.roleid ?? 0), periodSeconds: Number(m.enrolperiod ?? 0) });
  }
  return new CourseIndex(courses.map((c) => ({ ...c, manual: manual.get(Number(c.id)) ?? null })));
}

/**
 * The groups of these courses, by course and name (the first made where two share a name), as a batch's
 * rows may join them.
 */
export async function loadCourseGroups(pool: Pool, courseIds: number[]): Promise<Map<string, CourseGroup>> {
  const groups = new Map<string, CourseGroup>();
  if (courseIds.length === 0) return groups;
  for (const group of await queryRows<CourseGroup>(pool, `SELECT id, courseid AS courseId, name FROM ${T.courseGroups} WHERE courseid IN (?) ORDER BY id`, [courseIds])) {
    const key = courseGroupKey(group.courseId, group.name);
    if (!groups.has(key)) groups.set(key, group);
  }
  return groups;
}
