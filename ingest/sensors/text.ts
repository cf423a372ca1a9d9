import { TextDecoder } from 'node:util';
import { CairnError } from '../../main/core/errors.js';

/**
 * Bytes to text: UTF-8 by default, UTF-16 when a BOM says so, and for XML
 * the encoding its declaration names (ISO-8859-1 KML exists). The BOM is
 * removed.
 */
export function decodeText(bytes: Uint8Array, filename: string): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return decodeWith('utf-16le', bytes.subarray(2), filename);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return decodeWith('utf-16be', bytes.subarray(2), filename);
  const body = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const head = new TextDecoder('latin1').decode(body.subarray(0, 200));
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
  if (declared && declared !== 'utf-8' && declared !== 'utf8' && !declared.startsWith('utf-16')) {
    return decodeWith(declared, body, filename);
  }
  return decodeWith('utf-8', body, filename);
}

function decodeWith(encoding: string, bytes: Uint8Array, filename: string): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding);
  } catch {
    throw new CairnError('UNSUPPORTED_TYPE', `${filename} declares the text encoding "${encoding}", which Cairn cannot read; convert it to UTF-8`, { input: filename });
  }
  return decoder.decode(bytes);
}

/** Lines without their terminators (LF, CRLF or CR). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}
