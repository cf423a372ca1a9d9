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

describe('expandPaths on a hostile tree', () => {
  let root: string;
  let outside: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-walk-hostile-'));
    outside = await mkdtemp(path.join(os.tmpdir(), 'cairn-walk-outside-'));
    await writeFile(path.join(outside, 'secret.txt'), 'not for the store');
    await mkdir(path.join(root, 'tree', 'sub'), { recursive: true });
    await writeFile(path.join(root, 'tree', 'note.txt'), 'n');
    await writeFile(path.join(root, 'tree', 'sub', 'inner.txt'), 'i');
    await symlink('/', path.join(root, 'tree', 'slash'));
    await symlink('/proc', path.join(root, 'tree', 'proc'));
    await symlink(path.join(outside, 'secret.txt'), path.join(root, 'tree', 'secret-link.txt'));
    await symlink(outside, path.join(root, 'tree', 'outside-dir'));
    await symlink('sub/inner.txt', path.join(root, 'tree', 'inner-link.txt'));
    await symlink('missing', path.join(root, 'tree', 'dangling.txt'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('follows no link out of the folder (/, /proc, a file or folder elsewhere), and says which it skipped', async () => {
    const skipped: string[] = [];
    const files = await expandPaths([path.join(root, 'tree')], [], (f) => skipped.push(path.basename(f)));
    // inner-link.txt resolves to sub/inner.txt, already listed by its real path once.
    expect(files.map((f) => path.relative(root, f)).sort()).toEqual([path.join('tree', 'inner-link.txt'), path.join('tree', 'note.txt')]);
    expect(skipped.sort()).toEqual(['outside-dir', 'proc', 'secret-link.txt', 'slash']);
  });

  it('still follows a link named on the command line', async () => {
    expect(await expandPaths([path.join(root, 'tree', 'secret-link.txt')])).toEqual([path.join(root, 'tree', 'secret-link.txt')]);
  });
});
