<?php
// This file is part of Intake, bulk user import for Moodle. GNU GPL v3 or later.

namespace local_intake;

/**
 * Moodle keeps its category tree in an application cache with no expiry (`coursecattree`), cleared only
 * by Moodle code. Intake's server, which writes straight into the database, flags in config_plugins, in
 * the same transaction, that it created or removed categories; the first Moodle request or CLI script
 * after that (local_intake_after_config()) does what core_course_category::create() does after a new
 * category, so Moodle lists it at once rather than after cron has run the replay task.
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class category_cache {
    /** The flag's name in config_plugins; its value is the time Intake set it and a random part. */
    const FLAG = 'categoriesdirty';

    /**
     * Refreshes the category tree when Intake flagged a change: one indexed read per request otherwise.
     * Read from the table, not get_config(): Moodle caches config, and Intake's write does not clear that.
     */
    public static function refresh_if_flagged(): void {
        global $CFG, $DB;
        if (during_initial_install() || !empty($CFG->upgraderunning)) {
            return;
        }
        $flag = $DB->get_field('config_plugins', 'value', ['plugin' => 'local_intake', 'name' => self::FLAG]);
        if ($flag === false) {
            return;
        }
        // As core_course_category::create() leaves it: the sort order fixed, the cached tree purged.
        fix_course_sortorder();
        \cache_helper::purge_by_event('changesincoursecat');
        // Only the flag read here goes: one an import set meanwhile stays for the next request.
        $DB->delete_records_select('config_plugins', 'plugin = :plugin AND name = :name AND ' . $DB->sql_compare_text('value') . ' = :value',
            ['plugin' => 'local_intake', 'name' => self::FLAG, 'value' => $flag]);
    }
}
