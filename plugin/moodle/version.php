<?php
// This file is part of Intake, bulk user import for Moodle - https://github.com/intake
//
// Intake is free software: you can redistribute it and/or modify it under the terms of the GNU General
// Public License as published by the Free Software Foundation, either version 3 of the License, or (at
// your option) any later version.

/**
 * local_intake: mounts Intake's import wizard in Moodle's admin pages and runs Moodle's own side effects
 * (events, cache purges, delete_user()) for what Intake's server wrote.
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$plugin->component = 'local_intake';
$plugin->version   = 2026120104;
$plugin->requires  = 2022112800; // Moodle 4.1.
$plugin->maturity  = MATURITY_STABLE;
$plugin->release   = '0.1.0';
