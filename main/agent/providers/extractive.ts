/**
 * The extractive composer as a provider: no model, every word copied from a
 * cited passage. The default when no model is configured.
 */
import type { ScoredChunk } from '../../core/types.js';
import { composeExtractive, EXTRACTIVE_COMPOSER, EXTRACTIVE_DEFAULTS, type ExtractiveOptions, type ExtractiveResult } from '../extractive.js';
import type { ComposerProvider, ProviderDescription } from '../types.js';

export const EXTRACTIVE_NAME = 'extractive';

export class ExtractiveProvider implements ComposerProvider {
  readonly mode = 'compose' as const;
  readonly id: string = EXTRACTIVE_COMPOSER.id;

  constructor(private readonly opts: ExtractiveOptions = {}) {}

  describe(): ProviderDescription {
    return {
      name: EXTRACTIVE_NAME,
      kind: 'extractive',
      id: this.id,
      model: `${EXTRACTIVE_COMPOSER.id} v${EXTRACTIVE_COMPOSER.version}`,
      settings: { ...EXTRACTIVE_DEFAULTS, ...this.opts },
    };
  }

  compose(question: string, chunks: readonly ScoredChunk[]): ExtractiveResult {
    return composeExtractive(question, chunks, this.opts);
  }
}
