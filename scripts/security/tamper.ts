/**
 * Tamper evidence, measured by mutation: a real audit log (records, then a
 * signed checkpoint whose hash the reviewer kept) and a real signed package
 * are changed in every way of a kind, and each copy is verified:
 *
 *   byte        every single byte replaced by another value
 *   delete      every line (log) / every 512-byte block (package) removed
 *   reorder     every pair of neighbouring lines / blocks swapped
 *   duplicate   every line repeated in place (log)
 *   truncate    the file cut at every byte offset
 *
 * `sample` keeps one position in N (the test suite's quick run); the full run
 * tries every position. A mutation is detected when verification fails:
 * `verifySigned({expectHead})` for the log, `verifyPackage` for the package.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AuditLog } from '../../main/audit/index.js';
import { verifyPackage } from '../../main/packages/index.js';
import { dataTrust, makePackage, type Sandbox, trustedPublisher, writeCorpus } from '../../test/packages/helpers.js';

export interface TamperRow {
  target: 'audit log' | 'package';
  mutation: 'byte' | 'delete' | 'reorder' | 'duplicate' | 'truncate';
  tried: number;
  detected: number;
  /** Up to 5 mutations that verified as intact. */
  missed: string[];
}

type Mutation = { mutation: TamperRow['mutation']; what: string; bytes: Buffer };

function* byteChanges(orig: Buffer, sample: number): Generator<Mutation> {
  for (let i = 0; i < orig.length; i += sample) {
    const bytes = Buffer.from(orig);
    bytes[i] = (orig[i]! + 1) % 256;
    yield { mutation: 'byte', what: `byte ${i} 0x${orig[i]!.toString(16)} -> 0x${bytes[i]!.toString(16)}`, bytes };
  }
}

function* truncations(orig: Buffer, sample: number): Generator<Mutation> {
  for (let p = 0; p < orig.length; p += sample) yield { mutation: 'truncate', what: `cut at byte ${p} of ${orig.length}`, bytes: orig.subarray(0, p) };
}

/** Pieces (lines or blocks): each removed, each neighbouring pair swapped, optionally each repeated. */
function* pieceChanges(pieces: Buffer[], unit: string, duplicates: boolean): Generator<Mutation> {
  for (let i = 0; i < pieces.length; i++) yield { mutation: 'delete', what: `${unit} ${i} removed`, bytes: Buffer.concat(pieces.filter((_, j) => j !== i)) };
  for (let i = 0; i + 1 < pieces.length; i++) {
    if (pieces[i]!.equals(pieces[i + 1]!)) continue; // swapping equal pieces changes nothing
    const swapped = [...pieces];
    [swapped[i], swapped[i + 1]] = [pieces[i + 1]!, pieces[i]!];
    yield { mutation: 'reorder', what: `${unit}s ${i} and ${i + 1} swapped`, bytes: Buffer.concat(swapped) };
  }
  if (duplicates) for (let i = 0; i < pieces.length; i++) yield { mutation: 'duplicate', what: `${unit} ${i} repeated`, bytes: Buffer.concat([...pieces.slice(0, i + 1), ...pieces.slice(i)]) };
}

async function tally(target: TamperRow['target'], mutations: Iterable<Mutation>, detects: (bytes: Buffer) => Promise<boolean>): Promise<TamperRow[]> {
  const rows = new Map<TamperRow['mutation'], TamperRow>();
  for (const m of mutations) {
    const row = rows.get(m.mutation) ?? { target, mutation: m.mutation, tried: 0, detected: 0, missed: [] };
    rows.set(m.mutation, row);
    row.tried++;
    if (await detects(m.bytes)) row.detected++;
    else if (row.missed.length < 5) row.missed.push(m.what);
  }
  return [...rows.values()];
}

/** A log of `records` varied records and a closing signed checkpoint, every mutation verified against the kept head. */
export async function auditTamper(work: string, opts: { sample?: number; records?: number } = {}): Promise<TamperRow[]> {
  const sample = opts.sample ?? 1;
  const dataDir = path.join(work, 'audit-data');
  await mkdir(dataDir, { recursive: true });
  const log = await AuditLog.open(dataDir);
  for (let i = 0; i < (opts.records ?? 8); i++) {
    await log.append(i % 3 ? 'ann' : 'reviewer-1', i % 2 ? 'ask' : 'ingest', {
      file: `/cases/report-${i}.pdf`, question: `Where did the convoy ${i} go? Kessel–Sarn, é, 漢字`, chunks: i * 7, score: 0.5 + i / 10, cited: [{ chunkId: `c${i}`, start: i, end: i + 40 }], ok: i % 2 === 0, none: null,
    });
  }
  const checkpoint = await log.checkpoint('admin', { force: true });
  if (!checkpoint) throw new Error('no checkpoint was written');
  const file = path.join(dataDir, 'audit', 'log.jsonl');
  const orig = await readFile(file);
  const control = await log.verifySigned({ expectHead: checkpoint.hash });
  if (!control.ok) throw new Error(`the untouched log does not verify: ${JSON.stringify(control.firstBroken)}`);
  const lines = orig.toString('utf8').split(/(?<=\n)/).map((l) => Buffer.from(l));
  const detects = async (bytes: Buffer): Promise<boolean> => {
    await writeFile(file, bytes);
    try {
      return !(await log.verifySigned({ expectHead: checkpoint.hash })).ok;
    } catch {
      return true; // refused outright (unreadable): detected
    }
  };
  try {
    return await tally('audit log', (function* () {
      yield* byteChanges(orig, sample);
      yield* pieceChanges(lines, 'line', true);
      yield* truncations(orig, sample);
    })(), detects);
  } finally {
    await writeFile(file, orig);
  }
}

/** A real signed package (three files), every mutation verified against the trusted publisher key. */
export async function packageTamper(sb: Sandbox, opts: { sample?: number } = {}): Promise<TamperRow[]> {
  const sample = opts.sample ?? 1;
  await writeCorpus(sb.src);
  const key = await trustedPublisher(sb);
  const good = (await makePackage(sb, key)).out;
  const trustStore = await dataTrust(sb);
  if (!(await verifyPackage(good, { trustStore })).ok) throw new Error('the untouched package does not verify');
  const orig = await readFile(good);
  const blocks: Buffer[] = [];
  for (let i = 0; i < orig.length; i += 512) blocks.push(orig.subarray(i, i + 512));
  const copy = path.join(sb.root, 'mutated.tar');
  const detects = async (bytes: Buffer): Promise<boolean> => {
    await writeFile(copy, bytes);
    try {
      return !(await verifyPackage(copy, { trustStore })).ok;
    } catch {
      return true;
    }
  };
  return tally('package', (function* () {
    yield* byteChanges(orig, sample);
    yield* pieceChanges(blocks, 'block', false);
    yield* truncations(orig, sample);
  })(), detects);
}
