import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CairnError } from '../../main/core/errors.js';
import { readDocument } from '../../ingest/documents/index.js';
import { closeIsolatedReaders, readDocumentIsolated } from '../../ingest/documents/worker.js';
import { type FixtureSet, writeFixtures } from '../fixtures/documents/make-fixtures.js';

// A cold worker loads tsx, pdf.js and mailparser: allow for a busy machine.
const SLOW = 30_000;

let fx: FixtureSet;
beforeAll(async () => {
  fx = await writeFixtures(await mkdtemp(path.join(os.tmpdir(), 'cairn-worker-')));
});
afterAll(async () => {
  await closeIsolatedReaders();
  await rm(fx.dir, { recursive: true, force: true });
});

const bytesOf = (name: string): Promise<Buffer> => readFile(fx.files[name]!);

describe('readDocumentIsolated', () => {
  it('gives the same document as readDocument, for a PDF and an e-mail with attachments', async () => {
    for (const name of ['report.pdf', 'message.eml']) {
      const bytes = await bytesOf(name);
      const isolated = await readDocumentIsolated(bytes, { filename: name });
      const direct = await readDocument(bytes, { filename: name });
      expect(isolated).toEqual(direct);
    }
  }, SLOW);

  it('returns attachments as Uint8Array and leaves the caller’s bytes usable', async () => {
    const bytes = await bytesOf('message.eml');
    const copy = Buffer.from(bytes);
    const doc = await readDocumentIsolated(bytes, { filename: 'message.eml' });
    expect(doc.attachments[0]!.bytes).toBeInstanceOf(Uint8Array);
    expect(doc.attachments[0]!.bytes.byteLength).toBeGreaterThan(0);
    expect(Buffer.compare(bytes, copy)).toBe(0);
  }, SLOW);

  it('brings errors back as CairnError with the same code, message and input', async () => {
    for (const [name, opts] of [['empty.txt', {}], ['image.png', {}], ['locked.pdf', {}], ['locked.pdf', { password: 'nope' }], ['scan.pdf', {}]] as const) {
      const bytes = await bytesOf(name);
      const direct = (await readDocument(bytes, { filename: name, ...opts }).then(() => undefined, (e: unknown) => e)) as CairnError;
      const isolated = await readDocumentIsolated(bytes, { filename: name, ...opts }).catch((e: unknown) => e);
      expect(isolated).toBeInstanceOf(CairnError);
      expect((isolated as CairnError).toJSON()).toEqual(direct.toJSON());
    }
  }, SLOW);

  it('stops a read that outlives its deadline with TIMEOUT, naming the file and the limit', async () => {
    const e = await readDocumentIsolated(await bytesOf('report.pdf'), { filename: 'report.pdf' }, { timeoutMs: 1 }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(CairnError);
    expect((e as CairnError).code).toBe('TIMEOUT');
    expect((e as CairnError).input).toBe('report.pdf');
    expect((e as CairnError).message).toMatch(/report\.pdf.*1 ms/);
    // The next read still works (a fresh worker replaces the killed one).
    const doc = await readDocumentIsolated(await bytesOf('log.txt'), { filename: 'log.txt' });
    expect(doc.format).toBe('text');
  }, SLOW);

  it('a worker that runs out of its heap limit is TOO_LARGE, naming the file', async () => {
    const e = await readDocumentIsolated(await bytesOf('report.pdf'), { filename: 'report.pdf' }, { maxMemoryMb: 8 }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(CairnError);
    expect(e).toMatchObject({ code: 'TOO_LARGE', input: 'report.pdf' });
    expect((e as CairnError).message).toMatch(/report\.pdf.*8 MB/);
  }, SLOW);

  it('refuses input over maxBytes before starting a worker', async () => {
    const e = await readDocumentIsolated(await bytesOf('report.pdf'), { filename: 'report.pdf', maxBytes: 100 }).catch((err: unknown) => err);
    expect(e).toMatchObject({ code: 'TOO_LARGE', input: 'report.pdf' });
  });

  it('serves concurrent reads', async () => {
    const names = ['report.pdf', 'review.docx', 'page.md'];
    const docs = await Promise.all(names.map(async (n) => readDocumentIsolated(await bytesOf(n), { filename: n })));
    expect(docs.map((d) => d.format)).toEqual(['pdf', 'docx', 'html']);
  }, SLOW);
});
