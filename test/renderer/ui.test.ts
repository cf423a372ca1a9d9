/**
 * The renderer end to end in a real browser: Vite builds renderer/ into a
 * temp folder, the real `cairn serve` HTTP server (main/api/http.ts) serves it
 * over loopback with a real Cairn behind it (text, HTML and GPX ingested
 * here), and Debian's headless Chromium drives it through playwright-core.
 * Every request the page makes is recorded: none may leave loopback.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import { type CairnHttpServer, createHttpServer } from '../../main/api/http.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`test/renderer/ui.test.ts: skipped, ${CHROMIUM} is absent (apt-get install chromium)`);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const REPORT = `Harbour report, Marsaxlokk, 14 March 2031.

The harbour master reported that the trawler Sea Wren unloaded forty sealed crates at the east quay shortly after midnight.
No customs officer was present when the crates were moved to a grey van.
The patrol boat Kestrel left the harbour at dawn and headed north along the coast.`;

const BRIEFING = `<!doctype html><html><head><title>Morning briefing</title></head><body>
<h1>Morning briefing</h1>
<p>Coastal radar logged an unidentified fast boat near Filfla island at 04:10.</p>
<p>The fishing fleet stayed in port because of the northerly gale.</p>
</body></html>`;

/** Two segments of a patrol boat, the second two hours after the first. */
function gpx(): string {
  const pts = (t0: number, lat0: number, n: number): string =>
    Array.from({ length: n }, (_, i) => {
      const t = new Date(Date.UTC(2031, 2, 14, 6, 0, 0) + (t0 + i * 60) * 1000).toISOString();
      return `<trkpt lat="${(lat0 + i * 0.004).toFixed(5)}" lon="${(14.5 + i * 0.004).toFixed(5)}"><ele>0</ele><time>${t}</time></trkpt>`;
    }).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="cairn-test" xmlns="http://www.topografix.com/GPX/1/1">
  <trk><name>Patrol boat Kestrel</name><trkseg>${pts(0, 35.8, 10)}${pts(7200, 35.95, 10)}</trkseg></trk>
</gpx>`;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** A request that would leave the machine: any network scheme to a non-loopback host. */
function leavesLoopback(url: string): boolean {
  const u = new URL(url);
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return false;
  return !LOOPBACK.has(u.hostname);
}

/**
 * Sets a range input as a user's drag would (React listens for `input`).
 * Runs in the page; written without DOM type names, which the Node-side
 * tsconfig does not know.
 */
async function setRange(page: Page, label: string, value: number): Promise<void> {
  await page.getByLabel(label).evaluate((el, v) => {
    const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(el) as object, 'value')!.set!;
    setter.call(el, String(v));
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

/** The painted background of an element, read in the page. */
function backgroundOf(el: unknown): string {
  return (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor;
}

describe.skipIf(!HAS_CHROMIUM)('renderer in headless Chromium against cairn serve (needs /usr/bin/chromium)', () => {
  let tmp: string;
  let shots: string;
  let server: CairnHttpServer;
  let browser: Browser;
  let page: Page;
  const requests: { url: string; method: string; body: string | null; accept: string }[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'cairn-ui-'));
    shots = await mkdtemp(path.join(os.tmpdir(), 'cairn-ui-shots-'));
    const files = { 'harbour-report.txt': REPORT, 'briefing.html': BRIEFING, 'kestrel.gpx': gpx() };
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(tmp, name), text);
    const outDir = path.join(tmp, 'dist');
    const [cairn] = await Promise.all([
      Cairn.open(path.join(tmp, 'data'), { actor: 'ui-test' }),
      build({ configFile: path.join(ROOT, 'renderer/vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } }),
    ]);
    const ingested = await cairn.ingest({ paths: Object.keys(files).map((f) => path.join(tmp, f)) });
    expect(ingested.ingested).toBe(3);
    server = await createHttpServer(cairn, { host: '127.0.0.1', port: 0, staticDir: outDir, logError: (e) => problems.push(`server: ${String(e)}`) });

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('request', (r) => requests.push({ url: r.url(), method: r.method(), body: r.postData(), accept: r.headers().accept ?? '' }));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
    });
    await page.goto(`${server.url}/#token=${server.token}`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
    if (shots) console.log(`renderer screenshots: ${shots}`);
  });

  it('moves the token out of the address bar into sessionStorage', async () => {
    await page.getByRole('tab', { name: 'Ask' }).waitFor();
    expect(new URL(page.url()).hash).not.toContain('token');
    expect(await page.evaluate(() => sessionStorage.getItem('cairn.token'))).toBe(server.token);
  });

  it('asks, shows the banner top and bottom, and opens a citation at the highlighted quote', async () => {
    await page.getByRole('textbox', { name: 'Question' }).fill('What did the trawler Sea Wren unload at the quay?');
    await page.getByRole('textbox', { name: 'Question' }).press('Enter');
    const answer = page.getByTestId('answer').last();
    await answer.locator('.banner--top:not(.banner--pending)').waitFor({ timeout: 20_000 });

    const banners = await answer.getByTestId('banner').allTextContents();
    expect(banners).toHaveLength(2);
    expect(banners[0]).toMatch(/UNCLASSIFIED|CUI|CONFIDENTIAL|SECRET/);
    expect(banners[1]).toBe(banners[0]);
    await expect.poll(() => answer.locator('.banner--top').evaluate((el) => el.getBoundingClientRect().top < el.parentElement!.querySelector('.banner--bottom')!.getBoundingClientRect().top)).toBe(true);

    // The answer came as server-sent events (sentences before the result).
    expect(requests.find((r) => r.url.endsWith('/api/ask'))?.accept).toContain('text/event-stream');

    const chips = answer.getByTestId('citation-chip');
    expect(await chips.count()).toBeGreaterThan(0);
    await chips.first().click();

    const panel = page.getByTestId('source-panel');
    const mark = panel.getByTestId('quote-highlight');
    await mark.waitFor();
    const quote = (await mark.textContent()) ?? '';
    expect(quote.length).toBeGreaterThan(10);
    expect(REPORT.replace(/\s+/g, ' ')).toContain(quote.replace(/\s+/g, ' '));
    // Highlighted inside its chunk: the passage holds more than the quote, and the mark is painted.
    const passage = (await panel.getByTestId('passage').textContent()) ?? '';
    expect(passage.length).toBeGreaterThan(quote.length);
    expect(await mark.evaluate(backgroundOf)).not.toMatch(/rgba\(0, 0, 0, 0\)|transparent/);
    expect(await panel.getByTestId('source-page').textContent()).toBe('1');
    await expect.poll(() => chips.first().getAttribute('aria-pressed')).toBe('true');
    await page.screenshot({ path: path.join(shots, 'ask.png') });
  });

  it('says plainly when nothing relevant is found', async () => {
    await page.getByRole('textbox', { name: 'Question' }).fill('zyxwv qqqq');
    await page.getByRole('textbox', { name: 'Question' }).press('Enter');
    const answer = page.getByTestId('answer').last();
    await answer.getByTestId('no-evidence').waitFor({ timeout: 20_000 });
    expect(await answer.getByTestId('banner').count()).toBe(2);
    expect(await answer.getByTestId('citation-chip').count()).toBe(0);
  });

  it('draws the tracks on the offline map and filters them by the time window', async () => {
    await page.getByRole('tab', { name: 'Map & timeline' }).click();
    const map = page.getByTestId('map');
    await map.locator('canvas.maplibregl-canvas').waitFor();
    await expect.poll(() => map.getAttribute('data-track-points'), { timeout: 20_000 }).toBe('20');
    await expect.poll(async () => Number(await map.getAttribute('data-rendered-track-points')), { timeout: 20_000 }).toBeGreaterThan(0);

    const box = (await map.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.getByTestId('coord-readout').textContent()).toMatch(/\d+\.\d{5}°[NS] \d+\.\d{5}°[EW]/);
    expect(await page.getByTestId('mgrs').textContent()).toMatch(/^\d{1,2}[C-X] [A-Z]{2} \d{5} \d{5}$/);
    await page.screenshot({ path: path.join(shots, 'map.png') });

    // Window end to half-way through the span: only the first segment (06:00-06:09) is left.
    const end = page.getByLabel('Window end');
    const [min, max] = await Promise.all([end.getAttribute('min'), end.getAttribute('max')]).then((v) => v.map(Number));
    await setRange(page, 'Window end', Math.round((min! + max!) / 2));
    await expect.poll(() => map.getAttribute('data-track-points'), { timeout: 10_000 }).toBe('10');
    expect(await page.getByTestId('track-count').textContent()).toMatch(/^10 points/);
    const filtered = requests.filter((r) => r.url.endsWith('/api/tracks') && r.body?.includes('"to"'));
    expect(filtered.length).toBeGreaterThan(0);
    expect(JSON.parse(filtered.at(-1)!.body!).to).toMatch(/^2031-03-14T07:0/);
    await expect.poll(async () => Number(await map.getAttribute('data-rendered-track-points')), { timeout: 10_000 }).toBeGreaterThan(0);
  });

  it('opens a track citation at its entity and time span, and shows that segment on the map', async () => {
    await page.getByRole('tab', { name: 'Ask' }).click();
    await page.getByRole('textbox', { name: 'Question' }).fill('Where was the patrol boat Kestrel?');
    await page.getByRole('textbox', { name: 'Question' }).press('Enter');
    const answer = page.getByTestId('answer').last();
    await answer.locator('.banner--top:not(.banner--pending)').waitFor({ timeout: 20_000 });
    const chips = answer.getByTestId('citation-chip');
    let entity: string | null = null;
    for (let i = (await chips.count()) - 1; i >= 0 && entity === null; i--) {
      await chips.nth(i).click();
      const e = page.getByTestId('source-panel').getByTestId('source-entity');
      if ((await e.count()) > 0) entity = await e.textContent();
    }
    expect(entity).toBe('Patrol boat Kestrel');
    await page.getByRole('button', { name: 'Show this segment on the map' }).click();
    expect(await page.getByRole('tab', { name: 'Map & timeline' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => requests.filter((r) => r.url.endsWith('/api/tracks')).at(-1)?.body ?? '', { timeout: 10_000 }).toContain('"entity":"Patrol boat Kestrel"');
    const body = JSON.parse(requests.filter((r) => r.url.endsWith('/api/tracks')).at(-1)!.body!) as { from: string; to: string };
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(9 * 60 * 1000);
    await expect.poll(() => page.getByTestId('map').getAttribute('data-track-points'), { timeout: 10_000 }).toBe('10');
    expect(await page.getByLabel('Entity').inputValue()).toBe('Patrol boat Kestrel');
  });

  it('lists the sources and verifies the audit chain', async () => {
    await page.getByRole('tab', { name: 'Library' }).click();
    await page.locator('#panel-library tbody tr').first().waitFor();
    expect(await page.locator('#panel-library tbody tr').count()).toBe(3);
    await page.screenshot({ path: path.join(shots, 'library.png') });
    await page.getByRole('tab', { name: 'Audit' }).click();
    await expect.poll(() => page.getByTestId('audit-verify').textContent(), { timeout: 10_000 }).toMatch(/Intact: \d+ records/);
    await page.locator('#panel-audit').getByRole('button', { name: 'ask' }).first().click();
    await page.locator('#panel-audit .provenance').waitFor();
    // The reviewer's screen in the dark theme, to check both themes stay readable.
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await page.screenshot({ path: path.join(shots, 'audit-dark.png') });
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
  });

  it("exports an answer's provenance as a PROV-JSON file and the log as JSON Lines; filters the log by time", async () => {
    const panel = page.locator('#panel-audit');
    const [prov] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Export provenance (PROV-JSON)' }).click()]);
    expect(prov.suggestedFilename()).toMatch(/^cairn-prov-[0-9a-f]{12}\.json$/);
    const doc = JSON.parse(await readFile((await prov.path())!, 'utf8')) as Record<string, Record<string, unknown>>;
    for (const k of ['entity', 'activity', 'agent', 'wasGeneratedBy']) expect(Object.keys(doc[k] ?? {}).length, k).toBeGreaterThan(0);
    expect(await panel.getByTestId('export-done').first().textContent()).toMatch(/Saved cairn-prov-.*export audited/);
    const [log] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Export log (JSON Lines)' }).click()]);
    const lines = (await readFile((await log.path())!, 'utf8')).trim().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.map((l) => (JSON.parse(l) as { action: string }).action)).toContain('ask');
    // A window in the future hides every record; clearing it brings them back.
    const rows = (): Promise<number> => panel.locator('tbody tr:not(.row--details)').count();
    const before = await rows();
    expect(before).toBeGreaterThan(3);
    await panel.getByLabel('From (UTC)').fill('2099-01-01T00:00');
    await expect.poll(rows).toBe(0);
    await panel.getByLabel('From (UTC)').fill('');
    await expect.poll(rows).toBeGreaterThanOrEqual(before);
  });

  it('made no request beyond loopback and broke no CSP rule', () => {
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.filter((r) => leavesLoopback(r.url)).map((r) => r.url)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
