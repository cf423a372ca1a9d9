/**
 * The source viewer's operations and the byte routes of `cairn serve` over a
 * real Cairn on a temp folder: originals kept content-addressed at ingest,
 * `chunk` with neighbours, `sourceContent`, GET /api/content/<id> with its
 * own type and nosniff, POST /api/upload into the inbox then ingest, and the
 * marking filter on all of them.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import { contract } from '../../main/api/contract.js';
import { type CairnHttpServer, createHttpServer } from '../../main/api/http.js';
import { runOp } from '../../main/api/ops.js';
import { safeUploadName, saveUpload } from '../../main/api/upload.js';
import { CairnError } from '../../main/core/errors.js';
import { blobPath, keepBlob, readBlob } from '../../main/store/blobs.js';
import { makePdf, PDF_PAGES } from '../fixtures/documents/make-fixtures.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('source viewer operations and byte routes', () => {
  let root: string;
  let data: string;
  let cairn: Cairn;
  let server: CairnHttpServer;
  let pdf: Buffer;
  let secretPdf: Buffer;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-viewer-'));
    data = path.join(root, 'data');
    pdf = await makePdf(PDF_PAGES, { title: 'Convoy report' });
    secretPdf = await makePdf(['The submarine Grey Pike will berth at Halcyra on 20 May.'], { title: 'Berthing plan' });
    await writeFile(path.join(root, 'convoy.pdf'), pdf);
    await writeFile(path.join(root, 'berthing.pdf'), secretPdf);
    await writeFile(path.join(root, 'notes.txt'), 'Shift log. All quiet on the east gate.');
    cairn = await Cairn.open(data, { actor: 'admin' });
    expect((await cairn.ingest({ paths: [path.join(root, 'convoy.pdf'), path.join(root, 'notes.txt')] })).ingested).toBe(2);
    expect((await cairn.ingest({ paths: [path.join(root, 'berthing.pdf')], marking: 'SECRET//NOFORN' })).ingested).toBe(1);
    server = await createHttpServer(cairn, { logError: () => undefined });
  });

  afterAll(async () => {
    await server?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('keeps the original of a PDF content-addressed under DATA/blobs, and not that of a text file', async () => {
    const kept = await readFile(blobPath(data, sha(pdf)));
    expect(kept.equals(pdf)).toBe(true);
    // The two PDFs (generated with a timestamp) may share a shard; compare the kept files, not the shard names.
    const blobs = path.join(data, 'blobs');
    const keptIds = (await Promise.all((await readdir(blobs)).map((shard) => readdir(path.join(blobs, shard))))).flat();
    expect(keptIds.sort()).toEqual([sha(pdf), sha(secretPdf)].sort());
  });

  it('re-ingesting a PDF whose original was not kept (an older ingest) keeps it now', async () => {
    await rm(blobPath(data, sha(pdf)));
    expect((await runOp(cairn, 'chunk', { id: (await cairn.search({ query: 'convoy Harbor Point', k: 1 })).hits[0]!.chunkId })).source.hasContent).toBe(false);
    expect((await cairn.ingest({ paths: [path.join(root, 'convoy.pdf')] })).exists).toBe(1);
    expect((await readFile(blobPath(data, sha(pdf)))).equals(pdf)).toBe(true);
  });

  it('keepBlob refuses over the size limit and readBlob refuses bytes that no longer match their name', async () => {
    const bytes = Buffer.from('x'.repeat(100));
    expect(await keepBlob(data, sha(bytes), bytes, 50)).toBe(false);
    expect(existsSync(blobPath(data, sha(bytes)))).toBe(false);
    expect(await keepBlob(data, sha(bytes), bytes)).toBe(true);
    expect((await readBlob(data, sha(bytes)))?.equals(bytes)).toBe(true);
    await writeFile(blobPath(data, sha(bytes)), 'tampered');
    expect(await readBlob(data, sha(bytes))).toBeNull();
    await rm(blobPath(data, sha(bytes)));
  });

  it('chunk: a passage with its neighbours and what the viewer needs of its source', async () => {
    const hit = (await cairn.search({ query: 'second convoy delayed by fog', k: 1 })).hits[0]!;
    expect(hit.locator.page).toBe(2);
    const view = contract.chunk.output.parse(await runOp(cairn, 'chunk', { id: hit.chunkId }));
    expect(view.chunk.id).toBe(hit.chunkId);
    expect(view.chunk.text).toContain('fog near Gray Island');
    expect(view.before.map((c) => c.page)).toEqual([1]);
    expect(view.after.map((c) => c.page)).toEqual([3]);
    expect(view.source).toMatchObject({ id: sha(pdf), kind: 'document', mime: 'application/pdf', hasContent: true });
    const alone = await runOp(cairn, 'chunk', { id: hit.chunkId, neighbours: 0 });
    expect([alone.before.length, alone.after.length]).toEqual([0, 0]);

    const text = (await cairn.search({ query: 'east gate', k: 1 })).hits[0]!;
    expect((await runOp(cairn, 'chunk', { id: text.chunkId })).source).toMatchObject({ mime: 'text/plain', hasContent: false });

    await expect(runOp(cairn, 'chunk', { id: 'f'.repeat(64) })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(runOp(cairn, 'chunk', { id: '../etc' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('sourceContent: the exact original bytes; a text source has none', async () => {
    const out = contract.sourceContent.output.parse(await runOp(cairn, 'sourceContent', { id: sha(pdf) }));
    expect(out.mime).toBe('application/pdf');
    expect(Buffer.from(out.base64, 'base64').equals(pdf)).toBe(true);
    const txt = (await cairn.sources()).find((s) => s.mime === 'text/plain')!;
    await expect(runOp(cairn, 'sourceContent', { id: txt.id })).rejects.toMatchObject({ code: 'UNSUPPORTED_TYPE' });
  });

  it('GET /api/content/<id>: raw bytes with their type, nosniff and a sandboxing CSP; token required', async () => {
    const res = await fetch(`${server.url}/api/content/${sha(pdf)}`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf)).toBe(true);

    expect((await fetch(`${server.url}/api/content/${sha(pdf)}`)).status).toBe(401);
    const missing = await fetch(`${server.url}/api/content/${'0'.repeat(64)}`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(missing.status).toBe(404);
    const bad = await fetch(`${server.url}/api/content/..%2F..%2Fetc%2Fpasswd`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(bad.status).toBe(400);
  });

  it('POST /api/upload streams into DATA/inbox under a safe name; ingest then takes it', async () => {
    const bytes = await makePdf(['Upload test: the ferry Morning Gull sailed from Port Sarn.']);
    const res = await fetch(`${server.url}/api/upload?name=${encodeURIComponent('../../evil/ferry.pdf')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(res.status).toBe(200);
    const saved = (await res.json()) as { path: string; name: string; bytes: number; sha256: string };
    expect(saved).toMatchObject({ name: 'ferry.pdf', bytes: bytes.byteLength, sha256: sha(bytes) });
    expect(path.relative(path.join(data, 'inbox'), saved.path).startsWith('..')).toBe(false);
    expect((await readFile(saved.path)).equals(bytes)).toBe(true);
    const summary = await runOp(cairn, 'ingest', { paths: [saved.path] });
    expect(summary.ingested).toBe(1);
    expect((await cairn.search({ query: 'Morning Gull ferry', k: 1 })).hits[0]?.sourceId).toBe(sha(bytes));

    const noType = await fetch(`${server.url}/api/upload?name=a.pdf`, { method: 'POST', headers: { authorization: `Bearer ${server.token}`, 'content-type': 'text/plain' }, body: 'x' });
    expect(noType.status).toBe(400);
    const noToken = await fetch(`${server.url}/api/upload?name=a.pdf`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    expect(noToken.status).toBe(401);
  });

  it('saveUpload stops at the size limit and keeps nothing; names are sanitised', async () => {
    const big = Readable.from([Buffer.alloc(40), Buffer.alloc(40)]);
    const err = await saveUpload(data, 'big.bin', big, 64).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CairnError);
    expect((err as CairnError).code).toBe('TOO_LARGE');
    expect((await readdir(path.join(data, 'inbox'))).filter((n) => n.startsWith('.upload-'))).toEqual([]);
    expect(safeUploadName('..\\..\\x.pdf')).toBe('x.pdf');
    expect(safeUploadName('.hidden')).toBe('hidden');
    expect(safeUploadName('a\u0000b.pdf')).toBe('a_b.pdf');
    expect(safeUploadName('')).toBe('upload');
  });

  it('marking filter: an UNCLASSIFIED user gets neither the SECRET passage nor its original', async () => {
    const secretHit = (await cairn.search({ query: 'Grey Pike berth Halcyra', k: 1 })).hits[0]!;
    expect(secretHit.sourceId).toBe(sha(secretPdf));
    await writeFile(path.join(data, 'users.json'), JSON.stringify({ users: { ann: { clearance: 'UNCLASSIFIED', nationality: 'USA' } } }));
    try {
      const ann = await Cairn.open(data, { actor: 'ann' });
      await expect(runOp(ann, 'chunk', { id: secretHit.chunkId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(runOp(ann, 'sourceContent', { id: sha(secretPdf) })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const annServer = await createHttpServer(ann, { logError: () => undefined });
      try {
        const res = await fetch(`${annServer.url}/api/content/${sha(secretPdf)}`, { headers: { authorization: `Bearer ${annServer.token}` } });
        expect(res.status).toBe(404);
        const open = await fetch(`${annServer.url}/api/content/${sha(pdf)}`, { headers: { authorization: `Bearer ${annServer.token}` } });
        expect(open.status).toBe(200);
      } finally {
        await annServer.close();
      }
    } finally {
      await rm(path.join(data, 'users.json'));
    }
  });

  it('ask and search honour a time window (from/to)', async () => {
    // Documents carry no time: a window leaves only dated passages, so none here.
    const all = await cairn.ask({ question: 'When did the convoy leave Harbor Point?' });
    expect(all.citations.length).toBeGreaterThan(0);
    const windowed = await cairn.ask({ question: 'When did the convoy leave Harbor Point?', from: '2031-01-01T00:00:00Z', to: '2031-12-31T00:00:00Z' });
    expect(windowed.citations).toEqual([]);
    const records = await cairn.auditRecords();
    expect((records.at(-1)!.payload as { retrieval: { window?: unknown } }).retrieval.window).toEqual({ from: '2031-01-01T00:00:00Z', to: '2031-12-31T00:00:00Z' });
  });
});
