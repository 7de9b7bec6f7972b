<?php
// This file is part of Intake, bulk user import for Moodle. GNU GPL v3 or later.

/**
 * Upgrades: every version makes sure of the roles and the site address again (both idempotent).
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

/**
 * @param int $oldversion
 * @return bool
 */
function xmldb_local_intake_upgrade($oldversion) {
    \local_intake\site::ensure_roles();
    \local_intake\site::remember_site();
    return true;
}
