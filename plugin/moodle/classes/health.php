<?php
// This file is part of Intake, bulk user import for Moodle. GNU GPL v3 or later.

namespace local_intake;

/**
 * Whether the Intake server answers and accepts this site's tokens: checked by a scheduled task and shown
 * on the plugin's settings page, so a wrong address or secret shows before an admin tries an import.
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class health {
    /**
     * Asks Intake's /health with a token of the main admin and stores the answer.
     *
     * @return \stdClass {ok, message, time}
     */
    public static function check(): \stdClass {
        global $CFG;
        require_once($CFG->libdir . '/filelib.php');
        $serverurl = rtrim((string) get_config('local_intake', 'serverurl'), '/');
        $result = (object) ['ok' => false, 'message' => '', 'time' => time()];
        if ($serverurl === '' || (string) get_config('local_intake', 'secret') === '') {
            $result->message = get_string('notconfigured', 'local_intake');
        } else {
            // The admin chose this address; Moodle's default blocklist (which names 127.0.0.0/8) does not apply.
            $curl = new \curl(['ignoresecurity' => true]);
            $curl->setHeader(['Authorization: Bearer ' . token::mint((int) get_admin()->id)]);
            $body = $curl->get($serverurl . '/health', [], ['CURLOPT_TIMEOUT' => 10, 'CURLOPT_CONNECTTIMEOUT' => 5]);
            $status = (int) ($curl->get_info()['http_code'] ?? 0);
            $answer = json_decode((string) $body);
            if ($curl->get_errno()) {
                $result->message = get_string('health:unreachable', 'local_intake', $curl->error);
            } else if ($status === 401) {
                $result->message = get_string('health:secret', 'local_intake');
            } else if ($status !== 200 || empty($answer->ok)) {
                $result->message = get_string('health:status', 'local_intake', $status);
            } else {
                $result->ok = true;
                $result->message = get_string('health:ok', 'local_intake', s($answer->version ?? ''));
            }
        }
        set_config('health', json_encode($result), 'local_intake');
        return $result;
    }

    /** The last check, for the settings page. */
    public static function describe(): string {
        $last = json_decode((string) get_config('local_intake', 'health'));
        if (!$last) {
            return get_string('health:never', 'local_intake');
        }
        $when = userdate($last->time);
        return ($last->ok ? '✔ ' : '✘ ') . s($last->message) . ' (' . $when . ')';
    }
}
