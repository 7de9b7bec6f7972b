<?php
// This file is part of Intake, bulk user import for Moodle. GNU GPL v3 or later.

/**
 * A light health check of the Intake server; the heavy work (imports, validity, mail) runs in Intake.
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$tasks = [
    [
        'classname' => '\local_intake\task\health_check',
        'blocking' => 0,
        'minute' => '*/15',
        'hour' => '*',
        'day' => '*',
        'month' => '*',
        'dayofweek' => '*',
    ],
];
