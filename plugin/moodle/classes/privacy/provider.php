<?php
// This file is part of Intake, bulk user import for Moodle. GNU GPL v3 or later.

namespace local_intake\privacy;

use core_privacy\local\metadata\collection;
use core_privacy\local\request\approved_contextlist;
use core_privacy\local\request\approved_userlist;
use core_privacy\local\request\contextlist;
use core_privacy\local\request\userlist;
use core_privacy\local\request\writer;

/**
 * Intake keeps personal data in its own tables (intake_*, beside Moodle's, written by Intake's server):
 * who ran which import, each row's outcome, the feeds that brought a user in, validity, group
 * supervision, invitations and sealed logins waiting to be told. All of it belongs to the system context.
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class provider implements
    \core_privacy\local\metadata\provider,
    \core_privacy\local\request\core_userlist_provider,
    \core_privacy\local\request\plugin\provider {

    /** Intake's tables that name a user, and the columns that do. */
    const USER_COLUMNS = [
        'intake_import' => ['created_by', 'undone_by'],
        'intake_row' => ['user_id'],
        'intake_source_user' => ['user_id'],
        'intake_validity' => ['user_id'],
        'intake_group_supervisor' => ['user_id'],
        'intake_invite' => ['user_id'],
        'intake_pending_login' => ['user_id'],
        'intake_outbox' => ['recipient_user_id'],
    ];

    public static function get_metadata(collection $collection): collection {
        $collection->add_external_location_link('intake', [
            'username' => 'privacy:metadata:intake:username',
            'firstname' => 'privacy:metadata:intake:firstname',
            'lastname' => 'privacy:metadata:intake:lastname',
            'email' => 'privacy:metadata:intake:email',
            'idnumber' => 'privacy:metadata:intake:idnumber',
            'password' => 'privacy:metadata:intake:password',
        ], 'privacy:metadata:intake');
        return $collection;
    }

    public static function get_contexts_for_userid(int $userid): contextlist {
        $contextlist = new contextlist();
        if (self::holds($userid)) {
            $contextlist->add_system_context();
        }
        return $contextlist;
    }

    public static function get_users_in_context(userlist $userlist) {
        if (!$userlist->get_context() instanceof \context_system) {
            return;
        }
        foreach (self::existing_columns() as [$table, $column]) {
            $userlist->add_from_sql($column, "SELECT $column FROM $table WHERE $column IS NOT NULL", []);
        }
    }

    public static function export_user_data(approved_contextlist $contextlist) {
        global $DB;
        $userid = (int) $contextlist->get_user()->id;
        foreach ($contextlist->get_contexts() as $context) {
            if (!$context instanceof \context_system) {
                continue;
            }
            $tables = [];
            foreach (self::existing_columns() as [$table, $column]) {
                $tables[$table][] = $column;
            }
            $data = [];
            if (isset($tables['intake_import'])) {
                $data['imports'] = array_values($DB->get_records_sql(
                    'SELECT public_id, source, file_name, status, created_at, finished_at FROM intake_import WHERE created_by = ?', [$userid]));
            }
            if (in_array('undone_by', $tables['intake_import'] ?? [])) {
                $data['undone'] = array_values($DB->get_records_sql(
                    'SELECT public_id, source, file_name, finished_at FROM intake_import WHERE undone_by = ?', [$userid]));
            }
            if (isset($tables['intake_row'])) {
                $data['rows'] = array_values($DB->get_records_sql(
                    'SELECT CONCAT(i.public_id, \':\', r.line) AS id, i.public_id AS import, r.line, r.outcome, r.username
                       FROM intake_row r JOIN intake_import i ON i.id = r.import_id WHERE r.user_id = ?', [$userid]));
            }
            foreach (['intake_source_user' => 'source, import_id', 'intake_validity' => 'valid_from, valid_until',
                    'intake_group_supervisor' => 'cohort_id, import_id'] as $table => $columns) {
                if (isset($tables[$table])) {
                    $data[$table] = array_values($DB->get_records_sql(
                        "SELECT $columns FROM $table WHERE user_id = ?", [$userid]));
                }
            }
            writer::with_context($context)->export_data([get_string('pluginname', 'local_intake')], (object) $data);
        }
    }

    public static function delete_data_for_all_users_in_context(\context $context) {
        if ($context instanceof \context_system) {
            self::forget(null);
        }
    }

    public static function delete_data_for_user(approved_contextlist $contextlist) {
        foreach ($contextlist->get_contexts() as $context) {
            if ($context instanceof \context_system) {
                self::forget([(int) $contextlist->get_user()->id]);
            }
        }
    }

    public static function delete_data_for_users(approved_userlist $userlist) {
        if ($userlist->get_context() instanceof \context_system) {
            self::forget(array_map('intval', $userlist->get_userids()));
        }
    }

    /**
     * Removes what Intake holds about these users (all users when null). An import record stays for the
     * site's audit, without the person who ran or undid it.
     *
     * @param int[]|null $userids
     */
    private static function forget(?array $userids): void {
        global $DB;
        foreach (self::existing_columns() as [$table, $column]) {
            if ($userids === null) {
                $sql = $table === 'intake_import' ? "UPDATE $table SET $column = 0" : "DELETE FROM $table";
                $DB->execute($sql);
                continue;
            }
            foreach (array_chunk($userids, 500) as $chunk) {
                [$in, $params] = $DB->get_in_or_equal($chunk);
                $sql = $table === 'intake_import' ? "UPDATE $table SET $column = 0 WHERE $column $in" : "DELETE FROM $table WHERE $column $in";
                $DB->execute($sql, $params);
            }
        }
    }

    /** Whether any of Intake's tables names this user. */
    private static function holds(int $userid): bool {
        global $DB;
        foreach (self::existing_columns() as [$table, $column]) {
            if ($DB->record_exists_sql("SELECT 1 FROM $table WHERE $column = ?", [$userid])) {
                return true;
            }
        }
        return false;
    }

    /**
     * The [table, column] pairs of USER_COLUMNS the site has: Intake's server makes and migrates its tables,
     * so a site may not have them, or a newer column, yet.
     */
    private static function existing_columns(): array {
        global $DB;
        $present = array_flip(array_map('strtolower', $DB->get_fieldset_sql("SELECT CONCAT(table_name, '.', column_name)
            FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name LIKE 'intake\\_%'")));
        $pairs = [];
        foreach (self::USER_COLUMNS as $table => $columns) {
            foreach ($columns as $column) {
                if (isset($present["$table.$column"])) {
                    $pairs[] = [$table, $column];
                }
            }
        }
        return $pairs;
    }
}
