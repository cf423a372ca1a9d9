/**
 * One probe of what Cairn does on its next start after a crash left the
 * audit log with a cut-off last line: a real `cairn ingest` of a new file runs
 * against a copy of a clean data folder whose log was cut. The question is
 * whether the store and the audit log stay in step: a source written to the
 * store must have its audit record, now or after `cairn audit repair` and a
 * re-run of the same ingest.
 */
import { cp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IngestSummary } from '../../ingest/pipeline.js';
import { AuditLog } from '../../main/audit/index.js';
import { sha256Hex } from '../../main/core/hash.js';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { Store } from '../../main/store/store.js';
import { runLimited } from './child.js';
import { CAIRN_BIN } from './paths.js';

export interface CutTailProbe {
  /** Exit code of the ingest run onto the cut log, and whether it printed its JSON summary. */
  exitCode: number | null;
  jsonPrinted: boolean;
  /** First line of what it printed on stderr. */
  message: string;
  /** The new file's source row exists after that run. */
  sourceWritten: boolean;
  /** Exit code and file status of the same ingest re-run after `AuditLog.repair()`. */
  rerunStatus: string;
  /** An `ingest` audit record for the new source exists at the end. */
  audited: boolean;
  /** Source in the store with no audit record at the end: the store and the log disagree. */
  unaudited: boolean;
  summary: string;
}

export async function ingestProbeOnCutTail(cleanDataDir: string, scratch: string, env: NodeJS.ProcessEnv): Promise<CutTailProbe> {
  const dir = path.join(scratch, 'cut-tail-probe');
  const data = path.join(dir, 'data');
  await rm(dir, { recursive: true, force: true });
  await cp(cleanDataDir, data, { recursive: true });
  const logFile = path.join(data, 'audit', 'log.jsonl');
  const size = (await readFile(logFile)).byteLength;
  await truncate(logFile, size - 12); // drop the newline and the end of the last record
  const file = path.join(dir, 'after-crash.txt');
  await writeFile(file, 'Probe note cuttailprobetok0001: written after a crash cut the audit log.\n');
  const id = sha256Hex(await readFile(file));
  const args = [CAIRN_BIN, '--data', data, 'ingest', file, '--json'];

  const run = await runLimited(process.execPath, args, { timeoutMs: 180_000, env });
  let jsonPrinted = false;
  try {
    jsonPrinted = Array.isArray((JSON.parse(run.stdout) as IngestSummary).files);
  } catch {
    jsonPrinted = false;
  }
  const embedder = new HashedEmbedder();
  const hasSource = async (): Promise<boolean> => (await Store.open(data, { embedderId: embedder.id, dimension: embedder.dimension })).hasSource(id);
  const sourceWritten = await hasSource();

  const log = await AuditLog.open(data);
  const v = await log.verify();
  if (!v.ok && v.firstBroken.reason === 'truncated') await log.repair();
  const rerun = await runLimited(process.execPath, args, { timeoutMs: 180_000, env });
  let rerunStatus = `exit ${rerun.code}`;
  try {
    const s = JSON.parse(rerun.stdout) as IngestSummary;
    rerunStatus += `, ${s.files[0]?.status ?? '?'}`;
  } catch {
    rerunStatus += ', no JSON';
  }
  const audited = (await log.read()).some((r) => r.action === 'ingest' && (r.payload as { sourceId?: string }).sourceId === id);
  const unaudited = (await hasSource()) && !audited;
  const message = run.stderr.trim().split('\n')[0] ?? '';
  await rm(dir, { recursive: true, force: true });
  const summary =
    `first run exit ${run.code}${jsonPrinted ? '' : ' (no JSON summary)'}${message ? ` "${message.slice(0, 120)}"` : ''}; ` +
    `source ${sourceWritten ? 'WRITTEN' : 'not written'} to the store; after audit repair the re-run says ${rerunStatus}; ` +
    `audit record ${audited ? 'present' : 'MISSING'}`;
  return { exitCode: run.code, jsonPrinted, message, sourceWritten, rerunStatus, audited, unaudited, summary };
}
