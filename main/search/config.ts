/**
 * The "search" section of DATA/config.json, where an administrator turns on
 * a cross-encoder placed in DATA/models:
 *
 *   { "search": { "reranker": "ms-marco-MiniLM-L-6-v2", "rerankDepth": 20 } }
 *
 * and changes the ranking weights (measured defaults otherwise):
 *
 *   { "search": { "proximity": 0.1, "documentWeight": 1, "semanticWeight": 0.2, "prf": { "docs": 10, "terms": 10, "originalWeight": 0.5 } } }
 */
import { z } from 'zod';
import { readConfigSection } from '../config/section.js';
import type { SearchOptions } from './hybrid.js';
import { PRF_DEFAULTS } from './prf.js';
import { RERANK_DEFAULT_DEPTH } from './rerank.js';

export const searchConfigSchema = z.object({
  /** Folder name of an ONNX cross-encoder in DATA/models; none: no re-ranking. */
  reranker: z.string().min(1).optional(),
  rerankDepth: z.number().int().min(2).max(200).default(RERANK_DEFAULT_DEPTH),
  /** Term-proximity weight; absent: the measured default (README, performance). */
  proximity: z.number().min(0).max(10).optional(),
  /** Weight of a passage's whole-document BM25 beside its own; 0 turns it off. */
  documentWeight: z.number().min(0).max(10).optional(),
  /** Weight of the corpus-trained word vectors in re-ranking; 0 turns them off. */
  semanticWeight: z.number().min(0).max(10).optional(),
  /** RM3 pseudo-relevance feedback: true for the defaults, or its settings; off unless set. */
  prf: z
    .union([
      z.boolean(),
      z.object({
        docs: z.number().int().min(1).max(100).default(PRF_DEFAULTS.docs),
        terms: z.number().int().min(1).max(100).default(PRF_DEFAULTS.terms),
        originalWeight: z.number().min(0).max(1).default(PRF_DEFAULTS.originalWeight),
        maxQueryTerms: z.number().int().min(1).optional(),
      }),
    ])
    .optional(),
});

export type SearchConfig = z.infer<typeof searchConfigSchema>;

export function loadSearchConfig(dataDir: string): Promise<SearchConfig> {
  return readConfigSection(dataDir, 'search', searchConfigSchema);
}

/** The ranking settings an administrator set in config.json, as search options (unset ones keep the defaults). */
export function configuredSearchOptions(config: SearchConfig): SearchOptions {
  const out: SearchOptions = {};
  if (config.proximity !== undefined) out.proximity = config.proximity;
  if (config.semanticWeight !== undefined) out.semanticWeight = config.semanticWeight;
  if (config.documentWeight !== undefined) out.documentWeight = config.documentWeight;
  if (config.prf !== undefined) out.prf = config.prf === true ? PRF_DEFAULTS : config.prf === false ? false : config.prf;
  return out;
}
