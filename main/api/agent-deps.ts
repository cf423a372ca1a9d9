/**
 * The agent's imagery and track tools, backed by the store: image regions by
 * text and area (hybrid search limited to image sources), and track segments
 * by area and time window (the observations table finds the positions, the
 * segment passages that hold them are what the agent reads and cites). The
 * reader's visibility and the ask's time window apply to both.
 */
import type { AgentDeps, TrackQuery } from '../agent/index.js';
import type { GeoBounds, Observation, ScoredChunk } from '../core/types.js';
import type { Embedder } from '../embed/embedder.js';
import { hybridSearch } from '../search/hybrid.js';
import { distanceKm } from '../search/place-time.js';
import type { Store, Visibility } from '../store/store.js';

/** Positions read per track query before they are grouped into segments. */
const MAX_OBSERVATIONS = 20_000;

export interface AskWindow {
  from?: string;
  to?: string;
}

function lonOverlaps(a: GeoBounds, b: GeoBounds): boolean {
  // A box across the antimeridian has west > east: split it in two.
  const spans = (g: GeoBounds): [number, number][] => (g.west <= g.east ? [[g.west, g.east]] : [[g.west, 180], [-180, g.east]]);
  return spans(a).some(([w1, e1]) => spans(b).some(([w2, e2]) => w1 <= e2 && w2 <= e1));
}

export function boxesOverlap(a: GeoBounds, b: GeoBounds): boolean {
  return a.south <= b.north && b.south <= a.north && lonOverlaps(a, b);
}

/** The circle around a box (the search filter takes a circle); exact overlap is checked after. */
function circleAround(b: GeoBounds): { lat: number; lon: number; radiusKm: number } | undefined {
  if (b.west > b.east) return undefined;
  const centre = { lat: (b.south + b.north) / 2, lon: (b.west + b.east) / 2 };
  const corners = [
    { lat: b.south, lon: b.west },
    { lat: b.south, lon: b.east },
    { lat: b.north, lon: b.west },
    { lat: b.north, lon: b.east },
  ];
  return { ...centre, radiusKm: Math.max(0.001, ...corners.map((c) => distanceKm(centre, c))) };
}

const later = (a?: string, b?: string): string | undefined => (!a ? b : !b ? a : Date.parse(a) >= Date.parse(b) ? a : b);
const earlier = (a?: string, b?: string): string | undefined => (!a ? b : !b ? a : Date.parse(a) <= Date.parse(b) ? a : b);

function segmentHolds(c: ScoredChunk | { locator?: unknown; t0?: string | null; t1?: string | null }, o: Observation): boolean {
  const loc = c.locator as { entity?: string; t0?: string; t1?: string } | null | undefined;
  if (!loc || loc.entity !== o.entity) return false;
  if (o.t === null) return true;
  const t = Date.parse(o.t);
  const t0 = loc.t0 ? Date.parse(loc.t0) : -Infinity;
  const t1 = loc.t1 ? Date.parse(loc.t1) : Infinity;
  return t >= t0 && t <= t1;
}

/** `searchImagery` and `queryTracks` over the store, for `depsFromStore`. */
export function imageryAndTracks(store: Store, embedder: Embedder, visible: Visibility, window?: AskWindow): Pick<AgentDeps, 'searchImagery' | 'queryTracks'> {
  return {
    async searchImagery(query, k, area) {
      const near = area ? circleAround(area) : undefined;
      const hits = await hybridSearch(store, embedder, query, { k: area ? k * 4 : k, visible, filter: { kinds: ['image'], ...window, ...(near ? { near } : {}) } });
      return (area ? hits.filter((h) => h.geo != null && boxesOverlap(h.geo, area)) : hits).slice(0, k);
    },

    async queryTracks(q: TrackQuery) {
      const from = later(q.from, window?.from);
      const to = earlier(q.to, window?.to);
      const points = await store.queryObservations({ ...(q.area ? { bbox: q.area } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}), ...(q.entity ? { entity: q.entity } : {}) }, MAX_OBSERVATIONS, visible);
      const bySource = new Map<string, Observation[]>();
      for (const o of points) {
        const list = bySource.get(o.sourceId);
        if (list) list.push(o);
        else bySource.set(o.sourceId, [o]);
      }
      const out: ScoredChunk[] = [];
      for (const [sourceId, obs] of bySource) {
        const [chunks, source] = await Promise.all([store.chunksOfSource(sourceId, 0, Number.MAX_SAFE_INTEGER, visible), store.getSource(sourceId)]);
        const title = source?.title ?? sourceId.slice(0, 12);
        for (const c of chunks) {
          // Score: how many of the matching positions the segment holds.
          const held = obs.filter((o) => segmentHolds(c, o)).length;
          if (held > 0) out.push({ ...c, title, score: held });
        }
      }
      return out.sort((a, b) => b.score - a.score || (a.t0 ?? '').localeCompare(b.t0 ?? '')).slice(0, q.limit);
    },
  };
}
