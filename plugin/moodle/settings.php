<?php
// This file is part of Intake, bulk user import for Moodle. GNU GPL v3 or later.

/**
 * Site administration: the import page under Users → Accounts, and the plugin's settings (Intake server
 * address, shared secret, and the last health check).
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$ADMIN->add('accounts', new admin_externalpage('local_intake_import', get_string('importusers', 'local_intake'),
    new moodle_url('/local/intake/index.php'), 'local/intake:import'));

if ($hassiteconfig) {
    $settings = new admin_settingpage('local_intake', get_string('pluginname', 'local_intake'));
    $ADMIN->add('localplugins', $settings);
    if ($ADMIN->fulltree) {
        $settings->add(new admin_setting_heading('local_intake/health', get_string('health', 'local_intake'),
            \local_intake\health::describe()));
        $settings->add(new admin_setting_configtext('local_intake/serverurl', get_string('serverurl', 'local_intake'),
            get_string('serverurl_desc', 'local_intake'), '', PARAM_URL));
        $settings->add(new admin_setting_configpasswordunmask('local_intake/secret', get_string('secret', 'local_intake'),
            get_string('secret_desc', 'local_intake'), ''));
    }
}
