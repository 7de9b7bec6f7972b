<?php
// This file is part of Intake, bulk user import for Moodle. GNU GPL v3 or later.

/**
 * Navigation: a category's menu offers "Import users (Intake)" to whoever may import there; and every
 * request refreshes Moodle's category and group caches when Intake changed them.
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

/**
 * Adds the import page to a category's settings menu (Moodle calls this for every local plugin).
 *
 * @param navigation_node $parentnode
 * @param context_coursecat $context
 */
function local_intake_extend_navigation_category_settings(navigation_node $parentnode, context_coursecat $context) {
    if (has_capability('local/intake:import', $context)) {
        $parentnode->add(get_string('importusers', 'local_intake'),
            new moodle_url('/local/intake/index.php', ['category' => $context->instanceid]),
            navigation_node::TYPE_SETTING, null, 'local_intake_import', new pix_icon('i/users', ''));
    }
}

/**
 * Moodle calls this at the end of its setup, for every page and CLI script (lib/setup.php): new categories
 * and course groups Intake wrote show in Moodle's lists from the next request on (see \local_intake\cache_refresh).
 */
function local_intake_after_config() {
    \local_intake\cache_refresh::refresh_if_flagged();
}
