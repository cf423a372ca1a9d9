import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandPaths } from '../ingest/walk.js';

describe('expandPaths', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-walk-'));
    await mkdir(path.join(root, 'a', 'b'), { recursive: true });
    await writeFile(path.join(root, 'a', 'one.txt'), '1');
    await writeFile(path.join(root, 'a', 'b', 'two.txt'), '2');
    await writeFile(path.join(root, 'a', '.hidden'), 'h');
    // A loop back to the top and a dangling link.
    await symlink(path.join(root, 'a'), path.join(root, 'a', 'b', 'loop'));
    await symlink(path.join(root, 'nowhere'), path.join(root, 'a', 'dangling'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('walks folders once, skipping hidden entries, loops and dangling links', async () => {
    const files = await expandPaths([path.join(root, 'a')]);
    expect(files.map((f) => path.relative(root, f)).sort()).toEqual([path.join('a', 'b', 'two.txt'), path.join('a', 'one.txt')]);
  });

  it('never walks into an excluded folder (the data folder)', async () => {
    const files = await expandPaths([path.join(root, 'a')], [path.join(root, 'a', 'b')]);
    expect(files.map((f) => path.relative(root, f))).toEqual([path.join('a', 'one.txt')]);
  });

  it('names a missing argument in a typed error', async () => {
    await expect(expandPaths([path.join(root, 'missing.pdf')])).rejects.toMatchObject({ code: 'NOT_FOUND', input: path.join(root, 'missing.pdf') });
  });
});
