<?php
// This file is part of Intake, bulk user import for Moodle. GNU GPL v3 or later.

/**
 * What Intake needs and a stock Moodle lacks: a supervisor role (Moodle's documented "Parent" pattern,
 * assigned in a pupil's user context) and a test coordinator role (assigned in a category, holding
 * local/intake:import there). Existing roles of these short names are left as the site made them.
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

/**
 * Installs the roles and remembers the site's address for Intake's mails.
 *
 * @return bool
 */
function xmldb_local_intake_install() {
    // Moodle runs this before it reads db/access.php; the coordinator role needs the capabilities now.
    update_capabilities('local_intake');
    \local_intake\site::ensure_roles();
    \local_intake\site::remember_site();
    return true;
}
