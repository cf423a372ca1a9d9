import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AuditLog } from '../../main/audit/log.js';
import { type AuditRecord, hashRecord, serializeRecord, type UnsealedRecord } from '../../main/audit/record.js';

export async function tempDataDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-audit-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A log with `n` ask records: seq 1..n. */
export async function logWith(dir: string, n: number): Promise<AuditLog> {
  const log = await AuditLog.open(dir);
  for (let i = 1; i <= n; i++) await log.append('alice', 'ask', { question: `question ${i}?`, answer: `answer ${i}`, citations: [] });
  return log;
}

/** The log's lines, without the final empty string after the last '\n'. */
export async function lines(log: AuditLog): Promise<string[]> {
  const text = await readFile(log.file, 'utf8');
  const parts = text.split('\n');
  if (parts.at(-1) === '') parts.pop();
  return parts;
}

export async function writeLines(log: AuditLog, ls: string[]): Promise<void> {
  await writeFile(log.file, ls.map((l) => `${l}\n`).join(''));
}

/** What a forger with the format but not the chain would write: a self-consistent hash. */
export function forge(r: UnsealedRecord): string {
  const record: AuditRecord = { ...r, hash: hashRecord(r) };
  return serializeRecord(record);
}

export function parse(line: string): AuditRecord {
  return JSON.parse(line) as AuditRecord;
}
