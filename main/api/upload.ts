import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CairnError } from '../core/errors.js';
import { INGEST_DEFAULTS } from '../../ingest/pipeline.js';

/**
 * Files dropped on the Library arrive here: streamed into DATA/inbox/
 * (never held whole in memory), size-limited while they stream, hashed, and
 * moved into a content-addressed folder under their own (sanitised) name,
 * so the extension still tells ingest what they are. The caller then runs
 * the ordinary ingest operation on the returned path.
 */

export const UPLOAD_MAX_BYTES = INGEST_DEFAULTS.maxBytes;

export interface SavedUpload {
  path: string;
  name: string;
  bytes: number;
  sha256: string;
}

/** A file name safe to create: the last path part, no control characters, no leading dots, at most 120 characters. */
export function safeUploadName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim();
  if (cleaned === '') return 'upload';
  if (cleaned.length <= 120) return cleaned;
  const ext = path.extname(cleaned).slice(0, 16);
  return cleaned.slice(0, 120 - ext.length) + ext;
}

export function inboxDir(dataDir: string): string {
  return path.join(dataDir, 'inbox');
}

/** Streams `body` into the inbox; TOO_LARGE (and nothing kept) past `maxBytes`, EMPTY_FILE for no bytes. */
export async function saveUpload(dataDir: string, rawName: string, body: Readable, maxBytes = UPLOAD_MAX_BYTES): Promise<SavedUpload> {
  const name = safeUploadName(rawName);
  const inbox = inboxDir(dataDir);
  await mkdir(inbox, { recursive: true });
  const tmp = path.join(inbox, `.upload-${randomBytes(8).toString('hex')}`);
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.byteLength;
      if (bytes > maxBytes) {
        done(new CairnError('TOO_LARGE', `${name} is over the ${maxBytes}-byte upload limit`, { input: name }));
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(body, meter, createWriteStream(tmp, { flags: 'wx' }));
    if (bytes === 0) throw new CairnError('EMPTY_FILE', `${name} is empty`, { input: name });
    const sha256 = hash.digest('hex');
    const dir = path.join(inbox, sha256.slice(0, 16));
    await mkdir(dir, { recursive: true });
    const final = path.join(dir, name);
    const already = await stat(final).then((s) => s.size === bytes, () => false);
    if (already) await rm(tmp, { force: true });
    else await rename(tmp, final);
    return { path: final, name, bytes, sha256 };
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
