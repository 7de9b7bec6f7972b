<?php
// This file is part of Intake, bulk user import for Moodle. GNU GPL v3 or later.

/**
 * The import page: Intake's wizard, with a token Moodle mints for the logged-in user. Site-wide from Site
 * administration → Users → Accounts, or for one category from its menu (a coordinator's place).
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

require(__DIR__ . '/../../config.php');
require_once($CFG->libdir . '/adminlib.php');

$categoryid = optional_param('category', 0, PARAM_INT);
if ($categoryid) {
    require_login();
    $context = context_coursecat::instance($categoryid);
    require_capability('local/intake:import', $context);
    $category = core_course_category::get($categoryid);
    $PAGE->set_context($context);
    $PAGE->set_url(new moodle_url('/local/intake/index.php', ['category' => $categoryid]));
    $PAGE->set_pagelayout('admin');
    $PAGE->set_title(get_string('importusers', 'local_intake'));
    $PAGE->set_heading($category->get_formatted_name());
} else {
    admin_externalpage_setup('local_intake_import');
}
\local_intake\site::remember_site();

$serverurl = rtrim((string) get_config('local_intake', 'serverurl'), '/');
echo $OUTPUT->header();
echo $OUTPUT->heading(get_string('importusers', 'local_intake'));
if ($serverurl === '' || (string) get_config('local_intake', 'secret') === '') {
    echo $OUTPUT->notification(get_string('notconfigured', 'local_intake'), \core\output\notification::NOTIFY_WARNING);
} else {
    echo html_writer::tag('script', '', ['type' => 'module', 'src' => $serverurl . '/intake/intake.js']);
    // Shown only where the wizard never loads (its script comes from the Intake server): once it has, its
    // own page takes the element's place. styles.css keeps this hidden for the first seconds of loading.
    $unreachable = html_writer::div(get_string('unreachable', 'local_intake', s($serverurl)), 'local-intake-unreachable alert alert-warning');
    echo html_writer::tag('intake-import-wizard', $unreachable, [
        'api-base' => $serverurl . '/api',
        'token' => \local_intake\token::mint(),
        'token-url' => (new moodle_url('/local/intake/token.php', ['sesskey' => sesskey()]))->out(false),
        'lang' => current_language(),
    ]);
}
echo $OUTPUT->footer();
