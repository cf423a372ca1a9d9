import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredSearchOptions, loadSearchConfig } from '../../main/search/config.js';
import { PRF_DEFAULTS } from '../../main/search/prf.js';

describe('ranking settings in DATA/config.json', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-search-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the measured defaults when nothing is set', async () => {
    expect(configuredSearchOptions(await loadSearchConfig(dir))).toEqual({});
  });

  it('passes weights and feedback settings through, filling feedback defaults', async () => {
    await writeFile(path.join(dir, 'config.json'), JSON.stringify({ search: { proximity: 0.2, semanticWeight: 0, prf: { terms: 20 } } }));
    expect(configuredSearchOptions(await loadSearchConfig(dir))).toEqual({ proximity: 0.2, semanticWeight: 0, prf: { ...PRF_DEFAULTS, terms: 20 } });
    await writeFile(path.join(dir, 'config.json'), JSON.stringify({ search: { prf: true } }));
    expect(configuredSearchOptions(await loadSearchConfig(dir))).toEqual({ prf: PRF_DEFAULTS });
  });

  it('refuses a weight out of range, naming the setting', async () => {
    await writeFile(path.join(dir, 'config.json'), JSON.stringify({ search: { semanticWeight: -1 } }));
    await expect(loadSearchConfig(dir)).rejects.toThrow(/semanticWeight/);
  });
});
