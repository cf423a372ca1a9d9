/**
 * The payloads Cairn's own callers write. Documentation as types: the audit
 * log stores any JSON payload (callers decide), and nothing here is enforced
 * at append time, so a new field never needs an audit change. They exist so a
 * reviewer knows what a record holds and so callers can opt in to checking.
 *
 * Conventions every payload follows:
 *   - plain JSON only (canonical.ts refuses NaN, Infinity, bigint, Map, binary);
 *   - hashes are sha256 lowercase hex; times ISO 8601 UTC;
 *   - enough to replay: what went in, which parameters, what came out.
 */

/** action 'ask': one answered (or unanswerable) question. */
export interface AskPayload {
  question: string;
  /** The user the answer was shown to. */
  user: string;
  /** How retrieval ran: method, embedder id, k, candidate counts. */
  retrieval?: Record<string, unknown>;
  /** Every chunk the composer saw, in rank order, with a hash of its text so a replay can prove it read the same words. */
  retrieved: { chunkId: string; sourceId: string; contentHash: string; score: number; [k: string]: unknown }[];
  /** The composer or model: id, version, and all generation parameters. */
  model: { id: string; version?: string; parameters: Record<string, unknown> };
  /** sha256 of the exact prompt sent to an LLM, when one was used. */
  promptHash?: string;
  answer: string;
  sentences?: unknown[];
  citations: unknown[];
  /** The roll-up marking banner shown with the answer. */
  banner: string;
  [k: string]: unknown;
}

/** action 'ingest' (a source written) and 'ingest.failed' (a file refused). */
export interface IngestPayload {
  /** The path as given, or `parent#attachment`. */
  file: string;
  /** sha256 of the file's bytes; absent when the file could not be read. */
  sourceId?: string;
  chunks?: number;
  chunkIds?: string[];
  marking?: string;
  status: 'ingested' | 'failed' | string;
  error?: { code: string; message: string };
  [k: string]: unknown;
}
