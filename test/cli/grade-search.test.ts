import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/index.js';

async function cairn(data: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['node', 'cairn', '--data', data, ...args], { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`) });
  return { code, out, err };
}

describe('search filtered on source grades (cairn grade, cairn search --grade)', () => {
  let root: string;
  let data: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-grade-'));
    data = path.join(root, 'data');
    const docs = path.join(root, 'docs');
    await mkdir(docs);
    await writeFile(path.join(docs, 'reliable.txt'), 'The convoy left Port Sarn at dawn with twelve trucks.');
    await writeFile(path.join(docs, 'rumour.txt'), 'A rumour says the convoy left Port Sarn with forty trucks.');
    expect((await cairn(data, 'ingest', docs)).code).toBe(0);
    const sources = JSON.parse((await cairn(data, 'sources', '--json')).out) as { id: string; origin: string }[];
    const id = (name: string): string => sources.find((s) => s.origin.endsWith(name))!.id;
    expect((await cairn(data, 'grade', id('reliable.txt'), 'A1')).code).toBe(0);
    expect((await cairn(data, 'grade', id('rumour.txt'), 'E5')).code).toBe(0);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('keeps only sources graded at least as well as asked', async () => {
    const all = JSON.parse((await cairn(data, 'search', 'convoy Port Sarn trucks', '--json')).out) as { hits: { title: string }[] };
    expect(all.hits.map((h) => h.title).sort()).toEqual(['reliable.txt', 'rumour.txt']);
    const good = JSON.parse((await cairn(data, 'search', 'convoy Port Sarn trucks', '--grade', 'B2', '--json')).out) as { hits: { title: string }[] };
    expect(good.hits.map((h) => h.title)).toEqual(['reliable.txt']);
  });
});
