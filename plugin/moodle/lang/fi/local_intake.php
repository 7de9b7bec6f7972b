<?php
// This file is part of Intake, bulk user import for Moodle. GNU GPL v3 or later.

/**
 * Suomenkieliset tekstit.
 *
 * @package    local_intake
 * @copyright  2026 Intake
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$string['pluginname'] = 'Intake';
$string['importusers'] = 'Tuo käyttäjiä (Intake)';
$string['intake:import'] = 'Tuo käyttäjiä Intakella';
$string['intake:undo'] = 'Peru Intake-tuonteja';
$string['serverurl'] = 'Intake-palvelin';
$string['serverurl_desc'] = 'Intake-palvelimen osoite sellaisena kuin selaimet sen tavoittavat, esim. https://intake.example.org. Sen INTAKE_SITE_URL-asetuksen on oltava tämän sivuston osoite.';
$string['secret'] = 'Jaettu salaisuus';
$string['secret_desc'] = 'Intake-palvelimen INTAKE_SECRET (vähintään 16 merkkiä). Tämä sivusto allekirjoittaa käyttäjiensä tunnisteet sillä, ja Intake pyyntönsä kertoa sivustolle heti, mitä tuonti muutti.';
$string['notconfigured'] = 'Intakea ei ole vielä määritetty: ylläpitäjä antaa Intake-palvelimen osoitteen ja jaetun salaisuuden kohdassa Sivuston ylläpito → Lisäosat → Paikalliset lisäosat → Intake.';
$string['unreachable'] = 'Tuontiohjattu ei latautunut Intake-palvelimelta osoitteesta {$a}. Palvelin ei ole käynnissä tai tämä selain ei tavoita sitä: ylläpitäjä voi tarkistaa osoitteen ja viimeisimmän yhteystarkistuksen kohdassa Sivuston ylläpito → Lisäosat → Paikalliset lisäosat → Intake.';
$string['health'] = 'Yhteys Intake-palvelimeen';
$string['health:never'] = 'Ei vielä tarkistettu: tarkistus tehdään cronilla 15 minuutin välein.';
$string['health:ok'] = 'Intake-palvelin vastaa ja hyväksyy tämän sivuston tunnisteet (versio {$a}).';
$string['health:unreachable'] = 'Intake-palvelinta ei tavoiteta: {$a}';
$string['health:secret'] = 'Intake-palvelin hylkää tämän sivuston tunnisteet: jaettu salaisuus eroaa sen INTAKE_SECRET-arvosta.';
$string['health:status'] = 'Intake-palvelin vastasi HTTP-tilakoodilla {$a}.';
$string['task:replay'] = 'Kerro Moodlelle, mitä Intake-tuonti muutti (tapahtumat, välimuistit, poistetut tilit)';
$string['task:health'] = 'Tarkista yhteys Intake-palvelimeen';
$string['role:supervisor'] = 'Ohjaaja';
$string['role:supervisor_desc'] = 'Seuraa ohjattaviaan (annetaan käyttäjän kontekstissa, kuten Moodlen rooli "Huoltaja"). Intake antaa sen tuonnin ryhmien ohjaajille.';
$string['role:coordinator'] = 'Koekoordinaattori';
$string['role:coordinator_desc'] = 'Tuo ja hallinnoi käyttäjiä vain niissä kategorioissa, joissa rooli on annettu.';
$string['privacy:metadata:intake'] = 'Intake, tämän sivuston tuontipalvelin, tallentaa jokaisesta tuonnista sen suorittajan ja kumoajan, jokaisen rivin tuloksen, lähteen, josta käyttäjä tuli, voimassaolopäivät, ryhmien ohjauksen ja, kunnes ne on toimitettu, uusien tilien sinetöidyt kirjautumistiedot.';
$string['privacy:metadata:intake:username'] = 'Tuodun käyttäjän käyttäjätunnus.';
$string['privacy:metadata:intake:firstname'] = 'Tuodun käyttäjän etunimi.';
$string['privacy:metadata:intake:lastname'] = 'Tuodun käyttäjän sukunimi.';
$string['privacy:metadata:intake:email'] = 'Tuodun käyttäjän sähköpostiosoite.';
$string['privacy:metadata:intake:idnumber'] = 'Tuodun käyttäjän oppilas- tai henkilöstönumero.';
$string['privacy:metadata:intake:password'] = 'Luotu salasana sinetöitynä, kunnes se on kerrottu käyttäjälle tai hänen ohjaajalleen.';
