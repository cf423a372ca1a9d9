/**
 * A provider kind: how it finds what it can offer in a data folder (files,
 * configured endpoints) and how it builds a provider from one entry. Kinds
 * register themselves in the registry; nothing switches on their names.
 */
import type { AnswerProvider } from '../types.js';
import type { ModelsConfig } from './config.js';

export interface ProviderEnv {
  dataDir: string;
  config: ModelsConfig;
}

export interface ProviderEntry {
  /** What the user types (`cairn ask --model NAME`). */
  name: string;
  kind: string;
  /** One line for `cairn models list`. */
  summary: string;
  settings: Record<string, unknown>;
  /** Why this entry cannot be used (bad configuration). */
  error?: string;
}

export interface ProviderKind {
  readonly kind: string;
  discover(env: ProviderEnv): Promise<ProviderEntry[]>;
  create(entry: ProviderEntry, env: ProviderEnv): Promise<AnswerProvider>;
}

/** Entries of one endpoint kind from the config, each validated by the kind's schema. */
export function endpointEntries(env: ProviderEnv, kind: string, parse: (raw: unknown) => { success: true; data: { name: string; model: string; baseUrl: string; description?: string | undefined } } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }): ProviderEntry[] {
  return env.config.endpoints
    .filter((e) => e.kind === kind)
    .map((raw, i) => {
      const r = parse(raw);
      const name = typeof raw.name === 'string' && raw.name !== '' ? raw.name : `${kind}-${i + 1}`;
      if (!r.success) {
        const issue = r.error.issues[0];
        return { name, kind, summary: 'misconfigured', settings: {}, error: `config.json models.endpoints (${name}): ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` };
      }
      const { apiKey: _secret, ...shown } = raw as Record<string, unknown>;
      return { name: r.data.name, kind, summary: r.data.description ?? `${r.data.model} at ${r.data.baseUrl}`, settings: shown };
    });
}
