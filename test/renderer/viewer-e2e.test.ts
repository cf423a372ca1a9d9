/**
 * The source viewer, drag-and-drop ingest and the timeline filtering Ask, end
 * to end: Vite builds renderer/ into a temp folder, the real `cairn serve`
 * server (main/api/http.ts) serves it over loopback with a real Cairn behind
 * it (a 3-page PDF, a picture of printed text read by OCR, two GPX tracks
 * six days apart), and Debian's headless Chromium drives it through
 * playwright-core. Screenshots go to test/e2e/screenshots (git-ignored).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import { type CairnHttpServer, createHttpServer } from '../../main/api/http.js';
import { makePdf, PDF_PAGES } from '../fixtures/documents/make-fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`test/renderer/viewer-e2e.test.ts: skipped, ${CHROMIUM} is absent (apt-get install chromium)`);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = path.join(ROOT, 'test/e2e/screenshots');

/** Printed text on a plain background, big enough for OCR; the notice sits in the lower half. */
async function signPng(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800">
  <rect width="1200" height="800" fill="#ffffff"/>
  <text x="80" y="560" font-family="DejaVu Sans" font-size="56" fill="#000000">RESTRICTED AREA NO ENTRY</text>
  <text x="80" y="650" font-family="DejaVu Sans" font-size="56" fill="#000000">BY ORDER OF THE PORT WARDEN</text>
</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

function gpx(name: string, day: number, lat0: number): string {
  const pts = Array.from({ length: 8 }, (_, i) => {
    const t = new Date(Date.UTC(2031, 2, day, 6, i * 5)).toISOString();
    return `<trkpt lat="${(lat0 + i * 0.004).toFixed(5)}" lon="${(14.5 + i * 0.004).toFixed(5)}"><time>${t}</time></trkpt>`;
  }).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="cairn-test" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>${name}</name><trkseg>${pts}</trkseg></trk></gpx>`;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const leavesLoopback = (url: string): boolean => {
  const u = new URL(url);
  return !['data:', 'blob:', 'about:'].includes(u.protocol) && !LOOPBACK.has(u.hostname);
};

/** Sets a range input as a user's drag would (React listens for `input`). */
async function setRange(page: Page, label: string, value: number): Promise<void> {
  await page.getByLabel(label).evaluate((el, v) => {
    const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(el) as object, 'value')!.set!;
    setter.call(el, String(v));
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

async function ask(page: Page, question: string) {
  await page.getByRole('tab', { name: 'Ask' }).click();
  await page.getByRole('textbox', { name: 'Question' }).fill(question);
  await page.getByRole('textbox', { name: 'Question' }).press('Enter');
  const answer = page.getByTestId('answer').last();
  await answer.locator('.banner--top:not(.banner--pending)').waitFor({ timeout: 30_000 });
  return answer;
}

describe.skipIf(!HAS_CHROMIUM)('source viewer, drop ingest and timeline filter in headless Chromium against cairn serve', () => {
  let tmp: string;
  let server: CairnHttpServer;
  let browser: Browser;
  let page: Page;
  const requests: { url: string; method: string; body: string | null }[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'cairn-viewer-ui-'));
    await mkdir(SHOTS, { recursive: true });
    await writeFile(path.join(tmp, 'convoy.pdf'), await makePdf(PDF_PAGES, { title: 'Convoy report' }));
    await writeFile(path.join(tmp, 'warden-sign.png'), await signPng());
    await writeFile(path.join(tmp, 'kestrel.gpx'), gpx('Patrol boat Kestrel', 14, 35.8));
    await writeFile(path.join(tmp, 'marlin.gpx'), gpx('Fishing vessel Marlin', 20, 35.9));
    const outDir = path.join(tmp, 'dist');
    const [cairn] = await Promise.all([
      Cairn.open(path.join(tmp, 'data'), { actor: 'viewer-test' }),
      build({ configFile: path.join(ROOT, 'renderer/vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } }),
    ]);
    const ingested = await cairn.ingest({ paths: ['convoy.pdf', 'warden-sign.png', 'kestrel.gpx', 'marlin.gpx'].map((f) => path.join(tmp, f)) });
    expect(ingested.failed).toBe(0);
    expect(ingested.ingested).toBe(4);
    server = await createHttpServer(cairn, { staticDir: outDir, logError: (e) => problems.push(`server: ${String(e)}`) });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('request', (r) => requests.push({ url: r.url(), method: r.method(), body: r.postData() }));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
    });
    await page.goto(`${server.url}/#token=${server.token}`);
    await page.getByRole('tab', { name: 'Ask' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('a PDF citation opens the original at its page with the quote highlighted in the text layer', async () => {
    const answer = await ask(page, 'Which convoy was delayed by fog near Gray Island?');
    await answer.getByTestId('citation-chip').first().click();
    const panel = page.getByTestId('source-panel');
    expect(await panel.getByTestId('source-page').textContent()).toBe('2');
    const pdfPage = panel.getByTestId('pdf-page');
    await expect.poll(() => pdfPage.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
    expect(await pdfPage.getAttribute('data-page')).toBe('2');
    expect(await panel.getByTestId('pdf-page-number').textContent()).toBe('Page 2 of 3');
    const marks = panel.getByTestId('pdf-highlight');
    expect(await marks.count()).toBeGreaterThan(0);
    const marked = (await marks.allTextContents()).join(' ');
    expect(marked).toMatch(/fog/);
    expect(marked).not.toMatch(/Harbor Point|depot before noon/);
    // The highlight is painted over the canvas, inside the page.
    const [box, canvas] = await Promise.all([marks.first().boundingBox(), pdfPage.locator('canvas').boundingBox()]);
    expect(box!.width).toBeGreaterThan(5);
    expect(box!.y).toBeGreaterThanOrEqual(canvas!.y - 2);
    expect(box!.y + box!.height).toBeLessThanOrEqual(canvas!.y + canvas!.height + 2);
    // The canvas is drawn (not blank): some pixels are dark.
    const inked = await pdfPage.locator('canvas').evaluate((c) => {
      const el = c as unknown as { width: number; height: number; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      const d = el.getContext('2d').getImageData(0, 0, el.width, el.height).data;
      let dark = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i]! < 128 && d[i + 3]! > 0) dark++;
      return dark;
    });
    expect(inked).toBeGreaterThan(100);
    await page.screenshot({ path: path.join(SHOTS, 'viewer-pdf.png') });

    // Turning the page drops the highlight; coming back restores it.
    await panel.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => pdfPage.getAttribute('data-page')).toBe('3');
    await expect.poll(() => pdfPage.getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
    expect(await panel.getByTestId('pdf-highlight').count()).toBe(0);
    await panel.getByRole('button', { name: 'Back to the cited page' }).click();
    await expect.poll(() => panel.getByTestId('pdf-highlight').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    // The worker came from this origin, like every other request.
    expect(requests.some((r) => /pdf\.worker.*\.mjs$/.test(r.url) && r.url.startsWith(server.url))).toBe(true);
    expect(requests.some((r) => /\/api\/content\/[0-9a-f]{64}$/.test(r.url))).toBe(true);
  });

  it('an image citation shows the picture with the cited OCR region outlined where its bbox says', async () => {
    const answer = await ask(page, 'Which area has no entry by order of the port warden?');
    const chips = answer.getByTestId('citation-chip');
    let found = false;
    for (let i = 0; i < (await chips.count()) && !found; i++) {
      await chips.nth(i).click();
      found = (await page.getByTestId('source-panel').getByTestId('source-bbox').count()) > 0;
    }
    expect(found).toBe(true);
    const panel = page.getByTestId('source-panel');
    const bboxText = (await panel.getByTestId('source-bbox').textContent()) ?? '';
    const [, x0, x1, y0, y1] = (/x (\d+)–(\d+), y (\d+)–(\d+)/.exec(bboxText) ?? []).map(Number);
    const cited = panel.getByTestId('ocr-box-cited');
    await cited.waitFor({ timeout: 20_000 });
    const img = panel.getByTestId('image-view').locator('img');
    await expect.poll(() => img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBe(1200);
    const [b, i] = await Promise.all([cited.boundingBox(), img.boundingBox()]);
    // The box sits where the bbox says, as a share of the 1200x800 picture (the text is in its lower half).
    expect(Math.abs((b!.x - i!.x) / i!.width - x0! / 1200)).toBeLessThan(0.02);
    expect(Math.abs((b!.y - i!.y) / i!.height - y0! / 800)).toBeLessThan(0.02);
    expect(Math.abs(b!.width / i!.width - (x1! - x0!) / 1200)).toBeLessThan(0.02);
    expect(Math.abs(b!.height / i!.height - (y1! - y0!) / 800)).toBeLessThan(0.02);
    expect(y0!).toBeGreaterThan(400);
    await page.screenshot({ path: path.join(SHOTS, 'viewer-image.png') });
  });

  it('drag-and-drop ingest: the file is sent, ingested with progress, and listed', async () => {
    await page.getByRole('tab', { name: 'Library' }).click();
    await page.locator('#panel-library tbody tr').first().waitFor();
    const before = await page.locator('#panel-library tbody tr').count();
    const pdf = (await makePdf(['Dropped report: the tug Osprey towed a barge past Fort Rinella at dusk.'])).toString('base64');
    const zone = page.getByTestId('dropzone');
    const dt = await page.evaluateHandle((b64) => {
      const g = globalThis as unknown as { DataTransfer: new () => { items: { add(f: unknown): void } }; File: new (parts: unknown[], name: string, o: { type: string }) => unknown };
      const dt = new g.DataTransfer();
      dt.items.add(new g.File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'osprey.pdf', { type: 'application/pdf' }));
      return dt;
    }, pdf);
    await zone.dispatchEvent('dragover', { dataTransfer: dt });
    await zone.dispatchEvent('drop', { dataTransfer: dt });
    const result = page.getByTestId('ingest-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toMatch(/1 ingested, 0 already loaded, 0 failed\..*osprey\.pdf: ingested/);
    await expect.poll(() => page.locator('#panel-library tbody tr').count(), { timeout: 10_000 }).toBe(before + 1);
    expect(requests.some((r) => r.method === 'POST' && /\/api\/upload\?name=osprey\.pdf$/.test(r.url))).toBe(true);
    expect(requests.some((r) => r.method === 'POST' && r.url.endsWith('/api/ingest') && (r.body ?? '').includes('inbox'))).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'library-drop.png') });

    // And it is searchable at once.
    const answer = await ask(page, 'Which tug towed a barge past Fort Rinella?');
    expect(await answer.textContent()).toMatch(/Osprey/);
  });

  it('the timeline window, when Ask is limited to it, filters search and ask: a track outside it disappears', async () => {
    const question = 'Which vessels had a GPX track with 8 positions?';
    const titlesOf = async (answer: Awaited<ReturnType<typeof ask>>) => (await answer.getByTestId('citation-chip').evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''))).join('|');
    const all = await ask(page, question);
    expect(await titlesOf(all)).toMatch(/Marlin/);
    expect(await titlesOf(all)).toMatch(/Kestrel/);

    await page.getByRole('tab', { name: 'Map & timeline' }).click();
    const end = page.getByLabel('Window end');
    await end.waitFor({ timeout: 20_000 });
    const [min, max] = await Promise.all([end.getAttribute('min'), end.getAttribute('max')]).then((v) => v.map(Number));
    // 14 March (Kestrel) to 17 March: Marlin (20 March) is outside.
    await setRange(page, 'Window end', min! + Math.round((max! - min!) / 2));
    await expect.poll(() => page.getByTestId('track-count').textContent(), { timeout: 10_000 }).toMatch(/^8 points from 1 entity/);
    await page.getByLabel(/Limit Ask and its passages to this window/).check();
    await page.screenshot({ path: path.join(SHOTS, 'timeline-filter.png') });

    const windowed = await ask(page, question);
    expect(await page.getByTestId('time-filter').textContent()).toMatch(/Only passages dated/);
    expect(await titlesOf(windowed)).toMatch(/Kestrel/);
    expect(await titlesOf(windowed)).not.toMatch(/Marlin/);
    const askBody = JSON.parse(requests.filter((r) => r.url.endsWith('/api/ask')).at(-1)!.body!) as { from?: string; to?: string };
    const searchBody = JSON.parse(requests.filter((r) => r.url.endsWith('/api/search')).at(-1)!.body!) as { from?: string; to?: string };
    expect(askBody.from).toMatch(/^2031-03-14T06:00/);
    expect(Date.parse(askBody.to!)).toBeLessThan(Date.UTC(2031, 2, 20));
    expect(searchBody).toMatchObject({ from: askBody.from, to: askBody.to });

    // "Search all dates" lifts the filter again.
    await page.getByRole('button', { name: 'Search all dates' }).click();
    const again = await ask(page, question);
    expect(await titlesOf(again)).toMatch(/Marlin/);
    await page.screenshot({ path: path.join(SHOTS, 'timeline-ask.png') });
  });

  it('made no request beyond loopback and broke no CSP rule', () => {
    expect(requests.filter((r) => leavesLoopback(r.url)).map((r) => r.url)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
