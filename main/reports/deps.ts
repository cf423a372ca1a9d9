/**
 * What the report, grade and export operations need from the rest of Cairn,
 * as plain functions, so they run the same under the CLI, the HTTP server,
 * the desktop app and tests, and never reach into Cairn's private parts.
 *
 * `depsFor(cairn)` builds them from a Cairn instance's public surface.
 */
import type { MarkingPolicy } from '../access/index.js';
import { AuditLog } from '../audit/log.js';
import type { Observation, Source } from '../core/types.js';

/** The public surface of a Cairn instance these operations use (structural, so api/ is not imported). */
export interface CairnHandle {
  readonly dataDir: string;
  readonly actor: string;
  sources(): Promise<Source[]>;
  tracks(input: { bbox?: { west: number; south: number; east: number; north: number }; from?: string; to?: string; entity?: string; limit?: number }): Promise<{ observations: Observation[] }>;
  /** The policy it was opened with. */
  readonly markingPolicy: MarkingPolicy;
  /** Markings of the given chunks this user may read (others absent). */
  chunkMarkings(ids: readonly string[]): Promise<Map<string, string>>;
}

export interface ProductDeps {
  dataDir: string;
  /** Who acts; recorded in the audit log. */
  actor: string;
  policy: MarkingPolicy;
  audit: Pick<AuditLog, 'find' | 'append'>;
  /** Sources the actor may read. */
  sources: () => Promise<Source[]>;
  /** Markings of the chunks the actor may read; unreadable or unknown ids are absent. */
  chunkMarkings: (ids: readonly string[]) => Promise<Map<string, string>>;
  tracks: CairnHandle['tracks'];
}

export async function depsFor(cairn: CairnHandle): Promise<ProductDeps> {
  const policy = cairn.markingPolicy;
  const audit = await AuditLog.open(cairn.dataDir);
  const chunkMarkings = (ids: readonly string[]): Promise<Map<string, string>> => cairn.chunkMarkings(ids);
  return {
    dataDir: cairn.dataDir,
    actor: cairn.actor,
    policy,
    audit,
    sources: () => cairn.sources(),
    chunkMarkings,
    tracks: (input) => cairn.tracks(input),
  };
}
