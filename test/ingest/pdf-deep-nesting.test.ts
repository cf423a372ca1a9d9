import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from '../../ingest/documents/index.js';
import { VARIANTS } from '../fixtures/hostile/variants.js';

describe('a PDF whose objects nest 100,000 deep', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-pdf-deep-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const name of ['pdf-nested-arrays-100k.pdf', 'pdf-nested-dicts-100k.pdf']) {
    it(`${name}: refused as PDF_INVALID with a plain reason, not the engine's stack overflow`, async () => {
      const c = await VARIANTS[name]!(dir, { quick: true } as never);
      const err = await readDocument(await readFile(c.path), { filename: name } as never).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'PDF_INVALID', message: expect.stringMatching(/nested too deeply/) });
      expect((err as Error).message).not.toMatch(/call stack/i);
    });
  }
});
