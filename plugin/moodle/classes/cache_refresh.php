<?php
// This file is part of Intake, bulk user import for Moodle. GNU GPL v3 or later.

namespace local_intake;

/**
 * Moodle keeps its category tree (`coursecattree`), each course's groups (`groupdata`, and every user's
 * `user_group_groupings`) and each course's teachers (`coursecontacts`) in application caches with no
 * expiry, cleared only by Moodle code. Intake's server, which writes straight into the database, flags
 * in config_plugins, in the same transaction, that it changed categories or enrolments and course groups;
 * the first Moodle request or CLI script after that (local_intake_after_config()) does what
 * core_course_category::create(), groups_create_group(), groups_add_member() and enrol_user() do after
 * their writes, so Moodle shows them at once rather than after cron has run the replay task.
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class cache_refresh {
    /** Flags in config_plugins; each value is the time Intake set it and a random part. */
    const CATEGORIES = 'categoriesdirty';
    const COURSES = 'coursesdirty';

    /**
     * Refreshes what Intake flagged: one indexed read per request otherwise.
     * Read from the table, not get_config(): Moodle caches config, and Intake's write does not clear that.
     */
    public static function refresh_if_flagged(): void {
        global $CFG, $DB;
        if (during_initial_install() || !empty($CFG->upgraderunning)) {
            return;
        }
        $flags = $DB->get_records_select_menu('config_plugins', 'plugin = :plugin AND name IN (:categories, :courses)',
            ['plugin' => 'local_intake', 'categories' => self::CATEGORIES, 'courses' => self::COURSES], '', 'name, value');
        if (!$flags) {
            return;
        }
        if (isset($flags[self::CATEGORIES])) {
            // As core_course_category::create() leaves it: the sort order fixed, the cached tree purged.
            fix_course_sortorder();
            \cache_helper::purge_by_event('changesincoursecat');
        }
        if (isset($flags[self::COURSES])) {
            // As groups_create_group(), groups_add_member() and core_course_category::user_enrolment_changed()
            // invalidate them, for every course and user at once.
            self::purge_course_caches();
        }
        // Only the flags read here go: one an import set meanwhile stays for the next request.
        foreach ($flags as $name => $value) {
            $DB->delete_records_select('config_plugins', 'plugin = :plugin AND name = :name AND ' . $DB->sql_compare_text('value') . ' = :value',
                ['plugin' => 'local_intake', 'name' => $name, 'value' => $value]);
        }
    }

    /** Moodle's caches of course groups, their members and course teachers, emptied. */
    public static function purge_course_caches(): void {
        \cache_helper::purge_by_definition('core', 'groupdata');
        \cache_helper::purge_by_definition('core', 'user_group_groupings');
        \cache_helper::purge_by_definition('core', 'coursecontacts');
    }
}
