import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentEvent, LangChainProvider, registerProviderKind } from '../../main/agent/index.js';
import { imageryAndTracks } from '../../main/api/agent-deps.js';
import { Cairn } from '../../main/api/cairn.js';
import { sentenceSpans } from '../../main/core/sentences.js';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { Store } from '../../main/store/store.js';

// A real GPX feed: the patrol boat Kestrel passes Port Sarn (41.90 N, 12.50 E)
// on 14 March, then, two hours later, is 60 km north (a second segment).
// The trawler Far Star is nowhere near.
function gpx(): string {
  const pts = (t0: number, lat0: number, lon0: number, n: number): string =>
    Array.from({ length: n }, (_, i) => {
      const t = new Date(Date.UTC(2031, 2, 14, 6, 0, 0) + (t0 + i * 60) * 1000).toISOString();
      return `<trkpt lat="${(lat0 + i * 0.001).toFixed(5)}" lon="${(lon0 + i * 0.001).toFixed(5)}"><time>${t}</time></trkpt>`;
    }).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="cairn-test" xmlns="http://www.topografix.com/GPX/1/1">
  <trk><name>Patrol boat Kestrel</name><trkseg>${pts(0, 41.895, 12.495, 10)}${pts(7200, 42.5, 12.5, 10)}</trkseg></trk>
  <trk><name>Trawler Far Star</name><trkseg>${pts(0, 35.0, 20.0, 10)}</trkseg></trk>
</gpx>`;
}

const REPORT = 'MARITIME REPORT, 12 March 2031. Analysts expect fuel deliveries at Port Sarn, on the coast at 41.90 N, 12.50 E. The harbour master expects a naval patrol within days.';
const QUESTION = 'Which vessels were near the port named in the 12 March report, and when?';
const AREA = { west: 12.45, south: 41.85, east: 12.55, north: 41.95 };

function firstSentence(text: string): string {
  return sentenceSpans(text)[0]!.text;
}

describe('the agent chains list_sources -> search_documents -> query_tracks over a real store', () => {
  let root: string;
  let data: string;
  let cairn: Cairn;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-agent-tools-'));
    data = path.join(root, 'data');
    await writeFile(path.join(root, 'report-12-march.txt'), REPORT);
    await writeFile(path.join(root, 'tracks.gpx'), gpx());
    cairn = await Cairn.open(data);
    expect((await cairn.ingest({ paths: [path.join(root, 'report-12-march.txt'), path.join(root, 'tracks.gpx')] })).ingested).toBe(2);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('query_tracks returns the segments holding positions in the area and window, and nothing else', async () => {
    const store = await Store.open(data, { embedderId: new HashedEmbedder().id, dimension: new HashedEmbedder().dimension });
    const deps = imageryAndTracks(store, new HashedEmbedder(), null);
    const near = await deps.queryTracks!({ area: AREA, limit: 10 });
    expect(near).toHaveLength(1);
    expect(near[0]!.locator).toMatchObject({ entity: 'Patrol boat Kestrel', t0: '2031-03-14T06:00:00.000Z', t1: '2031-03-14T06:09:00.000Z' });
    expect(near[0]!.title).toBe((await store.getSource(near[0]!.sourceId))!.title);
    // The window narrows it: the first segment ended before 07:00.
    expect(await deps.queryTracks!({ area: AREA, from: '2031-03-14T07:00:00Z', limit: 10 })).toEqual([]);
    // All Kestrel segments, no area: both; an unknown entity: none.
    expect((await deps.queryTracks!({ entity: 'Patrol boat Kestrel', limit: 10 })).map((c) => (c.locator as { t0: string }).t0).sort()).toEqual(['2031-03-14T06:00:00.000Z', '2031-03-14T08:00:00.000Z']);
    expect(await deps.queryTracks!({ entity: 'nobody', limit: 10 })).toEqual([]);
    // An ask's time window applies too.
    const windowed = imageryAndTracks(store, new HashedEmbedder(), null, { from: '2031-03-14T07:00:00Z' });
    expect((await windowed.queryTracks!({ entity: 'Patrol boat Kestrel', limit: 10 })).map((c) => (c.locator as { t0: string }).t0)).toEqual(['2031-03-14T08:00:00.000Z']);
    // Nothing readable, nothing returned.
    expect(await imageryAndTracks(store, new HashedEmbedder(), new Set(['SECRET'])).queryTracks!({ area: AREA, limit: 10 })).toEqual([]);
  });

  it('answers a multi-step question citing the document chunk and the track segment', async () => {
    const doc = (await cairn.search({ query: 'Port Sarn fuel deliveries', k: 3 })).hits.find((h) => h.title === 'report-12-march.txt')!;
    const seg = (await cairn.search({ query: 'Patrol boat Kestrel', k: 5 })).hits.find((h) => h.place && 'entity' in h.place && h.place.t0.startsWith('2031-03-14T06'))!;
    expect(doc && seg).toBeTruthy();
    const portSentence = sentenceSpans(doc.text).map((s) => s.text).find((s) => s.includes('41.90 N'))!;
    const trackSentence = firstSentence(seg.text.slice(seg.text.indexOf('.') + 1).trim());

    const script = [
      JSON.stringify({ tool: 'list_sources', args: {} }),
      JSON.stringify({ tool: 'search_documents', args: { query: 'port 12 March report', k: 3 } }),
      JSON.stringify({ tool: 'query_tracks', args: { area: AREA, from: '2031-03-13T00:00:00Z', to: '2031-03-16T00:00:00Z', limit: 5 } }),
      JSON.stringify({
        sentences: [
          { text: portSentence, chunkIds: [doc.chunkId] },
          { text: `Patrol boat Kestrel: ${trackSentence}`, chunkIds: [seg.chunkId] },
        ],
      }),
    ];
    const seen: string[] = [];
    registerProviderKind({
      kind: 'scripted-test',
      discover: async () => [{ name: 'scripted-chain', kind: 'scripted-test', summary: 'a scripted fake chat model', settings: {} }],
      create: async () =>
        new LangChainProvider(
          new FakeListChatModel({ responses: script, callbacks: [{ handleChatModelStart: (_llm: unknown, messages: { content: unknown }[][]) => void seen.push(messages[0]!.map((m) => String(m.content)).join('\n')) }] }),
          { name: 'scripted-chain' },
        ),
    });

    const events: AgentEvent[] = [];
    const a = await cairn.ask({ question: QUESTION, model: 'scripted-chain' }, { onEvent: (e) => events.push(e) });
    expect(a.status).toBe('answered');
    expect(a.unsupported).toBeUndefined();
    expect(a.sentences).toHaveLength(2);
    const cited = a.citations.map((c) => c.chunkId);
    expect(cited).toEqual([doc.chunkId, seg.chunkId]);
    expect(a.citations[1]!.locator).toEqual({ entity: 'Patrol boat Kestrel', t0: '2031-03-14T06:00:00.000Z', t1: '2031-03-14T06:09:00.000Z' });

    const calls = events.filter((e): e is Extract<AgentEvent, { type: 'tool_end' }> => e.type === 'tool_end');
    expect(calls.map((c) => c.tool)).toEqual(['search_documents', 'list_sources', 'search_documents', 'query_tracks']);
    expect(calls[3]!.chunkIds).toEqual([seg.chunkId]);
    // list_sources told the model where the track feed lies, so it can ask query_tracks about a place.
    expect(seen[1]).toMatch(/"Patrol boat Kestrel" \(track, UNCLASSIFIED, 2031-03-14T06:00:00.000Z\.\.[^)]*area 12\.4950,35\.0000,/);

    // The audit record holds the chain with its arguments and returned chunk ids.
    const record = (await cairn.auditRecords()).at(-1)!;
    const toolCalls = (record.payload as { toolCalls: { tool: string; args: Record<string, unknown>; chunkIds: string[] }[] }).toolCalls;
    expect(toolCalls[3]).toMatchObject({ tool: 'query_tracks', args: { area: AREA }, chunkIds: [seg.chunkId] });
  });
});

const imagery = path.resolve(import.meta.dirname, '../../../shared/eval/imagery/exif/DSCN0010.jpg');
const haveImage = await access(imagery).then(
  () => true,
  () => false,
);
if (!haveImage) console.warn(`skipping search_imagery over a real photo: ${imagery} is absent (../shared is not beside the repo)`);

describe.skipIf(!haveImage)('search_imagery over a real geotagged photo', () => {
  let root: string;
  let data: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-agent-imagery-'));
    data = path.join(root, 'data');
    await writeFile(path.join(root, 'note.txt'), 'A photo of the harbour wall was taken for the survey.');
    const cairn = await Cairn.open(data);
    expect((await cairn.ingest({ paths: [imagery, path.join(root, 'note.txt')] })).ingested).toBe(2);
  }, 120_000);
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('finds image passages only, and only within the area', async () => {
    const embedder = new HashedEmbedder();
    const store = await Store.open(data, { embedderId: embedder.id, dimension: embedder.dimension });
    const deps = imageryAndTracks(store, embedder, null);
    const all = await deps.searchImagery!('image photo', 5);
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((c) => c.title === 'DSCN0010.jpg')).toBe(true);
    // DSCN0010.jpg was taken at 43.4674 N, 11.8851 E.
    const inside = await deps.searchImagery!('image', 5, { west: 11.8, south: 43.4, east: 11.9, north: 43.5 });
    expect(inside.length).toBeGreaterThan(0);
    expect(await deps.searchImagery!('image', 5, { west: 12.4, south: 41.8, east: 12.6, north: 42 })).toEqual([]);
  });
});
