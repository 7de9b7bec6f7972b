<?php
// This file is part of Intake, bulk user import for Moodle. GNU GPL v3 or later.

namespace local_intake\task;

use core\event\cohort_created;
use core\event\cohort_deleted;
use core\event\cohort_member_added;
use core\event\cohort_member_removed;
use core\event\course_category_created;
use core\event\role_assigned;
use core\event\role_unassigned;
use core\event\user_created;
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
 *  - categories: categories were created or removed (purge `changesincoursecat`, fix the sort order).
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class replay_events extends \core\task\adhoc_task {
    /** @var array<int, \stdClass> cohorts by id, read once per task */
    private $cohorts = [];

    public function get_name() {
        return get_string('task:replay', 'local_intake');
    }

    public function execute() {
        global $CFG;
        require_once($CFG->dirroot . '/user/lib.php');
        $data = (object) $this->get_custom_data();
        $categories = !empty($data->categories);
        if (!empty($data->importid)) {
            $categories = $this->replay_change_log((int) $data->importid) || $categories;
        }
        foreach ($data->events ?? [] as $event) {
            $this->trigger((object) $event);
        }
        foreach ($data->deleteusers ?? [] as $userid) {
            $this->delete_user((int) $userid);
        }
        if ($categories) {
            // As core_course_category::create() and delete_full() leave it: sort order fixed, cache purged.
            fix_course_sortorder();
            \cache_helper::purge_by_event('changesincoursecat');
        }
    }

    /**
     * The events of one committed import, from its change log. Returns whether it created categories.
     */
    private function replay_change_log(int $importid): bool {
        global $DB;
        $categories = false;
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
                case 'user:update':
                    if ($DB->record_exists('user', ['id' => $change->row_id, 'deleted' => 0])) {
                        user_updated::create_from_userid($change->row_id)->trigger();
                    }
                    break;
            }
        }
        $changes->close();
        return $categories;
    }

    /**
     * One event, as the Moodle function that makes the change triggers it (cohort_add_member(),
     * cohort_remove_member(), cohort_delete_cohort(), role_assign(), role_unassign(), user_update_user()).
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
}
