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
        self::create_role_once(self::SUPERVISOR_ROLE, 'supervisor', CONTEXT_USER, self::SUPERVISOR_CAPABILITIES);
        $coordinator = self::create_role_once(self::COORDINATOR_ROLE, 'coordinator', CONTEXT_COURSECAT, self::COORDINATOR_CAPABILITIES);
        if ($coordinator) {
            // Managers hand out the coordinator role; coordinators hand out student and supervisor.
            if ($manager = $DB->get_record('role', ['shortname' => 'manager'])) {
                core_role_set_assign_allowed($manager->id, $coordinator);
            }
            foreach (['student', self::SUPERVISOR_ROLE] as $shortname) {
                if ($role = $DB->get_record('role', ['shortname' => $shortname])) {
                    core_role_set_assign_allowed($coordinator, $role->id);
                }
            }
        }
    }

    /**
     * A role with its context level and capabilities, unless the site has one of that short name.
     *
     * @return int|null the new role's id, null when it existed
     */
    private static function create_role_once(string $shortname, string $string, int $contextlevel, array $capabilities): ?int {
        global $DB;
        if ($DB->record_exists('role', ['shortname' => $shortname])) {
            return null;
        }
        $id = create_role(get_string("role:$string", 'local_intake'), $shortname, get_string("role:{$string}_desc", 'local_intake'), '');
        set_role_contextlevels($id, [$contextlevel]);
        $system = \context_system::instance();
        foreach ($capabilities as $capability) {
            if (get_capability_info($capability)) {
                assign_capability($capability, CAP_ALLOW, $id, $system->id, true);
            }
        }
        return $id;
    }
}
