/**
 * `npm run eval -- variants`: retrieval settings side by side on every BEIR
 * set in ../shared/eval/retrieval, each against LanceDB plain full text in
 * the same run, with query time relative to the first (current default).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { HashedEmbedder } from '../main/embed/hashed.js';
import { evalRetrievalVariants, type RetrievalVariant } from '../main/eval/retrieval-variants.js';
import { TermVectors } from '../main/embed/cooccurrence.js';
import type { SearchOptions } from '../main/search/hybrid.js';
import { PRF_DEFAULTS } from '../main/search/prf.js';

const shared = path.resolve(import.meta.dirname, '../../shared/eval/retrieval');
const embedder = new HashedEmbedder();

/** One model per set, shared by the variants that use it (training is the slow part). */
function corpusVectors(): (texts: readonly string[]) => SearchOptions {
  let last: { texts: readonly string[]; model: TermVectors } | null = null;
  return (texts) => {
    if (last?.texts !== texts) last = { texts, model: TermVectors.train(texts) };
    return { termVectors: last.model };
  };
}
const trained = corpusVectors();

export const VARIANTS: RetrievalVariant[] = [
  { name: 'default (before)', search: { prf: false, semanticWeight: 0 } },
  ...[0.1, 0.2, 0.3, 0.5, 0.8].map((w) => ({ name: `ppmi-svd ${w}`, prepare: trained, search: { prf: false as const, semanticWeight: w } })),
  { name: 'rm3 + ppmi-svd 0.3', prepare: trained, search: { prf: PRF_DEFAULTS, semanticWeight: 0.3 } },
];

/** The proximity weight around the default, and feedback only for short queries. */
export const STRUCTURE_VARIANTS: RetrievalVariant[] = [
  { name: 'default (before)', search: { prf: false, semanticWeight: 0 } },
  { name: 'no proximity', search: { prf: false, semanticWeight: 0, proximity: 0 } },
  { name: 'proximity 0.2', search: { prf: false, semanticWeight: 0, proximity: 0.2 } },
  { name: 'ppmi-svd 0.2', prepare: trained, search: { prf: false, semanticWeight: 0.2 } },
  ...[4, 6].map((n) => ({ name: `ppmi-svd 0.2 + rm3 (queries <= ${n} terms)`, prepare: trained, search: { prf: { ...PRF_DEFAULTS, maxQueryTerms: n }, semanticWeight: 0.2 } })),
];

/** The default before this change against the candidates for the new one, in one run (README table). */
export const FINAL_VARIANTS: RetrievalVariant[] = [
  { name: 'before (proximity 0.1)', search: { prf: false, semanticWeight: 0 } },
  { name: 'new default (+ ppmi-svd 0.2)', prepare: trained },
];

/**
 * The document title indexed with each passage (index-time, ChunkRow
 * `context`): after the first passage only, on every passage, or repeated
 * (a BM25F-style title weight); with and without the re-ranking.
 */
export const TITLE_VARIANTS: RetrievalVariant[] = [
  { name: 'default (no title context)', prepare: trained },
  { name: 'title on passages after the first', prepare: trained, titleContext: { chunks: 'rest' } },
  { name: 'title on every passage', prepare: trained, titleContext: { chunks: 'all' } },
  { name: 'title x2 on every passage', prepare: trained, titleContext: { chunks: 'all', repeat: 2 } },
  { name: 'title x3 on every passage', prepare: trained, titleContext: { chunks: 'all', repeat: 3 } },
  { name: 'neighbouring passages as context', prepare: trained, titleContext: { chunks: 'none', neighbours: true } },
  { name: 'title + neighbouring passages as context', prepare: trained, titleContext: { chunks: 'rest', neighbours: true } },
  { name: 'bm25+proximity, no title context', search: { prf: false, semanticWeight: 0 } },
  { name: 'bm25+proximity, title on passages after the first', search: { prf: false, semanticWeight: 0 }, titleContext: { chunks: 'rest' } },
  { name: 'bm25+proximity, title on every passage', search: { prf: false, semanticWeight: 0 }, titleContext: { chunks: 'all' } },
];

/** Whole-document BM25 beside each passage's (main/search/document-evidence.ts): off, and around the default weight. */
export const DOCUMENT_VARIANTS: RetrievalVariant[] = [
  { name: 'passages alone (before)', prepare: trained, search: { documentWeight: 0 } },
  ...[0.5, 1, 2].map((w) => ({ name: `document weight ${w}`, prepare: trained, search: { documentWeight: w } })),
  { name: 'document weight 1, no word vectors', search: { documentWeight: 1, semanticWeight: 0 } },
];

export const VARIANT_SETS: Record<string, RetrievalVariant[]> = { main: VARIANTS, structure: STRUCTURE_VARIANTS, final: FINAL_VARIANTS, title: TITLE_VARIANTS, documents: DOCUMENT_VARIANTS };

/** `only`: a set of ../shared/eval/retrieval by name, 'all', or the path of any BEIR folder. */
export async function runVariants(variants: readonly RetrievalVariant[] = VARIANTS, only?: string): Promise<void> {
  if (only === 'all') only = undefined;
  if (only && only.includes(path.sep)) {
    console.log(JSON.stringify(await evalRetrievalVariants(path.resolve(only), embedder, variants, (v) => console.error(`${only}\t${JSON.stringify(v)}`))));
    return;
  }
  for (const name of (await readdir(shared)).sort()) {
    if (only && name !== only) continue;
    const r = await evalRetrievalVariants(path.join(shared, name), embedder, variants, (v) => console.error(`${name}\t${JSON.stringify(v)}`));
    console.log(JSON.stringify(r));
  }
}
