import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';

describe('ingest of a folder holding links that lead out of it', () => {
  let root: string;
  let cairn: Cairn;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-links-'));
    const folder = path.join(root, 'drop');
    await mkdir(folder);
    await writeFile(path.join(folder, 'note.txt'), 'The patrol reached the ridge at dawn.\n');
    await writeFile(path.join(root, 'outside.txt'), 'A file beside the folder, not in it.\n');
    await symlink('/', path.join(folder, 'root-link'));
    await symlink(path.join(root, 'outside.txt'), path.join(folder, 'outside-link.txt'));
    cairn = await Cairn.open(path.join(root, 'data'));
  }, 60_000);
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('ingests what is inside, and reports and audits each link it did not follow', async () => {
    const summary = await cairn.ingest({ paths: [path.join(root, 'drop')] });
    expect(summary.ingested).toBe(1);
    const notFollowed = summary.files.filter((f) => f.error?.code === 'NOT_FOLLOWED');
    expect(notFollowed.map((f) => path.basename(f.file)).sort()).toEqual(['outside-link.txt', 'root-link']);
    expect(notFollowed.every((f) => f.status === 'failed' && /outside the folder/.test(f.error!.message))).toBe(true);
    const audited = (await cairn.auditRecords()).filter((r) => r.action === 'ingest.failed');
    expect(audited.length).toBe(2);
    expect((await cairn.sources()).map((s) => s.title)).toEqual(['note.txt']);
  });
});
