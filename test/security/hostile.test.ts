/**
 * Fast subset of the hostile-input check (`npm run verify:security` runs the
 * whole corpus): a few generated hostile files, and two real ones from
 * ../shared when present, each through a real `cairn ingest` in a child
 * process with a time and memory limit.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify, type HostileRow, runHostileCases, totals } from '../../scripts/security/hostile.js';
import { sharedDir } from '../../scripts/security/paths.js';
import { makeHostileCorpus } from '../fixtures/hostile/make-hostile.js';

const FAST_CASES = ['pdf-garbage.pdf', 'pdf-encrypted.pdf', 'text-nul-bytes.txt', 'geojson-nested-100k.geojson', 'xxe.gpx', 'xxe.svg', 'kmz-zip-slip.kmz', 'dir-symlink-loops', 'v:xxe-utf16.gpx', 'v:xxe-document.docx'];
const SHARED_CASES = ['shared:pdfs/qpdf-issue-146.pdf', 'shared:imagery/hostile/svg_xxe_file.svg'];

describe('classifying how an ingest child ended', () => {
  const base = { timedOut: false, overMemory: false, signal: null, code: 0, stdout: '', stderr: '' };
  const summary = (status: string, code?: string): string => JSON.stringify({ files: [{ file: 'f', status, ...(code ? { error: { code, message: 'm' } } : {}) }], ingested: status === 'ingested' ? 1 : 0, exists: 0, failed: status === 'failed' ? 1 : 0 });

  it('reads the JSON summary: ingested, or refused with its CairnError code', () => {
    expect(classify({ ...base, stdout: summary('ingested') }).outcome).toBe('ingested');
    expect(classify({ ...base, code: 1, stdout: summary('failed', 'PDF_INVALID') })).toEqual({ outcome: 'refused', reason: 'PDF_INVALID' });
  });

  it('calls a limit kill hung or over-memory, a signal or a stack a crash', () => {
    expect(classify({ ...base, timedOut: true, code: null, signal: 'SIGKILL' }).outcome).toBe('hung');
    expect(classify({ ...base, overMemory: true, code: null, signal: 'SIGKILL' }).outcome).toBe('over-memory');
    expect(classify({ ...base, code: null, signal: 'SIGABRT' }).outcome).toBe('crashed');
    expect(classify({ ...base, code: 2, stderr: 'cairn: internal error: boom' }).outcome).toBe('crashed');
    expect(classify({ ...base, code: 134, stderr: 'FATAL ERROR: Reached heap limit' }).outcome).toBe('crashed');
  });

  it('takes a one-line user error with no JSON as a refusal', () => {
    expect(classify({ ...base, code: 1, stderr: 'cairn: not a regular file or folder: /x\n' })).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/^CLI_REFUSED/) });
  });
});

describe('hostile files through a real `cairn ingest` child process (fast subset)', () => {
  let dir: string;
  let rows: HostileRow[];
  const shared = sharedDir();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-hostile-test-'));
    await mkdir(path.join(dir, 'corpus'));
    if (!shared) console.warn(`skipping the ../shared hostile files (${SHARED_CASES.join(', ')}): ../shared is absent`);
    const cases = await makeHostileCorpus(path.join(dir, 'corpus'), { quick: true, only: [...FAST_CASES, ...SHARED_CASES], sharedDir: shared });
    rows = await runHostileCases(cases, { timeoutMs: 60_000, memCapMb: 4096, parallel: 2 });
  }, 150_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('never crashes, hangs or runs out of memory', () => {
    const t = totals(rows);
    expect(t.tried).toBe(FAST_CASES.length + (shared ? SHARED_CASES.length : 0));
    expect(rows.filter((r) => !['ingested', 'refused'].includes(r.outcome)).map((r) => `${r.name}: ${r.outcome} ${r.reason}`)).toEqual([]);
  });

  it('leaks nothing: no XXE file content in the store, no zip-slip file outside, no egress', () => {
    const t = totals(rows);
    expect(t.leaked).toBe(0);
    expect(t.escaped).toBe(0);
    expect(t.egress).toBe(0);
  });

  it('refuses what cannot be read, with the right reason, and reads the folder with loops', () => {
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(by['pdf-encrypted.pdf']).toMatchObject({ outcome: 'refused', reason: 'PDF_PASSWORD_REQUIRED' });
    expect(by['pdf-garbage.pdf']?.outcome).toBe('refused');
    expect(by['text-nul-bytes.txt']?.outcome).toBe('refused');
    // Variants (variants.ts): XXE hidden in UTF-16, and in a DOCX part, refused with a reason.
    expect(by['v:xxe-utf16.gpx']).toMatchObject({ outcome: 'refused', reason: 'PARSE_FAILED' });
    expect(by['v:xxe-document.docx']).toMatchObject({ outcome: 'refused', reason: 'PARSE_FAILED' });
    expect(by['dir-symlink-loops']).toMatchObject({ outcome: 'ingested', reason: expect.stringMatching(/^2 ingested/) });
    if (shared && existsSync(path.join(shared, 'eval', 'pdfs', 'qpdf-issue-146.pdf'))) expect(by['shared:pdfs/qpdf-issue-146.pdf']?.outcome).toBe('refused');
  });
});
