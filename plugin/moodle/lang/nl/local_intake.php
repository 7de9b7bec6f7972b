<?php
// This file is part of Intake, bulk user import for Moodle. GNU GPL v3 or later.

/**
 * Nederlandse teksten.
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$string['pluginname'] = 'Intake';
$string['importusers'] = 'Gebruikers importeren (Intake)';
$string['intake:import'] = 'Gebruikers importeren met Intake';
$string['intake:undo'] = 'Imports van Intake ongedaan maken';
$string['serverurl'] = 'Intake-server';
$string['serverurl_desc'] = 'Het adres van de Intake-server zoals browsers die bereiken, bijv. https://intake.example.org. Zijn INTAKE_SITE_URL moet het adres van deze site zijn.';
$string['secret'] = 'Gedeeld geheim';
$string['secret_desc'] = 'De INTAKE_SECRET van de Intake-server (minstens 16 tekens). Deze site ondertekent de tokens van haar gebruikers ermee, en Intake zijn verzoeken om deze site meteen te laten weten wat een import veranderde.';
$string['notconfigured'] = 'Intake is nog niet ingesteld: een beheerder vult het adres en het gedeelde geheim van de Intake-server in bij Sitebeheer → Plugins → Lokale plugins → Intake.';
$string['unreachable'] = 'De importwizard is niet geladen van de Intake-server op {$a}. De server draait niet, of deze browser kan hem niet bereiken: een beheerder kan het adres en de laatste verbindingscontrole nakijken bij Sitebeheer → Plugins → Lokale plugins → Intake.';
$string['health'] = 'Verbinding met de Intake-server';
$string['health:never'] = 'Nog niet gecontroleerd: de controle loopt elke 15 minuten met cron.';
$string['health:ok'] = 'De Intake-server antwoordt en aanvaardt de tokens van deze site (versie {$a}).';
$string['health:unreachable'] = 'De Intake-server is niet bereikbaar: {$a}';
$string['health:secret'] = 'De Intake-server weigert de tokens van deze site: het gedeelde geheim verschilt van zijn INTAKE_SECRET.';
$string['health:status'] = 'De Intake-server antwoordde met HTTP-status {$a}.';
$string['task:replay'] = 'Moodle vertellen wat een Intake-import veranderde (gebeurtenissen, caches, verwijderde accounts)';
$string['task:health'] = 'De verbinding met de Intake-server controleren';
$string['role:supervisor'] = 'Begeleider';
$string['role:supervisor_desc'] = 'Volgt de mensen die hij of zij begeleidt (toegewezen in de context van een gebruiker, zoals Moodles rol "Ouder"). Intake wijst hem toe aan de begeleiders van de groepen van een import.';
$string['role:coordinator'] = 'Toetscoördinator';
$string['role:coordinator_desc'] = 'Importeert en beheert gebruikers alleen in de categorieën waar de rol is toegewezen.';
$string['privacy:metadata:intake'] = 'Intake, de importserver van deze site, houdt van elke import bij wie hem uitvoerde en wie hem ongedaan maakte, de uitkomst van elke rij, de bron die een gebruiker bracht, geldigheidsdata, groepsbegeleiding en, tot ze bezorgd zijn, verzegelde inloggegevens van nieuwe accounts.';
$string['privacy:metadata:intake:username'] = 'De gebruikersnaam van een geïmporteerde gebruiker.';
$string['privacy:metadata:intake:firstname'] = 'De voornaam van een geïmporteerde gebruiker.';
$string['privacy:metadata:intake:lastname'] = 'De achternaam van een geïmporteerde gebruiker.';
$string['privacy:metadata:intake:email'] = 'Het e-mailadres van een geïmporteerde gebruiker.';
$string['privacy:metadata:intake:idnumber'] = 'Het leerling- of personeelsnummer van een geïmporteerde gebruiker.';
$string['privacy:metadata:intake:password'] = 'Een gegenereerd wachtwoord, verzegeld, tot het aan de gebruiker of diens begeleider is verteld.';
