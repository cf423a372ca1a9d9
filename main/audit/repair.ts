/**
 * The one repair Cairn does on its own: an append cut off by a crash or a full
 * disk leaves a final line with no newline. That line never became a record
 * (append had not returned, so no one was given its hash), so moving it aside
 * loses nothing that was ever acknowledged. It is kept byte for byte in a
 * quarantine file as evidence, never deleted.
 *
 * Any other damage (an edited, deleted, reordered or unchained record, or a
 * complete but unparsable line) is evidence of tampering or corruption and
 * is refused: deciding what the truth was is a person's job.
 */
import { open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CairnError } from '../core/errors.js';
import { syncDir } from './durable.js';
import { readLogTail } from './lines.js';
import { verifyLog } from './verify.js';

export interface RepairResult {
  /** Path of the file now holding the cut-off bytes. */
  quarantined: string;
}

/** Caller holds the log lock. */
export async function repairTruncatedTail(file: string, now: Date = new Date()): Promise<RepairResult> {
  const result = await verifyLog(file);
  if (result.ok) throw new CairnError('BAD_INPUT', `the audit log is intact (${result.records} records): nothing to repair`, { input: file });
  const b = result.firstBroken;
  if (b.reason !== 'truncated') {
    throw new CairnError(
      'AUDIT_BROKEN',
      `the audit log is damaged at line ${b.line}${b.seq === undefined ? '' : ` (seq ${b.seq})`}: ${b.message} ` +
        'Only a cut-off last line is repaired automatically. Keep a copy of the log as evidence and restore log.jsonl from a backup.',
      { input: `${file}:${b.line}` },
    );
  }
  const { size, last } = await readLogTail(file);
  if (last === undefined || last.terminated) throw new CairnError('INTERNAL', 'the audit log changed during repair', { input: file });

  const fh = await open(file, 'r+');
  try {
    const cut = Buffer.alloc(size - last.offset);
    await fh.read(cut, 0, cut.length, last.offset);
    // Quarantine first and make it durable, then shrink the log: a crash in
    // between leaves a duplicate, never a loss.
    const quarantined = await writeQuarantine(path.dirname(file), cut, now);
    await syncDir(path.dirname(file));
    await fh.truncate(last.offset);
    await fh.sync();
    return { quarantined };
  } finally {
    await fh.close();
  }
}

async function writeQuarantine(dir: string, bytes: Buffer, now: Date): Promise<string> {
  // ':' is not allowed in Windows file names.
  const stamp = now.toISOString().replace(/:/g, '-');
  for (let n = 0; ; n++) {
    const file = path.join(dir, `quarantine-${stamp}${n === 0 ? '' : `-${n}`}.jsonl`);
    try {
      await writeFile(file, bytes, { flag: 'wx', flush: true });
      return file;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
