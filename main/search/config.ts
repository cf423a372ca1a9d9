/**
 * The "search" section of DATA/config.json, where an administrator turns on
 * a cross-encoder placed in DATA/models:
 *
 *   { "search": { "reranker": "ms-marco-MiniLM-L-6-v2", "rerankDepth": 20 } }
 */
import { z } from 'zod';
import { readConfigSection } from '../config/section.js';
import { RERANK_DEFAULT_DEPTH } from './rerank.js';

export const searchConfigSchema = z.object({
  /** Folder name of an ONNX cross-encoder in DATA/models; none: no re-ranking. */
  reranker: z.string().min(1).optional(),
  rerankDepth: z.number().int().min(2).max(200).default(RERANK_DEFAULT_DEPTH),
});

export type SearchConfig = z.infer<typeof searchConfigSchema>;

export function loadSearchConfig(dataDir: string): Promise<SearchConfig> {
  return readConfigSection(dataDir, 'search', searchConfigSchema);
}
