/**
 * Where an accepted entry's body goes: a hasher (verify), a capped buffer
 * (manifest, signature) or a new file in the staging folder (extract).
 */
import { createHash, type Hash } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, mkdir, open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { insideRoot } from './paths.js';
import { problem, type Problem } from './problems.js';

/** An error that carries the package problem it stands for (see scanArchive). */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

/** Counts and hashes a body, keeping nothing. */
export class HashSink extends Writable {
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;
  sha256 = '';

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    cb();
  }

  override _final(cb: (e?: Error | null) => void): void {
    this.sha256 = this.hash.digest('hex');
    cb();
  }
}

/** Keeps a small body in memory, refusing more than `max` bytes. */
export class BufferSink extends Writable {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly max: number,
    private readonly entry: string,
    private readonly code: Problem['code'],
  ) {
    super();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.size += chunk.length;
    if (this.size > this.max) return cb(new ProblemError(problem(this.code, `larger than the ${this.max}-byte limit for this entry`, this.entry)));
    this.chunks.push(chunk);
    cb();
  }

  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** O_NOFOLLOW where the platform has it: never write through a planted link. */
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/**
 * Writes one extracted file under `root`, creating it new (never replacing,
 * never following a link), and checks its size and sha256 against what the
 * verified manifest says. A mismatch fails the write with PACKAGE_CHANGED:
 * the archive is not the one that was verified.
 */
export class StagedFileSink extends Writable {
  private fh: FileHandle | undefined;
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  readonly dest: string;

  constructor(
    private readonly root: string,
    private readonly entry: string,
    rel: string,
    private readonly expected: { bytes: number; sha256: string },
  ) {
    super();
    this.dest = insideRoot(root, rel);
  }

  private changed(message: string): ProblemError {
    return new ProblemError(problem('PACKAGE_CHANGED', `${message}: the archive changed after it was verified; nothing was imported`, this.entry));
  }

  override _construct(cb: (e?: Error | null) => void): void {
    const dir = path.dirname(this.dest);
    mkdir(dir, { recursive: true, mode: 0o700 })
      .then(async () => {
        // Every folder on the way was made by us inside the staging root; prove no link leads elsewhere.
        const [realDir, realRoot] = await Promise.all([realpath(dir), realpath(this.root)]);
        if (realDir !== realRoot && !realDir.startsWith(realRoot + path.sep)) throw new Error(`${dir} resolves outside the staging folder ${this.root}`);
        this.fh = await open(this.dest, CREATE_FLAGS, 0o600);
      })
      .then(() => cb(), cb);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.bytes += chunk.length;
    if (this.bytes > this.expected.bytes) return cb(this.changed(`more than the ${this.expected.bytes} bytes the manifest lists`));
    this.hash.update(chunk);
    this.fh!.write(chunk).then(() => cb(), cb);
  }

  override _final(cb: (e?: Error | null) => void): void {
    const sha = this.hash.digest('hex');
    const fh = this.fh;
    this.fh = undefined;
    (fh ? fh.close() : Promise.resolve())
      .then(() => {
        if (this.bytes !== this.expected.bytes) throw this.changed(`${this.bytes} bytes, the manifest lists ${this.expected.bytes}`);
        if (sha !== this.expected.sha256) throw this.changed(`sha256 ${sha}, the manifest lists ${this.expected.sha256}`);
      })
      .then(() => cb(), cb);
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    const fh = this.fh;
    this.fh = undefined;
    (fh ? fh.close() : Promise.resolve()).then(() => cb(err), () => cb(err));
  }
}
