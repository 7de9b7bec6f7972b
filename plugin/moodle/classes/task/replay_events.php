<?php
// This file is part of Intake, bulk user import for Moodle. GNU GPL v3 or later.

namespace local_intake\task;

use core\event\cohort_created;
use core\event\cohort_deleted;
use core\event\cohort_member_added;
use core\event\cohort_member_removed;
use core\event\course_category_created;
use core\event\group_created;
use core\event\group_deleted;
use core\event\group_member_added;
use core\event\group_member_removed;
use core\event\role_assigned;
use core\event\role_unassigned;
use core\event\user_created;
use core\event\user_enrolment_created;
use core\event\user_enrolment_deleted;
use core\event\user_enrolment_updated;
use core\event\user_updated;

/**
 * Moodle's own side effects of what Intake's server wrote, run by Moodle's task runner in the background:
 * the events Moodle's own code would have triggered (so the log, cohort sync enrolment and every other
 * observer see the import), the category cache purge, the category sort order, and delete_user() for
 * accounts an undo removes. Intake decides what changed; this only tells Moodle.
 *
 * Custom data, as Intake's server queues it:
 *  - importid: replay the change log of this import (intake_change), as written by a commit;
 *  - events: explicit events of what an undo or the validity sweep removed or changed (those rows are gone);
 *  - deleteusers: accounts an undo removes, deleted through delete_user();
 *  - interests: accounts' interests an undo puts back (a commit's are in its change log), set by useredit_update_interests();
 *  - categories: categories were created or removed (purge `changesincoursecat`, fix the sort order);
 *  - courses: enrolments, course groups or their members changed (purge Moodle's caches of them).
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class replay_events extends \core\task\adhoc_task {
    /** @var array<int, \stdClass> cohorts by id, read once per task */
    private $cohorts = [];

    /** @var array<int, \stdClass> course groups by id, read once per task */
    private $groups = [];

    /** @var array<int, \stdClass> enrolment methods by id, read once per task */
    private $enrolmethods = [];

    public function get_name() {
        return get_string('task:replay', 'local_intake');
    }

    public function execute() {
        global $CFG;
        require_once($CFG->dirroot . '/user/lib.php');
        $data = (object) $this->get_custom_data();
        $categories = !empty($data->categories);
        $courses = !empty($data->courses);
        if (!empty($data->importid)) {
            [$madecategories, $changedcourses] = $this->replay_change_log((int) $data->importid);
            $categories = $categories || $madecategories;
            $courses = $courses || $changedcourses;
        }
        foreach ($data->events ?? [] as $event) {
            $this->trigger((object) $event);
        }
        foreach ($data->deleteusers ?? [] as $userid) {
            $this->delete_user((int) $userid);
        }
        foreach ($data->interests ?? [] as $interests) {
            $this->set_interests((int) $interests->userid, $interests->tags);
        }
        if ($categories) {
            // As core_course_category::create() and delete_full() leave it: sort order fixed, cache purged.
            fix_course_sortorder();
            \cache_helper::purge_by_event('changesincoursecat');
        }
        if ($courses) {
            \local_intake\cache_refresh::purge_course_caches();
        }
    }

    /**
     * The events of one committed import, from its change log. Returns whether it created categories, and
     * whether it changed enrolments or course groups.
     *
     * @return bool[]
     */
    private function replay_change_log(int $importid): array {
        global $DB;
        $categories = false;
        $courses = false;
        $changes = $DB->get_recordset_sql(
            'SELECT id, table_name, row_id, action, `before` FROM intake_change WHERE import_id = ? ORDER BY id', [$importid]);
        foreach ($changes as $change) {
            $before = $change->before === null ? null : json_decode($change->before);
            // A consecutive block of inserted ids is logged once, with its last id.
            $through = ($change->action === 'insert' && isset($before->through)) ? (int) $before->through : (int) $change->row_id;
            $ids = range((int) $change->row_id, $through);
            switch ($change->table_name . ':' . $change->action) {
                case 'course_categories:insert':
                    foreach ($ids as $id) {
                        if ($DB->record_exists('course_categories', ['id' => $id])) {
                            course_category_created::create(['objectid' => $id, 'context' => \context_coursecat::instance($id)])->trigger();
                            $categories = true;
                        }
                    }
                    break;
                case 'cohort:insert':
                    foreach ($DB->get_records_list('cohort', 'id', $ids) as $cohort) {
                        $this->cohorts[$cohort->id] = $cohort;
                        $event = cohort_created::create(['context' => \context::instance_by_id($cohort->contextid), 'objectid' => $cohort->id]);
                        $event->add_record_snapshot('cohort', $cohort);
                        $event->trigger();
                    }
                    break;
                case 'cohort_members:insert':
                    foreach (array_chunk($ids, 1000) as $chunk) {
                        foreach ($DB->get_records_list('cohort_members', 'id', $chunk, 'id') as $member) {
                            $this->trigger((object) ['e' => 'cohort_member_added', 'cohortid' => $member->cohortid, 'userid' => $member->userid]);
                        }
                    }
                    break;
                case 'cohort_members:delete':
                    $this->trigger((object) ['e' => 'cohort_member_removed', 'cohortid' => $before->cohortid, 'userid' => $before->userid]);
                    break;
                case 'role_assignments:insert':
                    foreach (array_chunk($ids, 1000) as $chunk) {
                        foreach ($DB->get_records_list('role_assignments', 'id', $chunk, 'id') as $ra) {
                            $this->trigger((object) (['e' => 'role_assigned'] + (array) $ra));
                        }
                    }
                    break;
                case 'role_assignments:delete':
                    $this->trigger((object) (['e' => 'role_unassigned', 'id' => $change->row_id] + (array) $before));
                    break;
                case 'user:insert':
                    foreach ($ids as $id) {
                        if ($DB->record_exists('user', ['id' => $id, 'deleted' => 0])) {
                            user_created::create_from_userid($id)->trigger();
                        }
                    }
                    break;
                case 'user_enrolments:insert':
                    foreach (array_chunk($ids, 1000) as $chunk) {
                        foreach ($DB->get_records_list('user_enrolments', 'id', $chunk, 'id') as $ue) {
                            $this->user_enrolment_created($ue);
                            $courses = true;
                        }
                    }
                    break;
                case 'user_enrolments:update':
                    $this->trigger((object) ['e' => 'user_enrolment_updated', 'id' => $change->row_id]);
                    $courses = true;
                    break;
                case 'groups:insert':
                    foreach ($DB->get_records_list('groups', 'id', $ids) as $group) {
                        // As groups_create_group() triggers it.
                        $this->groups[$group->id] = $group;
                        $event = group_created::create(['context' => \context_course::instance($group->courseid), 'objectid' => $group->id]);
                        $event->add_record_snapshot('groups', $group);
                        $event->trigger();
                        $courses = true;
                    }
                    break;
                case 'groups_members:insert':
                    foreach (array_chunk($ids, 1000) as $chunk) {
                        foreach ($DB->get_records_list('groups_members', 'id', $chunk, 'id') as $member) {
                            $this->group_member_added($member);
                            $courses = true;
                        }
                    }
                    break;
                case 'user:update':
                    if ($DB->record_exists('user', ['id' => $change->row_id, 'deleted' => 0])) {
                        user_updated::create_from_userid($change->row_id)->trigger();
                    }
                    break;
                case 'interests:update':
                    $this->set_interests((int) $change->row_id, $before->set ?? []);
                    break;
            }
        }
        $changes->close();
        return [$categories, $courses];
    }

    /** An enrolment method by id, read once per task (false: gone). */
    private function enrol_method(int $id) {
        global $DB;
        return $this->enrolmethods[$id] ?? ($this->enrolmethods[$id] = $DB->get_record('enrol', ['id' => $id]));
    }

    /** As enrol_plugin::enrol_user() tells a new enrolment: its event, and the course contacts it may change. */
    private function user_enrolment_created(\stdClass $ue): void {
        $method = $this->enrol_method($ue->enrolid);
        if (!$method) {
            return;
        }
        user_enrolment_created::create(['objectid' => $ue->id, 'courseid' => $method->courseid, 'context' => \context_course::instance($method->courseid),
            'relateduserid' => $ue->userid, 'other' => ['enrol' => $method->enrol]])->trigger();
        \core_course_category::user_enrolment_changed($method->courseid, $ue->userid, $ue->status, $ue->timestart, $ue->timeend);
    }

    /** As groups_add_member() triggers it. */
    private function group_member_added(\stdClass $member): void {
        global $DB;
        $group = $this->groups[$member->groupid] ?? ($this->groups[$member->groupid] = $DB->get_record('groups', ['id' => $member->groupid]));
        if (!$group) {
            return;
        }
        $event = group_member_added::create(['context' => \context_course::instance($group->courseid), 'objectid' => $group->id,
            'relateduserid' => $member->userid, 'other' => ['component' => $member->component, 'itemid' => $member->itemid]]);
        $event->add_record_snapshot('groups', $group);
        $event->trigger();
    }

    /**
     * One event, as the Moodle function that makes the change triggers it (cohort_add_member(),
     * cohort_remove_member(), cohort_delete_cohort(), role_assign(), role_unassign(), user_update_user(),
     * groups_remove_member(), groups_delete_group(), enrol_plugin::update_user_enrol() and unenrol_user()).
     */
    private function trigger(\stdClass $e): void {
        global $DB;
        switch ($e->e) {
            case 'cohort_member_added':
            case 'cohort_member_removed':
                $cohort = $this->cohorts[$e->cohortid] ?? ($this->cohorts[$e->cohortid] = $DB->get_record('cohort', ['id' => $e->cohortid]));
                if (!$cohort) {
                    return;
                }
                $class = $e->e === 'cohort_member_added' ? cohort_member_added::class : cohort_member_removed::class;
                $event = $class::create(['context' => \context::instance_by_id($cohort->contextid), 'objectid' => $cohort->id,
                    'relateduserid' => $e->userid]);
                $event->add_record_snapshot('cohort', $cohort);
                $event->trigger();
                return;
            case 'role_assigned':
            case 'role_unassigned':
                $context = \context::instance_by_id($e->contextid, IGNORE_MISSING);
                if (!$context) {
                    return;
                }
                $class = $e->e === 'role_assigned' ? role_assigned::class : role_unassigned::class;
                $event = $class::create(['context' => $context, 'objectid' => $e->roleid, 'relateduserid' => $e->userid,
                    'other' => ['id' => $e->id, 'component' => $e->component ?? '', 'itemid' => $e->itemid ?? 0]]);
                $event->add_record_snapshot('role_assignments', (object) ['id' => $e->id, 'contextid' => $e->contextid,
                    'roleid' => $e->roleid, 'userid' => $e->userid, 'component' => $e->component ?? '', 'itemid' => $e->itemid ?? 0]);
                $event->trigger();
                return;
            case 'cohort_deleted':
                // As cohort_delete_cohort(): the record as it was, in the context it was in.
                $cohort = (object) $e->cohort;
                $context = \context::instance_by_id($cohort->contextid, IGNORE_MISSING);
                if ($context) {
                    $event = cohort_deleted::create(['context' => $context, 'objectid' => $cohort->id]);
                    $event->add_record_snapshot('cohort', $cohort);
                    $event->trigger();
                }
                return;
            case 'user_enrolment_updated':
                // As enrol_plugin::update_user_enrol() triggers it.
                $ue = $DB->get_record('user_enrolments', ['id' => $e->id]);
                $method = $ue ? $this->enrol_method($ue->enrolid) : false;
                if ($method) {
                    user_enrolment_updated::create(['objectid' => $ue->id, 'courseid' => $method->courseid,
                        'context' => \context_course::instance($method->courseid), 'relateduserid' => $ue->userid,
                        'other' => ['enrol' => $method->enrol]])->trigger();
                }
                return;
            case 'group_member_removed':
                // As groups_remove_member() triggers it; the group may be gone with the same undo.
                $context = \context_course::instance($e->courseid, IGNORE_MISSING);
                if ($context) {
                    group_member_removed::create(['context' => $context, 'objectid' => $e->groupid, 'relateduserid' => $e->userid])->trigger();
                }
                return;
            case 'group_deleted':
                // As groups_delete_group() triggers it: the record as it was.
                $group = (object) $e->group;
                $context = \context_course::instance($group->courseid, IGNORE_MISSING);
                if ($context) {
                    $event = group_deleted::create(['context' => $context, 'objectid' => $group->id]);
                    $event->add_record_snapshot('groups', $group);
                    $event->trigger();
                }
                return;
            case 'user_enrolment_deleted':
                // As enrol_plugin::unenrol_user() triggers it.
                $context = \context_course::instance($e->courseid, IGNORE_MISSING);
                if ($context) {
                    $ue = (array) $e->ue;
                    user_enrolment_deleted::create(['courseid' => $e->courseid, 'context' => $context, 'relateduserid' => $ue['userid'],
                        'objectid' => $ue['id'], 'other' => ['userenrolment' => $ue + ['courseid' => $e->courseid, 'enrol' => $e->enrol, 'lastenrol' => false],
                        'enrol' => $e->enrol]])->trigger();
                }
                return;
            case 'user_updated':
                if ($DB->record_exists('user', ['id' => $e->userid, 'deleted' => 0])) {
                    user_updated::create_from_userid($e->userid)->trigger();
                }
                return;
        }
    }

    /** An account an undo removed: Moodle's delete_user() cleans up after it and triggers user_deleted. */
    private function delete_user(int $userid): void {
        global $DB;
        if ($user = $DB->get_record('user', ['id' => $userid, 'deleted' => 0])) {
            delete_user($user);
        }
    }

    /**
     * An account's interests, as Moodle's upload sets them (tool_uploaduser: useredit_update_interests(),
     * core_tag_tag::set_item_tags() with its tag events); an undo's list may be empty: no tags.
     *
     * @param string[] $tags
     */
    private function set_interests(int $userid, array $tags): void {
        global $CFG, $DB;
        require_once($CFG->dirroot . '/user/editlib.php');
        if ($user = $DB->get_record('user', ['id' => $userid, 'deleted' => 0])) {
            useredit_update_interests($user, $tags);
        }
    }
}
