import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../../main/api/data-dir.js';

describe('resolveDataDir', () => {
  it('prefers --data, then $CAIRN_HOME, then the platform app-data folder', () => {
    expect(resolveDataDir('rel/dir', { CAIRN_HOME: '/x' })).toBe(path.resolve('rel/dir'));
    expect(resolveDataDir(undefined, { CAIRN_HOME: '/srv/cairn' })).toBe(path.resolve('/srv/cairn'));
    const fallback = resolveDataDir(undefined, {});
    expect(path.isAbsolute(fallback)).toBe(true);
    expect(fallback.toLowerCase()).toContain('cairn');
  });
});
