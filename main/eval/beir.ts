import { createReadStream } from 'node:fs';
import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { CairnError } from '../core/errors.js';

export interface BeirDoc {
  id: string;
  title: string;
  text: string;
}

export interface BeirSet {
  name: string;
  corpusPath: string;
  queries: Map<string, string>;
  /** query id -> (doc id -> relevance); only queries with at least one judgement. */
  qrels: Map<string, Map<string, number>>;
}

async function mustExist(file: string): Promise<void> {
  try {
    await access(file);
  } catch {
    throw new CairnError('NOT_FOUND', `not a BEIR folder: ${file} is missing (expected corpus.jsonl, queries.jsonl, qrels/test.tsv)`, { input: file });
  }
}

async function* jsonLines(file: string): AsyncGenerator<Record<string, unknown>> {
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (line.trim() === '') continue;
    try {
      yield JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new CairnError('BAD_INPUT', `${file}:${n} is not valid JSON`, { input: file });
    }
  }
}

/**
 * The judgements to score: qrels/test.tsv as BEIR names its test split;
 * sets published with only another split (MS MARCO's dev.tsv) use that one
 * when it is the only file there, or dev.tsv among several.
 */
async function qrelsFile(dir: string): Promise<string> {
  const folder = path.join(dir, 'qrels');
  const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.endsWith('.tsv')).sort();
  const pick = names.includes('test.tsv') ? 'test.tsv' : names.length === 1 ? names[0]! : names.includes('dev.tsv') ? 'dev.tsv' : null;
  if (!pick) {
    throw new CairnError('NOT_FOUND', `not a BEIR folder: ${folder} has ${names.length ? `no test.tsv among ${names.join(', ')}` : 'no qrels .tsv file'} (expected corpus.jsonl, queries.jsonl, qrels/test.tsv)`, { input: dir });
  }
  return path.join(folder, pick);
}

export async function loadBeir(dir: string): Promise<BeirSet> {
  const corpusPath = path.join(dir, 'corpus.jsonl');
  const queriesPath = path.join(dir, 'queries.jsonl');
  await Promise.all([corpusPath, queriesPath].map(mustExist));
  const qrelsPath = await qrelsFile(dir);
  const qrels = new Map<string, Map<string, number>>();
  const lines = (await readFile(qrelsPath, 'utf8')).split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    const cols = line.split('\t');
    if (cols.length < 3 || (i === 0 && /query/i.test(cols[0] ?? ''))) continue;
    const [qid, did, score] = cols as [string, string, string];
    const rel = Number(score);
    if (!Number.isFinite(rel)) continue;
    let m = qrels.get(qid);
    if (!m) qrels.set(qid, (m = new Map()));
    m.set(did, rel);
  }
  const queries = new Map<string, string>();
  for await (const q of jsonLines(queriesPath)) {
    const id = String(q._id);
    if (qrels.has(id)) queries.set(id, String(q.text ?? ''));
  }
  // Judged queries with at least one positive judgement, and present in queries.jsonl.
  for (const [qid, m] of qrels) if (!queries.has(qid) || ![...m.values()].some((r) => r > 0)) qrels.delete(qid);
  return { name: path.basename(path.resolve(dir)), corpusPath, queries, qrels };
}

/** Streams the corpus in batches so a large set never sits in memory twice. */
export async function* corpusBatches(set: BeirSet, size = 1000): AsyncGenerator<BeirDoc[]> {
  let batch: BeirDoc[] = [];
  for await (const d of jsonLines(set.corpusPath)) {
    batch.push({ id: String(d._id), title: String(d.title ?? ''), text: String(d.text ?? '') });
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
