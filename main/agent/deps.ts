/**
 * Builds the agent's dependencies from anything shaped like the store, so
 * the lead can wire `Cairn` in a few lines and the agent never imports the
 * store. Access control stays where it is: in the store's queries.
 */
import type { Chunk, ScoredChunk, Source } from '../core/types.js';
import type { AgentDeps, SourceSummary } from './tools.js';

/** The store methods the agent reads through (structural: `Store` satisfies it). */
export interface PassageStore {
  getChunks(ids: readonly string[]): Promise<Chunk[]>;
  chunksOfSource(sourceId: string, fromOrdinal?: number, toOrdinal?: number): Promise<Chunk[]>;
  getSource(id: string): Promise<Source | undefined>;
  listSources(): Promise<Source[]>;
}

export function depsFromStore(store: PassageStore, search: (query: string, k: number) => Promise<ScoredChunk[]>, extra: Pick<AgentDeps, 'searchImagery' | 'queryTracks'> = {}): AgentDeps {
  return {
    search,
    async getPassage(chunkId, neighbours) {
      const [chunk] = await store.getChunks([chunkId]);
      if (!chunk) return [];
      const [source, around] = await Promise.all([store.getSource(chunk.sourceId), store.chunksOfSource(chunk.sourceId, chunk.ordinal - neighbours, chunk.ordinal + neighbours)]);
      const title = source?.title ?? chunk.sourceId.slice(0, 12);
      return (around.length > 0 ? around : [chunk]).map((c) => ({ ...c, title, score: c.id === chunk.id ? 1 : 0 }));
    },
    async listSources(): Promise<SourceSummary[]> {
      return (await store.listSources()).map(({ id, kind, title, marking, t0, t1, ingestedAt, origin, geo }) => ({ id, kind, title, marking, t0, t1, ingestedAt, origin, geo }));
    },
    ...extra,
  };
}
