<?php
// This file is part of Intake, bulk user import for Moodle. GNU GPL v3 or later.

namespace local_intake;

use Firebase\JWT\JWT;

/**
 * Tokens for Intake's API: a standard JWT (HS256) naming the Moodle user, signed with the shared secret by
 * the JWT library Moodle ships (lib/php-jwt).
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class token {
    /** Seconds a token lives; Intake refuses any that claims more than an hour. */
    const LIFETIME = 900;

    /**
     * @param int|null $userid the user the token names (default: the logged-in user)
     * @return string
     */
    public static function mint(?int $userid = null): string {
        global $USER, $CFG;
        $now = time();
        return JWT::encode([
            'sub' => (string) ($userid ?? $USER->id),
            'iss' => $CFG->wwwroot,
            'iat' => $now,
            'exp' => $now + self::LIFETIME,
        ], (string) get_config('local_intake', 'secret'), 'HS256');
    }
}
