/**
 * The provider registry: every kind registered once, every entry found by
 * asking each kind, every provider built by its own kind. No switch on
 * provider names anywhere. Loaded providers are kept (a GGUF model loads
 * once per process).
 */
import { CairnError } from '../../core/errors.js';
import type { AnswerProvider } from '../types.js';
import { loadModelsConfig } from './config.js';
import { EXTRACTIVE_NAME, ExtractiveProvider } from './extractive.js';
import type { ProviderEntry, ProviderEnv, ProviderKind } from './kind.js';
import { BUILT_IN_KINDS } from './kinds.js';

const kinds = new Map<string, ProviderKind>(BUILT_IN_KINDS.map((k) => [k.kind, k]));
const loaded = new Map<string, Promise<AnswerProvider>>();

/** Adds (or replaces) a provider kind, e.g. one an installation ships. */
export function registerProviderKind(kind: ProviderKind): void {
  kinds.set(kind.kind, kind);
}

export function providerKinds(): string[] {
  return [...kinds.keys()];
}

export interface ProviderListing {
  /** The entry `ask` uses without --model. */
  default: string;
  entries: (ProviderEntry & { isDefault: boolean })[];
  /** Configuration problems worth telling the administrator. */
  problems: string[];
}

async function environment(dataDir: string): Promise<ProviderEnv> {
  return { dataDir, config: await loadModelsConfig(dataDir) };
}

async function entriesOf(env: ProviderEnv): Promise<{ entries: ProviderEntry[]; problems: string[] }> {
  const found = (await Promise.all([...kinds.values()].map((k) => k.discover(env)))).flat();
  const problems: string[] = [];
  for (const e of env.config.endpoints) {
    if (typeof e.kind !== 'string' || !kinds.has(e.kind)) {
      const name = typeof e.name === 'string' ? e.name : '(unnamed)';
      problems.push(`config.json models.endpoints (${name}): unknown kind ${JSON.stringify(e.kind)}; known: ${[...kinds.keys()].join(', ')}`);
    }
  }
  const seen = new Set<string>();
  const entries: ProviderEntry[] = [];
  for (const e of found) {
    if (seen.has(e.name)) {
      problems.push(`two models are named ${JSON.stringify(e.name)}; the ${e.kind} one is hidden: rename it in config.json`);
      continue;
    }
    seen.add(e.name);
    if (e.error) problems.push(e.error);
    entries.push(e);
  }
  return { entries, problems };
}

/** Every model this installation can answer with, and which one is the default. */
export async function listProviders(dataDir: string): Promise<ProviderListing> {
  const env = await environment(dataDir);
  const { entries, problems } = await entriesOf(env);
  let def = env.config.default ?? EXTRACTIVE_NAME;
  if (!entries.some((e) => e.name === def && !e.error)) {
    problems.push(`the default model ${JSON.stringify(def)} in config.json is not available; using ${EXTRACTIVE_NAME}`);
    def = EXTRACTIVE_NAME;
  }
  return { default: def, entries: entries.map((e) => ({ ...e, isDefault: e.name === def })), problems };
}

function find(entries: readonly ProviderEntry[], name: string): ProviderEntry | undefined {
  return entries.find((e) => e.name === name) ?? entries.find((e) => e.name.toLowerCase() === name.toLowerCase());
}

/** A provider by the name `cairn models list` shows (the default when name is omitted). Loads it once. */
export async function getProvider(name: string | undefined, dataDir: string): Promise<AnswerProvider> {
  const env = await environment(dataDir);
  const { entries } = await entriesOf(env);
  const wanted = name ?? env.config.default ?? EXTRACTIVE_NAME;
  const entry = find(entries, wanted);
  if (!entry) throw new CairnError('NOT_FOUND', `no model named ${JSON.stringify(wanted)}: choose one of ${entries.map((e) => e.name).join(', ')} (see cairn models list)`, { input: wanted });
  if (entry.error) throw new CairnError('BAD_INPUT', entry.error, { input: wanted });
  const kind = kinds.get(entry.kind);
  if (!kind) throw new CairnError('NOT_FOUND', `no provider kind ${JSON.stringify(entry.kind)} is registered`, { input: wanted });
  const key = JSON.stringify([dataDir, entry.kind, entry.name, entry.settings]);
  let p = loaded.get(key);
  if (!p) {
    p = kind.create(entry, env).catch((e: unknown) => {
      loaded.delete(key);
      throw new CairnError('BAD_INPUT', `cannot load model ${JSON.stringify(entry.name)}: ${(e as Error).message}`, { input: entry.name, cause: e });
    });
    loaded.set(key, p);
  }
  return p;
}

/**
 * The provider for an answer: the named one (an unknown name is the user's
 * error), else the configured default. A model that cannot be loaded gives
 * the extractive composer and a note, never a failed answer.
 */
export async function resolveProvider(name: string | undefined, dataDir: string): Promise<{ provider: AnswerProvider; note?: string }> {
  try {
    return { provider: await getProvider(name, dataDir) };
  } catch (e) {
    if (name !== undefined && e instanceof CairnError && e.code === 'NOT_FOUND') throw e;
    return { provider: new ExtractiveProvider(), note: `${(e as Error).message}; answering with the extractive composer instead.` };
  }
}

/** Frees loaded models (tests, shutdown). */
export async function disposeProviders(): Promise<void> {
  const all = [...loaded.values()];
  loaded.clear();
  for (const p of all) {
    try {
      await (await p).dispose?.();
    } catch {
      // already gone
    }
  }
}
