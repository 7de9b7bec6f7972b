<?php
// This file is part of Intake, bulk user import for Moodle. GNU GPL v3 or later.

/**
 * English strings.
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$string['pluginname'] = 'Intake';
$string['importusers'] = 'Import users (Intake)';
$string['intake:import'] = 'Import users with Intake';
$string['intake:undo'] = 'Undo imports made with Intake';
$string['serverurl'] = 'Intake server';
$string['serverurl_desc'] = 'The address of the Intake server as browsers reach it, e.g. https://intake.example.org. Its INTAKE_SITE_URL must be this site\'s address.';
$string['secret'] = 'Shared secret';
$string['secret_desc'] = 'The INTAKE_SECRET of the Intake server (at least 16 characters). This site signs its users\' tokens with it, and Intake its requests to tell this site at once what an import changed.';
$string['notconfigured'] = 'Intake is not set up yet: an administrator enters the Intake server\'s address and shared secret under Site administration → Plugins → Local plugins → Intake.';
$string['unreachable'] = 'The import wizard has not loaded from the Intake server at {$a}. The server is not running, or this browser cannot reach it: an administrator can check its address and the last connection check under Site administration → Plugins → Local plugins → Intake.';
$string['health'] = 'Connection to the Intake server';
$string['health:never'] = 'Not checked yet: the check runs every 15 minutes with cron.';
$string['health:ok'] = 'The Intake server answers and accepts this site\'s tokens (version {$a}).';
$string['health:unreachable'] = 'The Intake server cannot be reached: {$a}';
$string['health:secret'] = 'The Intake server refuses this site\'s tokens: the shared secret differs from its INTAKE_SECRET.';
$string['health:status'] = 'The Intake server answered with HTTP status {$a}.';
$string['task:replay'] = 'Tell Moodle what an Intake import changed (events, caches, deleted accounts)';
$string['task:health'] = 'Check the connection to the Intake server';
$string['role:supervisor'] = 'Supervisor';
$string['role:supervisor_desc'] = 'Follows the people they supervise (assigned in a user\'s context, like Moodle\'s "Parent" role). Intake assigns it to the supervisors of an import\'s groups.';
$string['role:coordinator'] = 'Test coordinator';
$string['role:coordinator_desc'] = 'Imports and manages users only inside the categories where the role is assigned.';
$string['privacy:metadata:intake'] = 'Intake, the import server this site uses, keeps a record of each import: who ran it and who undid it, each row\'s outcome, the feed that brought a user in, validity dates, group supervision and, until they are delivered, sealed credentials of new accounts.';
$string['privacy:metadata:intake:username'] = 'The username of an imported user.';
$string['privacy:metadata:intake:firstname'] = 'The first name of an imported user.';
$string['privacy:metadata:intake:lastname'] = 'The last name of an imported user.';
$string['privacy:metadata:intake:email'] = 'The e-mail address of an imported user.';
$string['privacy:metadata:intake:idnumber'] = 'The student or staff number of an imported user.';
$string['privacy:metadata:intake:password'] = 'A generated password, sealed, until it has been told to the user or their supervisor.';
