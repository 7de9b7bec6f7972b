<?php
// This file is part of Intake, bulk user import for Moodle. GNU GPL v3 or later.

namespace local_intake;

/**
 * What Intake's server learns from Moodle (the address, kept in config_plugins where Intake reads it) and
 * the roles the plugin provides.
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class site {
    /** Short name of the supervisor role (Intake's INTAKE_MENTOR_ROLE default). */
    const SUPERVISOR_ROLE = 'mentor';
    /** Short name of the test coordinator role (Intake's INTAKE_COORDINATOR_ROLE default). */
    const COORDINATOR_ROLE = 'coordinator';

    /** Capabilities Moodle's docs give a "Parent" role, in the user context of the people supervised. */
    const SUPERVISOR_CAPABILITIES = [
        'moodle/user:viewdetails',
        'moodle/user:readuserposts',
        'moodle/user:readuserblogs',
        'moodle/user:viewuseractivitiesreport',
        'moodle/user:editprofile',
    ];

    /** What a coordinator does in their categories: import, undo, and see and fill the groups there. */
    const COORDINATOR_CAPABILITIES = [
        'local/intake:import',
        'local/intake:undo',
        'moodle/cohort:view',
        'moodle/cohort:manage',
        'moodle/cohort:assign',
        'moodle/category:viewcourselist',
    ];

    /**
     * What Intake cannot read from the database, stored where it reads it (config_plugins): wwwroot, which
     * lives only in config.php (Intake's mails link to it), and the installed language packs, which live in
     * the code and moodledata (Intake refuses a language the site lacks, as Moodle's own upload does).
     */
    public static function remember_site(): void {
        global $CFG;
        $langs = implode(',', array_keys(get_string_manager()->get_list_of_translations(true)));
        foreach (['wwwroot' => $CFG->wwwroot, 'langs' => $langs] as $name => $value) {
            if (get_config('local_intake', $name) !== $value) {
                set_config($name, $value, 'local_intake');
            }
        }
    }

    /**
     * Creates the supervisor and coordinator roles when the site has none of these names, as an admin
     * would through Define roles (create_role(), set_role_contextlevels(), assign_capability()).
     */
    public static function ensure_roles(): void {
        global $DB;
        $system = \context_system::instance();
        if (!$DB->record_exists('role', ['shortname' => self::SUPERVISOR_ROLE])) {
            $id = create_role(get_string('role:supervisor', 'local_intake'), self::SUPERVISOR_ROLE,
                get_string('role:supervisor_desc', 'local_intake'), '');
            set_role_contextlevels($id, [CONTEXT_USER]);
            foreach (self::SUPERVISOR_CAPABILITIES as $capability) {
                if (get_capability_info($capability)) {
                    assign_capability($capability, CAP_ALLOW, $id, $system->id, true);
                }
            }
        }
        if (!$DB->record_exists('role', ['shortname' => self::COORDINATOR_ROLE])) {
            $id = create_role(get_string('role:coordinator', 'local_intake'), self::COORDINATOR_ROLE,
                get_string('role:coordinator_desc', 'local_intake'), '');
            set_role_contextlevels($id, [CONTEXT_COURSECAT]);
            foreach (self::COORDINATOR_CAPABILITIES as $capability) {
                if (get_capability_info($capability)) {
                    assign_capability($capability, CAP_ALLOW, $id, $system->id, true);
                }
            }
            // Managers hand out the coordinator role; coordinators hand out student and supervisor.
            if ($manager = $DB->get_record('role', ['shortname' => 'manager'])) {
                core_role_set_assign_allowed($manager->id, $id);
            }
            foreach (['student', self::SUPERVISOR_ROLE] as $shortname) {
                if ($role = $DB->get_record('role', ['shortname' => $shortname])) {
                    core_role_set_assign_allowed($id, $role->id);
                }
            }
        }
    }
}
