import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPasswordSync } from '../../server/host/hashing/password-hash.js';
import { commit, preview, startDemo, uploadFile, type DemoUnderTest } from '../support/e2e.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

let smtp: TestSmtp;
let demo: DemoUnderTest;

beforeAll(async () => {
  smtp = await startSmtp();
  demo = await startDemo('mail', { SMTP_URL: smtp.url, MAIL_FROM: 'Demo College <noreply@demo.example>' });
});
afterAll(async () => {
  await demo?.close();
  await smtp?.stop();
});

async function storedHash(username: string): Promise<string> {
  const [[row]] = await demo.database.pool.query<RowDataPacket[]>('SELECT password FROM mdl_user WHERE username = ?', [username]);
  return String(row!.password);
}

describe('credentials in the browser', () => {
  it('a coordinator sends generated logins to the group supervisor: one message, PDF and CSV, exactly the new logins, none left anywhere', async () => {
    const page = await demo.browser.newPage();
    await page.goto(`${demo.server.url}/?as=coordinator&lang=nl`);
    const file = ['Gebruikersnaam;Roepnaam;Achternaam;E-mailadres', 'nina;Nina;Noord;nina@baken.example', 'otto;Otto;Oost;otto@baken.example', 'piet;Piet;Plas;piet@baken.example'].join('\n');
    await uploadFile(page, 'klas.csv', file);
    await page.click('intake-mapping-step button:has-text("Volgende")');
    await page.fill('intake-settings-step #source', 'baken-klas');
    await page.check('intake-settings-step input[name=group] >> nth=2');
    await page.fill('intake-settings-step #group-create', 'Klas 1B');
    await page.fill('intake-settings-step #supervisor-search', 'mbakker');
    await page.click('intake-settings-step #add-supervisor');
    await page.selectOption('intake-settings-step #notify-credentials', 'supervisor');
    await page.fill('intake-settings-step #notify-supervisor', 'mbakker');
    await preview(page);
    await commit(page);
    await expect.poll(() => smtp.messages.length, { timeout: 15_000 }).toBe(1);
    const mail = smtp.messages[0]!;
    expect((mail.to as { text: string }).text).toBe('m.bakker@baken.example');
    expect(mail.attachments.map((a) => a.contentType).sort()).toEqual(['application/pdf', 'text/csv']);
    const rows = mail.attachments
      .find((a) => a.contentType === 'text/csv')!
      .content.toString('utf8')
      .replace('\uFEFF', '')
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(','));
    expect(rows.map((r) => r[0])).toEqual(['nina', 'otto', 'piet']);
    for (const [username, password] of rows) expect(verifyPasswordSync(password!, await storedHash(username!))).toBe(true);
    await expect.poll(() => page.locator('intake-result-step #mail').innerText(), { timeout: 10_000 }).toContain('1 verzonden');

    // No plaintext password anywhere: not in any table, not in the server's log.
    const [tables] = await demo.database.pool.query<RowDataPacket[]>('SHOW TABLES');
    let everything = demo.logs.join('\n');
    for (const t of tables) everything += JSON.stringify((await demo.database.pool.query(`SELECT * FROM \`${Object.values(t)[0]}\``))[0], (_k, v) => (v?.type === 'Buffer' ? Buffer.from(v.data).toString('latin1') : v));
    for (const [, password] of rows) expect(everything).not.toContain(password);
    await page.close();
  });

  it('an admin downloads the new logins once from the result screen', async () => {
    const page = await demo.browser.newPage();
    await page.goto(`${demo.server.url}/`);
    await uploadFile(page, 'een.csv', 'username;firstname;lastname;email\nquinn;Quinn;Q;quinn@x.example\n');
    await page.click('intake-mapping-step button:has-text("Next")');
    await page.fill('intake-settings-step #source', 'download');
    expect(await page.locator('intake-settings-step #notify-credentials').inputValue()).toBe('download');
    await preview(page);
    await commit(page);
    const href = await page.locator('intake-result-step #download-credentials').getAttribute('href');
    const csv = await (await fetch(new URL(href!, demo.server.url))).text();
    // Written with the file's own delimiter, so the spreadsheet that opened the file opens this in columns.
    const [header, line] = csv.replace('\uFEFF', '').trim().split('\r\n');
    expect(header).toBe('username;password;firstname;lastname;email');
    const [username, password] = line!.split(';');
    expect(verifyPasswordSync(password!, await storedHash(username!))).toBe(true);
    expect((await fetch(new URL(href!, demo.server.url))).status).toBe(410);
    await page.close();
  });
});
