/**
 * Conversations and feedback in the Ask view, end to end: Vite builds
 * renderer/, the real `cairn serve` server (main/api/http.ts) serves it over
 * loopback with a real Cairn behind it (marked text reports ingested here),
 * and Debian's headless Chromium drives it through playwright-core. The
 * server side is read back through the same Cairn: follow-ups land in one
 * conversation, "New conversation" starts another, a reopened conversation
 * shows its turns with banners and citations, and feedback given in the UI
 * is in `feedbackList` under the answer's auditId.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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
if (!HAS_CHROMIUM) console.warn(`test/renderer/conversations-e2e.test.ts: skipped, ${CHROMIUM} is absent (apt-get install chromium)`);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = path.join(ROOT, 'test/e2e/screenshots');

const HERON = `Port Sarn harbour log, March 2031.

The cargo ship Blue Heron arrived at Port Sarn on 12 March 2031 carrying machine parts.
The Blue Heron left Port Sarn on 15 March 2031 bound for Valletta with an empty hold.`;

const GALE = `Weather bulletin, northern coast.

A northerly gale kept the fishing fleet of Kaldor in port for three days.
The lighthouse at Kaldor Point was damaged by the storm surge.`;

async function ask(page: Page, question: string) {
  const before = await page.getByTestId('answer').count();
  await page.getByRole('textbox', { name: 'Question' }).fill(question);
  await page.getByRole('textbox', { name: 'Question' }).press('Enter');
  await expect.poll(() => page.getByTestId('answer').count(), { timeout: 30_000 }).toBe(before + 1);
  const answer = page.getByTestId('answer').last();
  await answer.getByTestId('audit-id').waitFor({ timeout: 30_000 });
  return answer;
}

const conversationOnScreen = (page: Page): Promise<string | null> => page.getByTestId('conversation-id').getAttribute('data-id');

describe.skipIf(!HAS_CHROMIUM)('conversations and feedback in headless Chromium against cairn serve', () => {
  let tmp: string;
  let cairn: Cairn;
  let server: CairnHttpServer;
  let browser: Browser;
  let page: Page;
  const asks: Record<string, unknown>[] = [];
  const problems: string[] = [];
  let first = '';
  /** The banners the two answers of the first conversation carried when asked. */
  let liveBanners: string[][] = [];

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'cairn-conv-ui-'));
    await mkdir(SHOTS, { recursive: true });
    await writeFile(path.join(tmp, 'heron.txt'), HERON);
    await writeFile(path.join(tmp, 'gale.txt'), GALE);
    const outDir = path.join(tmp, 'dist');
    [cairn] = await Promise.all([
      Cairn.open(path.join(tmp, 'data'), { actor: 'conv-test' }),
      build({ configFile: path.join(ROOT, 'renderer/vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } }),
    ]);
    expect((await cairn.ingest({ paths: [path.join(tmp, 'heron.txt')], marking: 'SECRET//NOFORN' })).ingested).toBe(1);
    expect((await cairn.ingest({ paths: [path.join(tmp, 'gale.txt')] })).ingested).toBe(1);
    server = await createHttpServer(cairn, { host: '127.0.0.1', port: 0, staticDir: outDir, logError: (e) => problems.push(`server: ${String(e)}`) });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('request', (r) => {
      if (r.url().endsWith('/api/ask')) asks.push(JSON.parse(r.postData() ?? '{}') as Record<string, unknown>);
    });
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

  it('sends the conversationId an answer returned with the follow-up question', async () => {
    expect(await conversationOnScreen(page)).toBe('');
    const a1 = await ask(page, 'When did the Blue Heron arrive at Port Sarn?');
    expect(asks[0]).not.toHaveProperty('conversationId');
    first = (await conversationOnScreen(page)) ?? '';
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(await a1.getByTestId('banner').allTextContents()).toEqual(['SECRET//NOFORN', 'SECRET//NOFORN']);

    const a2 = await ask(page, 'And where was it bound?');
    expect(asks[1]).toMatchObject({ question: 'And where was it bound?', conversationId: first });
    liveBanners = [await a1.getByTestId('banner').allTextContents(), await a2.getByTestId('banner').allTextContents()];
    expect(await conversationOnScreen(page)).toBe(first);
    const stored = await cairn.conversation({ id: first });
    expect(stored.turns.map((t) => t.question)).toEqual(['When did the Blue Heron arrive at Port Sarn?', 'And where was it bound?']);
    // Each stored turn names its answer's audit record, the one the UI shows.
    const shown = await page.getByTestId('audit-id').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    expect(stored.turns.map((t) => t.auditId)).toEqual(shown);
  });

  it('"New conversation" clears the view and the next question starts another conversation', async () => {
    await page.getByRole('button', { name: 'New conversation' }).click();
    expect(await page.getByTestId('answer').count()).toBe(0);
    expect(await conversationOnScreen(page)).toBe('');
    await ask(page, 'What kept the fishing fleet of Kaldor in port?');
    expect(asks[2]).not.toHaveProperty('conversationId');
    const second = await conversationOnScreen(page);
    expect(second).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).not.toBe(first);
    expect((await cairn.conversations()).map((c) => c.id).sort()).toEqual([first, second].sort());
  });

  it('reopens a saved conversation from the list with its banners and citations, and continues it', async () => {
    await page.getByRole('button', { name: 'Conversations' }).click();
    const items = page.getByTestId('conversation-item');
    await expect.poll(() => items.count()).toBe(2);
    // Most recent first: the Kaldor conversation, then the Blue Heron one, marked by its two questions.
    expect(await items.nth(1).textContent()).toMatch(/Blue Heron arrive.*2 questions/);
    await page.screenshot({ path: path.join(SHOTS, 'ask-conversations-list.png') });
    await items.nth(1).click();

    const answers = page.getByTestId('answer');
    await expect.poll(() => answers.count()).toBe(2);
    expect(await conversationOnScreen(page)).toBe(first);
    await expect.poll(() => page.getByTestId('conversation-list').count()).toBe(0);
    const questions = await page.locator('.turn__q p').allTextContents();
    expect(questions).toEqual(['When did the Blue Heron arrive at Port Sarn?', 'And where was it bound?']);
    for (let i = 0; i < 2; i++) expect(await answers.nth(i).getByTestId('banner').allTextContents()).toEqual(liveBanners[i]);
    expect(await answers.first().textContent()).toMatch(/12 March 2031/);
    expect(await answers.first().getByTestId('citation-chip').count()).toBeGreaterThan(0);

    // A reopened citation opens its passage.
    await answers.first().getByTestId('citation-chip').first().click();
    const panel = page.getByTestId('source-panel');
    await panel.waitFor();
    // The extractive sentence is quoted word for word: the highlight is that sentence, not the whole passage.
    expect(await panel.getByTestId('quote-highlight').textContent()).toBe('The cargo ship Blue Heron arrived at Port Sarn on 12 March 2031 carrying machine parts.');
    await page.screenshot({ path: path.join(SHOTS, 'ask-conversation-reopened.png') });
    await page.getByRole('button', { name: 'Close source' }).click();

    // The next question continues the reopened conversation.
    await ask(page, 'What was it carrying?');
    expect(asks.at(-1)).toMatchObject({ conversationId: first });
    expect((await cairn.conversation({ id: first })).turns).toHaveLength(3);
  });

  it('rates, flags a citation and corrects an answer; each lands in feedbackList under the answer auditId', async () => {
    const answer = page.getByTestId('answer').first();
    const answerId = (await answer.getByTestId('audit-id').getAttribute('data-id'))!;
    expect(answerId).toMatch(/^[0-9a-f]{64}$/);
    const fb = answer.getByTestId('feedback');
    const confirmation = fb.getByTestId('feedback-confirmation');

    await fb.getByRole('button', { name: '▲ Useful' }).click();
    await expect.poll(() => confirmation.textContent()).toMatch(/Rated useful\. Recorded as .*marked SECRET\/\/NOFORN/);
    expect(await fb.getByRole('button', { name: '▲ Useful' }).getAttribute('aria-pressed')).toBe('true');

    await fb.getByRole('button', { name: 'Flag a citation' }).click();
    await fb.getByLabel('What is wrong (optional)').fill('the arrival date is from another ship');
    await fb.getByRole('button', { name: 'Flag as wrong' }).click();
    await expect.poll(() => confirmation.textContent()).toMatch(/Citation 1 flagged as wrong/);

    await fb.getByRole('button', { name: 'Correct the answer' }).click();
    await fb.getByLabel('Corrected answer').fill('The Blue Heron arrived on 12 March 2031.');
    await fb.getByRole('button', { name: 'Send correction' }).click();
    await expect.poll(() => confirmation.textContent()).toMatch(/Correction saved/);
    await page.screenshot({ path: path.join(SHOTS, 'ask-feedback.png') });

    const rows = await cairn.feedbackList({ answerId });
    expect(rows.map((r) => r.kind).sort()).toEqual(['citation', 'correction', 'rating']);
    for (const r of rows) {
      expect(r.answerId).toBe(answerId);
      expect(r.user).toBe('conv-test');
      expect(r.marking).toBe('SECRET//NOFORN');
      expect(r.question).toBe('When did the Blue Heron arrive at Port Sarn?');
    }
    const byKind = Object.fromEntries(rows.map((r) => [r.kind, r.data]));
    expect(byKind.rating).toMatchObject({ rating: 'up' });
    expect(byKind.citation).toMatchObject({ verdict: 'wrong', note: 'the arrival date is from another ship' });
    const stored = await cairn.conversation({ id: first });
    const passage = stored.passages.find((p) => p.chunkId === (byKind.citation as { chunkId?: string }).chunkId);
    expect(passage?.text).toMatch(/Blue Heron/);
    expect(byKind.correction).toMatchObject({ correction: 'The Blue Heron arrived on 12 March 2031.' });
    // Other answers carry no feedback.
    expect(await cairn.feedbackList({})).toHaveLength(3);
  });

  it('lists the feedback for a reviewer, each row naming its answer', async () => {
    await page.getByRole('tab', { name: 'Feedback' }).click();
    const rows = page.getByTestId('feedback-row');
    await expect.poll(() => rows.count()).toBe(3);
    const answerId = await page.getByTestId('audit-id').first().getAttribute('data-id');
    expect(new Set(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-answer-id'))))).toEqual(new Set([answerId]));
    const text = (await page.getByTestId('feedback-table').textContent()) ?? '';
    expect(text).toMatch(/useful/);
    expect(text).toMatch(/citation wrong.*the arrival date is from another ship/);
    expect(text).toMatch(/correction: The Blue Heron arrived on 12 March 2031\./);
    await page.screenshot({ path: path.join(SHOTS, 'feedback-review.png') });

    // Feedback given meanwhile shows when the reviewer comes back to the view.
    await page.getByRole('tab', { name: 'Ask' }).click();
    const last = page.getByTestId('answer').last();
    await last.getByRole('button', { name: '▼ Not useful' }).click();
    await expect.poll(() => last.getByTestId('feedback-confirmation').textContent()).toMatch(/Rated not useful/);
    await page.getByRole('tab', { name: 'Feedback' }).click();
    await expect.poll(() => rows.count()).toBe(4);
    expect(await page.getByTestId('feedback-table').textContent()).toMatch(/not useful/);
    expect(problems).toEqual([]);
  });

  it('in the desktop shell, files dropped on the Library go to window.cairnDrop as File objects, never uploaded', async () => {
    // The preload's two bridges as the page sees them (the preload itself and the main side: test/electron/drop-ingest.test.ts).
    const desktop = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const urls: string[] = [];
    desktop.on('request', (r) => urls.push(r.url()));
    desktop.on('pageerror', (e) => problems.push(`desktop page error: ${e.message}`));
    await desktop.addInitScript(() => {
      const w = globalThis as unknown as Record<string, unknown>;
      const ok = (value: unknown) => Promise.resolve({ ok: true, value });
      const calls: unknown[] = [];
      w.__dropCalls = calls;
      w.cairn = Object.freeze({ sources: () => ok([]) });
      w.cairnDrop = Object.freeze({
        ingestFiles: (files: { name: string }[], options: unknown, onEvent: (e: unknown) => void) => {
          const FileCtor = (globalThis as unknown as { File: new () => unknown }).File;
          calls.push({ names: files.map((f) => f.name), allFiles: files.every((f) => f instanceof FileCtor), options });
          // A second drop is refused as the main side refuses a frame that is not the app page.
          if (calls.length > 1) return Promise.resolve({ ok: false, error: { code: 'FORBIDDEN', message: 'calls are accepted from the app page only' } });
          onEvent({ event: 'progress', data: { done: 1, total: 1, file: '/home/analyst/osprey.txt', status: 'ingested' } });
          return ok({
            files: [
              { file: '/home/analyst/osprey.txt', status: 'ingested', sourceId: 'x', title: 'osprey.txt', chunks: 1 },
              { file: '', status: 'failed', error: { code: 'NOT_A_FILE', message: 'a dropped item is not a file on this computer' } },
            ],
            ingested: 1,
            exists: 0,
            failed: 1,
          });
        },
      });
    });
    await desktop.goto(`${server.url}/`);
    expect(await desktop.locator('.topbar__transport').textContent()).toBe('Desktop');
    await desktop.getByRole('tab', { name: 'Library' }).click();
    const zone = desktop.getByTestId('dropzone');
    await zone.waitFor();
    await zone.getByRole('textbox').fill('SECRET');
    const dt = await desktop.evaluateHandle(() => {
      const g = globalThis as unknown as { DataTransfer: new () => { items: { add(f: unknown): void } }; File: new (parts: unknown[], name: string, o: { type: string }) => unknown };
      const d = new g.DataTransfer();
      d.items.add(new g.File(['The tug Osprey towed a barge.'], 'osprey.txt', { type: 'text/plain' }));
      return d;
    });
    await zone.dispatchEvent('dragover', { dataTransfer: dt });
    await zone.dispatchEvent('drop', { dataTransfer: dt });
    const result = desktop.getByTestId('ingest-result');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/1 ingested, 0 already loaded, 1 failed\..*\/home\/analyst\/osprey\.txt: ingested.*a dropped item is not a file on this computer/);
    expect(await desktop.evaluate(() => (globalThis as unknown as { __dropCalls: unknown[] }).__dropCalls)).toEqual([{ names: ['osprey.txt'], allFiles: true, options: { marking: 'SECRET' } }]);
    expect(urls.filter((u) => u.includes('/api/'))).toEqual([]);
    await desktop.screenshot({ path: path.join(SHOTS, 'library-drop-desktop.png') });
    // A refusal from the main side reaches the user as its message.
    await zone.dispatchEvent('drop', { dataTransfer: dt });
    await expect.poll(() => zone.getByRole('alert').textContent()).toBe('calls are accepted from the app page only');
    await desktop.close();
    expect(problems).toEqual([]);
  });
});
