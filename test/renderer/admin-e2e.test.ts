/**
 * The Admin tab end to end: Vite builds renderer/, the real `cairn serve`
 * server (main/api/http.ts) serves it over loopback with a real Cairn behind
 * it, and Debian's headless Chromium drives it through playwright-core. A
 * package is made and signed with the real package code (test/packages/
 * helpers); the tab verifies it (green), imports it (progress, then the
 * summary, and the Library lists its sources), and verifies a tampered copy
 * (red, naming FILE_HASH_MISMATCH on the changed file). An analyst signed in
 * with their own token is refused verify and import with FORBIDDEN.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import { type CairnHttpServer, createHttpServer } from '../../main/api/http.js';
import { issueToken, TokenAuthenticator } from '../../main/api/user-tokens.js';
import { makePackage, type Sandbox, sandbox, tamperedCopy, trustedPublisher, writeCorpus } from '../packages/helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`test/renderer/admin-e2e.test.ts: skipped, ${CHROMIUM} is absent (apt-get install chromium)`);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = path.join(ROOT, 'test/e2e/screenshots');

const USERS = {
  adm: { clearance: 'TOP SECRET', nationality: 'USA', roles: ['administrator'] },
  ann: { clearance: 'SECRET', nationality: 'USA', roles: ['analyst'] },
};

describe.skipIf(!HAS_CHROMIUM)('the Admin tab in headless Chromium against cairn serve', () => {
  let sb: Sandbox;
  let pkg: string;
  let tampered: string;
  let cairn: Cairn;
  let server: CairnHttpServer;
  let browser: Browser;
  let page: Page;
  let annToken: string;
  const problems: string[] = [];

  const openAdmin = async (token: string): Promise<Page> => {
    const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    p.on('console', (m) => {
      // The analyst's refused calls log as failed requests; anything else is a problem.
      if ((m.type() === 'error' && !/status of 403/.test(m.text())) || /Content Security Policy/i.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
    });
    await p.goto(`${server.url}/#token=${token}`);
    await p.getByRole('tab', { name: 'Admin' }).click();
    await p.getByRole('heading', { name: 'Admin' }).waitFor();
    return p;
  };

  beforeAll(async () => {
    sb = await sandbox('cairn-admin-ui-');
    await mkdir(SHOTS, { recursive: true });
    await writeCorpus(sb.src);
    pkg = (await makePackage(sb, await trustedPublisher(sb, 'field-office'))).out;
    tampered = await tamperedCopy(pkg, path.join(sb.root, 'tampered.tar'));
    await writeFile(path.join(sb.data, 'users.json'), JSON.stringify({ users: USERS }));
    annToken = (await issueToken(sb.data, 'ann')).token;
    const outDir = path.join(sb.root, 'dist');
    [cairn] = await Promise.all([
      Cairn.open(sb.data, { actor: 'adm' }),
      build({ configFile: path.join(ROOT, 'renderer/vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } }),
    ]);
    const tokens = new TokenAuthenticator(sb.data);
    server = await createHttpServer(cairn, {
      host: '127.0.0.1',
      port: 0,
      staticDir: outDir,
      logError: (e) => problems.push(`server: ${String(e)}`),
      users: {
        authenticate: async (t) => {
          const user = await tokens.userFor(t);
          return user ? cairn.forUser(user) : undefined;
        },
      },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await openAdmin(server.token);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await sb?.cleanup();
  });

  it('lists the trusted publisher key and the users with their roles and tokens', async () => {
    const keys = page.getByTestId('keys-table');
    await keys.waitFor();
    expect(await keys.getByTestId('key-row').allInnerTexts()).toEqual([expect.stringMatching(/^field-office\s+[0-9a-f]{64}\s+trusted$/)]);
    const rows = page.getByTestId('users-table').getByTestId('user-row');
    await rows.first().waitFor();
    const users = await rows.allInnerTexts();
    expect(users).toHaveLength(2);
    expect(users[0]).toMatch(/^adm\s+administrator\s+TOP SECRET.*none$/);
    expect(users[1]).toMatch(/^ann\s+analyst\s+SECRET.*issued /);
  });

  it('verifies the package: a green verdict naming the publisher and every file', async () => {
    await page.getByLabel('Package file on the Cairn machine').fill(pkg);
    await page.getByRole('button', { name: 'Verify' }).click();
    const verdict = page.getByTestId('pkg-verdict');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-ok')).toBe('true');
    const text = await verdict.innerText();
    expect(text).toContain('Package OK');
    expect(text).toContain('Signed by field-office (trusted as field-office)');
    for (const f of ['convoy.txt', 'reports/pier.md', 'web/bulletin.html']) expect(text).toContain(f);
  });

  it('an analyst is refused Verify and Import with the FORBIDDEN message, and the users list too', async () => {
    const ann = await openAdmin(annToken);
    await ann.getByRole('alert').filter({ hasText: 'administrator' }).first().waitFor();
    expect(await ann.getByTestId('users-table').count()).toBe(0);
    await ann.getByLabel('Package file on the Cairn machine').fill(pkg);
    await ann.getByRole('button', { name: 'Verify' }).click();
    const verifyRefusal = ann.locator('.admin-card').first().getByRole('alert').filter({ hasText: 'verify data packages' });
    await verifyRefusal.waitFor();
    expect(await ann.getByTestId('pkg-verdict').count()).toBe(0);
    await ann.getByRole('button', { name: 'Import' }).click();
    const refusal = ann.locator('.admin-card').first().getByRole('alert').filter({ hasText: 'import data packages' });
    await refusal.waitFor();
    expect(await refusal.innerText()).toMatch(/ann.*may not import data packages.*administrator/is);
    expect(await cairn.sources()).toEqual([]);
    await ann.close();
  });

  it('imports it: the progress bar moves, then the summary; the Library lists its sources', async () => {
    // Every state the import status passes through, recorded in the page as React commits it.
    // (Page code as a string: this file is type-checked for Node, without the DOM library.)
    await page.evaluate(`(() => {
      window.importStates = [];
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid="import-status"]');
        const bar = el && el.querySelector('progress');
        if (el && bar) window.importStates.push(bar.getAttribute('value') + '/' + bar.getAttribute('max') + ' ' + el.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    })()`);
    await page.getByRole('button', { name: 'Import' }).click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor({ timeout: 60_000 });
    const states = (await page.evaluate('window.importStates')) as string[];
    // The bar was fed by the streamed progress events: per file, with the phase and the file named.
    expect(states[0]).toMatch(/Verifying the package/);
    const progress = states.filter((t) => /(Extracting|Ingesting)/.test(t)).map((t) => t.replace(/\s+/g, ' '));
    expect(progress, JSON.stringify(states)).toEqual(expect.arrayContaining([expect.stringMatching(/^([1-3])\/3 Extracting \1\/3: \S+$/), expect.stringMatching(/^([1-3])\/3 Ingesting \1\/3: (convoy\.txt|reports\/pier\.md|web\/bulletin\.html)$/)]));
    const text = await summary.innerText();
    expect(text).toMatch(/Imported package \S+: 3 ingested, 0 already present, 0 failed/);
    expect(await summary.getByTestId('import-file').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(['ingested', 'ingested', 'ingested']);
    expect((await cairn.sources()).length).toBe(3);
    await page.screenshot({ path: path.join(SHOTS, 'admin-import.png'), fullPage: true });

    await page.getByRole('tab', { name: 'Library' }).click();
    const library = page.locator('#panel-library');
    await expect.poll(() => library.innerText(), { timeout: 20_000 }).toContain('Harbour bulletin');
    const libText = await library.innerText();
    expect(libText).toContain('convoy.txt');
    expect(libText).toContain('Pier activity');
    await page.getByRole('tab', { name: 'Admin' }).click();
  });

  it('verifies a tampered copy: a red verdict naming FILE_HASH_MISMATCH on the changed file', async () => {
    await page.getByLabel('Package file on the Cairn machine').fill(tampered);
    await page.getByRole('button', { name: 'Verify' }).click();
    const verdict = page.getByTestId('pkg-verdict');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-ok')).toBe('false');
    expect(await verdict.innerText()).toContain('Package NOT valid: 1 problem. Do not import it.');
    const problem = verdict.getByTestId('pkg-problem');
    expect(await problem.getAttribute('data-code')).toBe('FILE_HASH_MISMATCH');
    expect(await problem.innerText()).toMatch(/FILE_HASH_MISMATCH files\/convoy\.txt: sha256 [0-9a-f]{64}, the manifest lists/);
    await page.screenshot({ path: path.join(SHOTS, 'admin.png'), fullPage: true });
  });

  it('raised no page errors, console errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
