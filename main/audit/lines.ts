/**
 * Byte-level line access to the log file. Written by hand rather than with
 * node:readline because the audit needs what readline hides: whether the last
 * line ended with '\n' (a cut-off append does not), exact byte offsets (repair
 * truncates at one), and '\r' kept as data (a CRLF-mangled log is damage, not
 * a line ending).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

export interface LogLine {
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line's first byte. */
  offset: number;
  text: string;
  /** False only for a final line with no '\n': an append that was cut off. */
  terminated: boolean;
}

const NL = 0x0a;

/** Streams every line; memory is bounded by the longest line, not the file. */
export async function* readLogLines(file: string): AsyncGenerator<LogLine> {
  let pending: Buffer[] = [];
  let pendingStart = 0;
  let line = 0;
  let offset = 0; // bytes consumed before the current chunk
  try {
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      let from = 0;
      for (let i = chunk.indexOf(NL); i !== -1; i = chunk.indexOf(NL, from)) {
        pending.push(chunk.subarray(from, i));
        yield { line: ++line, offset: pendingStart, text: Buffer.concat(pending).toString('utf8'), terminated: true };
        pending = [];
        from = i + 1;
        pendingStart = offset + from;
      }
      if (from < chunk.length) pending.push(chunk.subarray(from));
      offset += chunk.length;
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // no log yet: zero lines
    throw e;
  }
  if (pending.length > 0) yield { line: ++line, offset: pendingStart, text: Buffer.concat(pending).toString('utf8'), terminated: false };
}

export interface LogTail {
  /** File size in bytes. */
  size: number;
  /** The last line, or undefined for an empty or missing file. */
  last: { offset: number; text: string; terminated: boolean } | undefined;
}

/**
 * Reads only the end of the file, so an append costs the same on a 1 GB log
 * as on an empty one. Reads backwards in growing windows until the start of
 * the last line is found.
 */
export async function readLogTail(file: string): Promise<LogTail> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { size: 0, last: undefined };
    throw e;
  }
  try {
    const { size } = await fh.stat();
    if (size === 0) return { size, last: undefined };
    const lastByte = Buffer.alloc(1);
    await fh.read(lastByte, 0, 1, size - 1);
    const terminated = lastByte[0] === NL;
    const end = terminated ? size - 1 : size; // exclusive end of the last line's text
    let window = 64 * 1024;
    for (;;) {
      const start = Math.max(0, end - window);
      const buf = Buffer.alloc(end - start);
      await fh.read(buf, 0, buf.length, start);
      const nl = buf.lastIndexOf(NL);
      if (nl !== -1 || start === 0) {
        const lineStart = nl === -1 ? 0 : start + nl + 1;
        return { size, last: { offset: lineStart, text: buf.subarray(lineStart - start).toString('utf8'), terminated } };
      }
      window *= 4;
    }
  } finally {
    await fh.close();
  }
}
