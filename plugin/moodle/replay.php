<?php
// This file is part of Intake, bulk user import for Moodle. GNU GPL v3 or later.

/**
 * Runs what Intake queued for Moodle (\local_intake\task\replay_events) now instead of at the next cron
 * run, when Intake's server or command asks right after an import, an undo or a validity sweep: Reports →
 * Logs and Moodle's observers (cohort sync enrolment) see the change within seconds. The request carries
 * a JWT signed with the shared secret and names nothing: only what is queued runs, as cron runs it and
 * under the same locks, so the two never run one task twice. Cron still runs whatever this does not reach.
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

// No require_login(): no person calls this but Intake, with a token signed with the shared secret (checked below).
define('NO_MOODLE_COOKIES', true);
define('NO_OUTPUT_BUFFERING', true);
require(__DIR__ . '/../../config.php');

if (!\local_intake\replay_now::authorised(optional_param('token', '', PARAM_RAW))) {
    http_response_code(403);
    die;
}
// Answered before the work: a large import's events take a while, and the caller does not wait for them.
ignore_user_abort(true);
http_response_code(202);
header('Content-Length: 0');
header('Connection: close');
flush();
if (function_exists('fastcgi_finish_request')) {
    fastcgi_finish_request();
}
\local_intake\replay_now::run();
