<?php
// This file is part of Intake, bulk user import for Moodle. GNU GPL v3 or later.

/**
 * A fresh token for the wizard of the logged-in user (tokens live 15 minutes; imports take longer).
 * Intake checks on every request what the user may do; this only says who they are.
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

define('AJAX_SCRIPT', true);
require(__DIR__ . '/../../config.php');

require_login(null, false);
require_sesskey();
header('Content-Type: application/json; charset=utf-8');
header('Cache-Control: no-store');
echo json_encode(['token' => \local_intake\token::mint()]);
