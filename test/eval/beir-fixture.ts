import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a tiny BEIR-format folder (corpus.jsonl, queries.jsonl,
 * qrels/test.tsv) where each query has exactly one relevant document.
 */
export async function writeBeirSet(dir: string, docs: readonly (readonly [id: string, title: string, text: string])[], queries: readonly (readonly [id: string, text: string, relevantDoc: string])[]): Promise<void> {
  await mkdir(path.join(dir, 'qrels'), { recursive: true });
  await writeFile(path.join(dir, 'corpus.jsonl'), docs.map(([_id, title, text]) => JSON.stringify({ _id, title, text })).join('\n'));
  await writeFile(path.join(dir, 'queries.jsonl'), queries.map(([_id, text]) => JSON.stringify({ _id, text })).join('\n'));
  await writeFile(path.join(dir, 'qrels', 'test.tsv'), ['query-id\tcorpus-id\tscore', ...queries.map(([q, , d]) => `${q}\t${d}\t1`)].join('\n'));
}
