import { CairnError } from '../core/errors.js';
import { OnnxReranker } from '../embed/onnx.js';
import { listOnnxModels, modelsDir } from '../embed/registry.js';
import { loadSearchConfig } from './config.js';
import type { Reranker } from './rerank.js';

/**
 * The cross-encoder DATA/config.json names (search.reranker), loaded from
 * DATA/models; null when none is configured. A configured reranker that is
 * missing or not a cross-encoder is an error: silently searching without it
 * would change answers behind the administrator's back.
 */
export async function configuredReranker(dataDir: string): Promise<{ reranker: Reranker; depth: number } | null> {
  const config = await loadSearchConfig(dataDir);
  if (!config.reranker) return null;
  const info = (await listOnnxModels(dataDir)).find((m) => m.name === config.reranker);
  if (!info) {
    throw new CairnError('NOT_FOUND', `config.json search.reranker names ${JSON.stringify(config.reranker)}, but no ONNX model folder of that name is in ${modelsDir(dataDir)}; place it there or remove the setting`, { input: config.reranker });
  }
  return { reranker: await OnnxReranker.load(info), depth: config.rerankDepth };
}
