import { describe, expect, it } from 'vitest';
import { splitPhase } from '../../renderer/src/admin/progress.js';

describe('Admin import progress labels', () => {
  it('names the phase and shows the path inside the package, never the server staging folder', () => {
    expect(splitPhase('extract reports/pier.md')).toEqual({ phase: 'Extracting', file: 'reports/pier.md' });
    expect(splitPhase('ingest /srv/cairn/data/packages/staging/43dd7534-58c4/files/reports/pier.md')).toEqual({ phase: 'Ingesting', file: 'reports/pier.md' });
    expect(splitPhase('ingest C:\\cairn\\data\\packages\\staging\\abc\\files\\a.txt')).toEqual({ phase: 'Ingesting', file: 'a.txt' });
    expect(splitPhase('something else')).toEqual({ phase: 'Importing', file: 'something else' });
  });
});
