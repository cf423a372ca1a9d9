/**
 * fsync helpers. An audit record the caller was told about (its hash is the
 * answer's auditId) must survive a power cut, so data is synced before append
 * returns, and the directory is synced when a file is created, renamed into
 * place or shrunk so the entry itself is durable.
 */
import { type FileHandle, open } from 'node:fs/promises';

export async function syncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (e) {
    // Windows cannot open or fsync a directory; the file's own fsync is the best there is.
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EACCES' && code !== 'EINVAL') throw e;
  } finally {
    await fh?.close();
  }
}

/** Writes all of `data` at the file's end (the fd is O_APPEND) and fsyncs it. */
export async function writeAllAndSync(fh: FileHandle, data: Buffer): Promise<void> {
  let done = 0;
  // One write() nearly always takes the whole line; loop only for the rare
  // short write, which is still safe because the caller holds the lock.
  while (done < data.length) {
    const { bytesWritten } = await fh.write(data, done, data.length - done);
    done += bytesWritten;
  }
  await fh.sync();
}
