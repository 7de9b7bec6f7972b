<?php
// This file is part of Intake, bulk user import for Moodle. GNU GPL v3 or later.

/**
 * Svenska texter.
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$string['pluginname'] = 'Intake';
$string['importusers'] = 'Importera användare (Intake)';
$string['intake:import'] = 'Importera användare med Intake';
$string['intake:undo'] = 'Ångra importer från Intake';
$string['serverurl'] = 'Intake-server';
$string['serverurl_desc'] = 'Intake-serverns adress så som webbläsare når den, t.ex. https://intake.example.org. Dess INTAKE_SITE_URL ska vara den här webbplatsens adress.';
$string['secret'] = 'Delad hemlighet';
$string['secret_desc'] = 'Intake-serverns INTAKE_SECRET (minst 16 tecken). Den här webbplatsen signerar sina användares token med den, och Intake sina begäranden om att genast meddela webbplatsen vad en import ändrade.';
$string['notconfigured'] = 'Intake är inte konfigurerat än: en administratör anger Intake-serverns adress och delade hemlighet under Webbplatsadministration → Tillägg → Lokala tillägg → Intake.';
$string['unreachable'] = 'Importguiden har inte laddats från Intake-servern på {$a}. Servern körs inte, eller så når den här webbläsaren den inte: en administratör kan kontrollera adressen och den senaste anslutningskontrollen under Webbplatsadministration → Tillägg → Lokala tillägg → Intake.';
$string['health'] = 'Anslutning till Intake-servern';
$string['health:never'] = 'Inte kontrollerad än: kontrollen körs var 15:e minut med cron.';
$string['health:ok'] = 'Intake-servern svarar och godtar den här webbplatsens token (version {$a}).';
$string['health:unreachable'] = 'Intake-servern går inte att nå: {$a}';
$string['health:secret'] = 'Intake-servern avvisar den här webbplatsens token: den delade hemligheten skiljer sig från dess INTAKE_SECRET.';
$string['health:status'] = 'Intake-servern svarade med HTTP-status {$a}.';
$string['task:replay'] = 'Berätta för Moodle vad en Intake-import ändrade (händelser, cacheminnen, borttagna konton)';
$string['task:health'] = 'Kontrollera anslutningen till Intake-servern';
$string['role:supervisor'] = 'Handledare';
$string['role:supervisor_desc'] = 'Följer de personer hen handleder (tilldelas i en användares kontext, som Moodles roll "Förälder"). Intake tilldelar den till handledarna för en imports grupper.';
$string['role:coordinator'] = 'Provsamordnare';
$string['role:coordinator_desc'] = 'Importerar och hanterar användare bara i de kategorier där rollen är tilldelad.';
$string['privacy:metadata:intake'] = 'Intake, den här webbplatsens importserver, sparar för varje import vem som körde den och vem som ångrade den, varje rads utfall, källan som förde in en användare, giltighetsdatum, grupphandledning och, tills de har levererats, förseglade inloggningsuppgifter för nya konton.';
$string['privacy:metadata:intake:username'] = 'En importerad användares användarnamn.';
$string['privacy:metadata:intake:firstname'] = 'En importerad användares förnamn.';
$string['privacy:metadata:intake:lastname'] = 'En importerad användares efternamn.';
$string['privacy:metadata:intake:email'] = 'En importerad användares e-postadress.';
$string['privacy:metadata:intake:idnumber'] = 'En importerad användares elev- eller personalnummer.';
$string['privacy:metadata:intake:password'] = 'Ett genererat lösenord, förseglat, tills det har meddelats användaren eller dennes handledare.';
