<?php
// This file is part of Intake, bulk user import for Moodle. GNU GPL v3 or later.

namespace local_intake;

use Firebase\JWT\JWT;
use Firebase\JWT\Key;

/**
 * The replay Intake queued, run when Intake asks (replay.php) rather than when cron next runs.
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class replay_now {
    /** The audience Intake names in the request's token: a wizard's token (no audience) is not one. */
    const AUDIENCE = 'local_intake/replay';

    /**
     * Whether the token is Intake's: signed with the shared secret, for this, not expired.
     *
     * @param string $token
     * @return bool
     */
    public static function authorised(string $token): bool {
        $secret = (string) get_config('local_intake', 'secret');
        if ($secret === '' || $token === '') {
            return false;
        }
        try {
            $claims = JWT::decode($token, new Key($secret, 'HS256'));
        } catch (\Throwable $e) {
            return false;
        }
        return ($claims->aud ?? null) === self::AUDIENCE;
    }

    /**
     * Runs the queued replay tasks that are due, each under the task's own lock as cron's runner takes it
     * (get_next_adhoc_task()), so one that cron holds is left to it; and as cron_run_inner_adhoc_task()
     * runs it, as its user (else cron's: the admin), with its failure handed back to cron to try again.
     * (cron_run_inner_adhoc_task() itself refuses to run in a web request.)
     */
    public static function run(): void {
        global $DB;
        \core_php_time_limit::raise();
        raise_memory_limit(MEMORY_HUGE);
        $locks = \core\lock\lock_config::get_lock_factory('cron');
        $due = $DB->get_records_select('task_adhoc', 'classname = ? AND nextruntime < ? AND timestarted IS NULL',
            ['\\' . task\replay_events::class, time()], 'id', 'id');
        // What the task prints (mtrace) has no reader here.
        ob_start();
        foreach ($due as $queued) {
            if (!$lock = $locks->get_lock('adhoc_' . $queued->id, 0)) {
                continue;
            }
            $record = $DB->get_record('task_adhoc', ['id' => $queued->id]);
            if (!$record) {
                $lock->release();
                continue;
            }
            $task = \core\task\manager::adhoc_task_from_record($record);
            $task->set_lock($lock);
            \core\task\manager::adhoc_task_starting($task);
            // The importer, as cron would run it; should they be gone or suspended by now, the admin
            // (cron would cancel the task, and Moodle would never hear of the import).
            $user = $task->get_userid() ? \core_user::get_user($task->get_userid()) : false;
            \core\session\manager::set_user($user && !$user->deleted && !$user->suspended ? $user : get_admin());
            try {
                $task->execute();
                \core\task\manager::adhoc_task_complete($task);
            } catch (\Throwable $e) {
                if ($DB->is_transaction_started()) {
                    $DB->force_transaction_rollback();
                }
                \core\task\manager::adhoc_task_failed($task);
            }
        }
        ob_end_clean();
    }
}
