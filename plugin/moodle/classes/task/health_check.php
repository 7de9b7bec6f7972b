<?php
// This file is part of Intake, bulk user import for Moodle. GNU GPL v3 or later.

namespace local_intake\task;

/**
 * Checks that the Intake server answers and accepts the shared secret; nothing heavy runs here.
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class health_check extends \core\task\scheduled_task {
    public function get_name() {
        return get_string('task:health', 'local_intake');
    }

    public function execute() {
        \local_intake\site::remember_site();
        $result = \local_intake\health::check();
        mtrace('Intake: ' . $result->message);
    }
}
