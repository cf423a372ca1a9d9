/**
 * What changed between an answer as the audit log recorded it and the same
 * question asked again now: which passages were retrieved (by chunk id and
 * content hash), which were cited, and which answer sentences differ. Pure
 * data in, data out; running the replay is main/api/replay.ts.
 */

export interface SnapshotChunk {
  chunkId: string;
  sourceId: string;
  contentHash: string;
}

export interface SnapshotCitation {
  chunkId: string;
  start?: number;
  end?: number;
}

export interface AnswerSnapshot {
  retrieved: readonly SnapshotChunk[];
  citations: readonly SnapshotCitation[];
  sentences: readonly string[];
  answer: string;
}

/** Where a passage retrieved before but not now is. */
export type RemovedWhy = 'gone' | 'changed-content' | 'outranked';

export interface ReplayDiff {
  /** Same passages (ids and content), same citations, same sentences. */
  same: boolean;
  chunks: {
    same: boolean;
    /** Retrieved now, not then: new or newly relevant material. */
    added: (SnapshotChunk & { rank: number })[];
    /** Retrieved then, not now; `why` says whether it left the store (or the user's clearance), changed, or was outranked. */
    removed: (SnapshotChunk & { rank: number; why: RemovedWhy })[];
    /** Same chunk id, different text. */
    changedContent: { chunkId: string; sourceId: string; recordedHash: string; currentHash: string }[];
    /** Same set of passages in a different order. */
    reordered: boolean;
  };
  citations: { same: boolean; added: string[]; removed: string[] };
  sentences: { same: boolean; added: string[]; removed: string[] };
  answerSame: boolean;
}

/**
 * `current` is what the store holds now for the recorded passages that were
 * not retrieved again (chunk id -> content hash; absent: not in the store or
 * not readable by the user the ask ran as).
 */
export function diffAnswers(recorded: AnswerSnapshot, replayed: AnswerSnapshot, current: ReadonlyMap<string, string> = new Map()): ReplayDiff {
  const nowById = new Map(replayed.retrieved.map((c, i) => [c.chunkId, { ...c, rank: i + 1 }]));
  const thenById = new Map(recorded.retrieved.map((c, i) => [c.chunkId, { ...c, rank: i + 1 }]));

  const added = [...nowById.values()].filter((c) => !thenById.has(c.chunkId));
  const changedContent: ReplayDiff['chunks']['changedContent'] = [];
  const removed: ReplayDiff['chunks']['removed'] = [];
  for (const c of thenById.values()) {
    const now = nowById.get(c.chunkId);
    if (now) {
      if (now.contentHash !== c.contentHash) changedContent.push({ chunkId: c.chunkId, sourceId: c.sourceId, recordedHash: c.contentHash, currentHash: now.contentHash });
      continue;
    }
    const hash = current.get(c.chunkId);
    if (hash !== undefined && hash !== c.contentHash) changedContent.push({ chunkId: c.chunkId, sourceId: c.sourceId, recordedHash: c.contentHash, currentHash: hash });
    removed.push({ ...c, why: hash === undefined ? 'gone' : hash === c.contentHash ? 'outranked' : 'changed-content' });
  }
  const sameSet = added.length === 0 && removed.length === 0;
  const reordered = sameSet && recorded.retrieved.some((c, i) => replayed.retrieved[i]?.chunkId !== c.chunkId);

  const citeKey = (c: SnapshotCitation): string => `${c.chunkId}:${c.start ?? ''}-${c.end ?? ''}`;
  const citations = setDiff(recorded.citations.map(citeKey), replayed.citations.map(citeKey));
  const sentences = setDiff(recorded.sentences, replayed.sentences);
  const sentencesSame = sentences.added.length === 0 && sentences.removed.length === 0 && recorded.sentences.length === replayed.sentences.length;
  const chunksSame = sameSet && changedContent.length === 0 && !reordered;
  const answerSame = recorded.answer === replayed.answer;
  return {
    same: chunksSame && citations.same && sentencesSame && answerSame,
    chunks: { same: chunksSame, added, removed, changedContent, reordered },
    citations,
    sentences: { ...sentences, same: sentencesSame },
    answerSame,
  };
}

function setDiff(before: readonly string[], after: readonly string[]): { same: boolean; added: string[]; removed: string[] } {
  const a = new Set(before);
  const b = new Set(after);
  const added = [...b].filter((x) => !a.has(x));
  const removed = [...a].filter((x) => !b.has(x));
  return { same: added.length === 0 && removed.length === 0, added, removed };
}
