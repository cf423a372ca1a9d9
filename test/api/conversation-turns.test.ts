/**
 * What a reopened conversation needs from the back end, and a follow-up
 * limited to a time window: every turn names its answer's audit record and
 * carries the banner of what it cites as the reader may see it now; a
 * windowed follow-up does not carry earlier-cited passages from outside the
 * window (real LanceDB, real files).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';

/** No date in the text: the log is undated, so it matches no time window. */
const HERON = 'Port Sarn harbour log. The cargo ship Blue Heron arrived at Port Sarn carrying machine parts. The Blue Heron later left Port Sarn bound for Valletta.';
const GALE = 'Weather bulletin. A northerly gale kept the fishing fleet of Kaldor in port for three days.';

function gpx(): string {
  const pts = Array.from({ length: 8 }, (_, i) => {
    const t = new Date(Date.UTC(2031, 2, 14, 6, i * 5)).toISOString();
    return `<trkpt lat="${(35.8 + i * 0.004).toFixed(5)}" lon="${(14.5 + i * 0.004).toFixed(5)}"><time>${t}</time></trkpt>`;
  }).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="cairn-test" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>Blue Heron</name><trkseg>${pts}</trkseg></trk></gpx>`;
}

describe('conversation turns for the renderer', () => {
  let root: string;
  let data: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-conv-turns-'));
    data = path.join(root, 'data');
    await writeFile(path.join(root, 'heron.txt'), HERON);
    await writeFile(path.join(root, 'gale.txt'), GALE);
    await writeFile(path.join(root, 'heron.gpx'), gpx());
    const cairn = await Cairn.open(data, { actor: 'admin' });
    await cairn.ingest({ paths: [path.join(root, 'heron.txt')], marking: 'SECRET' });
    await cairn.ingest({ paths: [path.join(root, 'gale.txt'), path.join(root, 'heron.gpx')] });
  }, 60_000);

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('each turn names its audit record and carries the banner of what it cites, as the reader may see it now', async () => {
    const admin = await Cairn.open(data, { actor: 'admin' });
    const a1 = await admin.ask({ question: 'When did the Blue Heron arrive at Port Sarn?' });
    const a2 = await admin.ask({ question: 'What kept the fishing fleet of Kaldor in port?', conversationId: a1.conversationId });
    expect(a1.banner).toBe('SECRET');
    const view = await admin.conversation({ id: a1.conversationId! });
    expect(view.turns.map((t) => [t.auditId, t.banner])).toEqual([
      [a1.auditId, a1.banner],
      [a2.auditId, a2.banner],
    ]);
    const records = new Map((await admin.auditRecords()).map((r) => [r.hash, r]));
    for (const t of view.turns) expect((records.get(t.auditId!)?.payload as { question?: string }).question).toBe(t.question);

    // A reader cleared below SECRET sees the first turn withheld, and its banner drops with it.
    await writeFile(path.join(data, 'users.json'), JSON.stringify({ users: { admin: { clearance: 'UNCLASSIFIED' } } }));
    try {
      const later = await (await Cairn.open(data, { actor: 'admin' })).conversation({ id: a1.conversationId! });
      expect(later.turns[0]!.sentences.every((s) => s.withheld)).toBe(true);
      expect(later.turns[0]!.banner).toBe('UNCLASSIFIED');
      expect(later.turns[0]!.auditId).toBe(a1.auditId);
    } finally {
      await rm(path.join(data, 'users.json'));
    }
  });

  it('a follow-up limited to a time window does not carry earlier-cited passages from outside it', async () => {
    const cairn = await Cairn.open(data, { actor: 'admin' });
    const first = await cairn.ask({ question: 'When did the Blue Heron arrive at Port Sarn?' });
    expect(first.citations.some((c) => c.title === 'heron.txt')).toBe(true);
    const windowed = await cairn.ask({ question: 'Where was the Blue Heron?', conversationId: first.conversationId, from: '2031-03-14T00:00Z', to: '2031-03-15T00:00Z' });
    // The undated log cited before is outside every window; the track on 14 March is inside.
    expect(windowed.citations.map((c) => c.title)).not.toContain('heron.txt');
    expect(windowed.citations.some((c) => c.locator && 'entity' in c.locator)).toBe(true);
    const record = (await cairn.auditRecords()).find((r) => r.hash === windowed.auditId)!.payload as { earlierCited?: unknown[] };
    expect(record.earlierCited ?? []).toEqual([]);
    // Without the window the follow-up may cite the earlier passage again.
    const open = await cairn.ask({ question: 'Where was the Blue Heron?', conversationId: first.conversationId });
    expect(open.citations.map((c) => c.title)).toContain('heron.txt');
  });
});
