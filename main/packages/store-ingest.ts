/**
 * The pieces importPackage needs, opened for a data folder the same way
 * `Cairn.open` does (the embedder the store is pinned to, else the built-in
 * one; the audit log; the marking policy; the acting user). Lets the CLI
 * import a package without reaching into a Cairn instance's private store.
 */
import os from 'node:os';
import { ingestPaths } from '../../ingest/pipeline.js';
import { loadPolicy, type MarkingPolicy, parseMarking } from '../access/index.js';
import { AuditLog } from '../audit/index.js';
import type { Embedder } from '../embed/embedder.js';
import { HashedEmbedder } from '../embed/hashed.js';
import { embedderForId } from '../embed/registry.js';
import { Store } from '../store/store.js';
import type { PackageIngest } from './import.js';

/** Who is acting, as Cairn records it: $CAIRN_USER, else the OS user. */
export function defaultActor(): string {
  return process.env.CAIRN_USER ?? os.userInfo().username;
}

export interface PackageIngestDeps {
  ingest: PackageIngest;
  audit: AuditLog;
  policy: MarkingPolicy;
  actor: string;
}

export async function openPackageIngest(dataDir: string, opts: { actor?: string; policyPath?: string; embedder?: Embedder } = {}): Promise<PackageIngestDeps> {
  const pinned = opts.embedder ? null : await Store.pinnedEmbedder(dataDir);
  const embedder = opts.embedder ?? (pinned ? await embedderForId(pinned.id, dataDir) : new HashedEmbedder());
  const [store, audit, policy] = await Promise.all([Store.open(dataDir, { embedderId: embedder.id, dimension: embedder.dimension }), AuditLog.open(dataDir), loadPolicy(opts.policyPath)]);
  const actor = opts.actor ?? defaultActor();
  const ingest: PackageIngest = (paths, o) =>
    ingestPaths(paths, { store, embedder, audit, actor, dataDir }, { marking: parseMarking(o.marking, policy), policy, packageId: o.packageId, provenance: o.provenance, onProgress: o.onProgress });
  return { ingest, audit, policy, actor };
}
