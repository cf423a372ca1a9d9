/**
 * A minimal, deterministic tar writer on node-tar's own Header and Pax
 * encoders: regular files only, in the order given, each with fixed mode,
 * owner and time, and a pax header when a name is too long for ustar.
 * node-tar's Pack works from a folder on disk; a package's entries come
 * from two places (the manifest in memory, the files in DIR under a
 * `files/` prefix) and must be hashed as they are written, so entries are
 * encoded here directly.
 */
import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import { Header, Pax } from 'tar';

const BLOCK = 512;
const ZEROS = Buffer.alloc(BLOCK * 2);

export class TarWriter {
  private readonly mtime: Date;
  private error: Error | undefined;

  constructor(
    private readonly out: WriteStream,
    mtime: Date,
  ) {
    // Whole seconds: tar stores seconds, pax would add a fractional field.
    this.mtime = new Date(Math.floor(mtime.getTime() / 1000) * 1000);
    out.on('error', (e) => {
      this.error ??= e;
    });
  }

  private async push(chunk: Buffer): Promise<void> {
    if (this.error) throw this.error;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  /** Writes the header of a regular file of `size` bytes. */
  async header(path: string, size: number): Promise<void> {
    const fields = { path, mode: 0o644, uid: 0, gid: 0, uname: '', gname: '', size, mtime: this.mtime, type: 'File' as const };
    const h = new Header(fields);
    if (h.encode()) await this.push(new Pax({ path, size, mtime: this.mtime }).encode());
    await this.push(h.block!);
  }

  /** Writes body bytes; call `pad` after the last chunk of an entry. */
  async body(chunk: Buffer): Promise<void> {
    await this.push(chunk);
  }

  async pad(size: number): Promise<void> {
    const rest = size % BLOCK;
    if (rest !== 0) await this.push(Buffer.alloc(BLOCK - rest));
  }

  async file(path: string, bytes: Buffer): Promise<void> {
    await this.header(path, bytes.length);
    await this.body(bytes);
    await this.pad(bytes.length);
  }

  /** The end-of-archive marker: two zero blocks. Then closes the stream and waits for it. */
  async finish(): Promise<void> {
    await this.push(ZEROS);
    this.out.end();
    if (!this.out.closed) await once(this.out, 'close');
    if (this.error) throw this.error;
  }

  /** Stops writing after a failure (the caller removes the partial file). */
  async abort(): Promise<void> {
    if (this.out.closed) return;
    this.out.destroy();
    await once(this.out, 'close').catch(() => undefined);
  }
}
