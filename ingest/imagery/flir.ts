/**
 * Capture time from a FLIR thermal JPEG's FFF record (DJI and FLIR drone
 * cameras). EXIF DateTimeOriginal in these files is local time without a
 * zone; the FFF CameraInfo record holds Unix time, milliseconds and the zone,
 * and it is what exiftool reports as DateTimeOriginal. Layout after exiftool's
 * FLIR.pm: APP1 "FLIR\0" segments concatenated, an "FFF\0" header, a record
 * directory of 0x20-byte entries, CameraInfo (type 0x20) with the time at 0x384.
 * Every read is bounds-checked; anything odd returns null.
 */

const CAMERA_INFO = 0x20;
const MAX_RECORDS = 1024;

/** The FLIR data carried in a JPEG's APP1 "FLIR" segments, in segment order, or null. */
function flirPayload(b: Uint8Array): Uint8Array | null {
  if (b[0] !== 0xff || b[1] !== 0xd8) return null;
  const parts = new Map<number, Uint8Array>();
  let pos = 2;
  while (pos + 4 <= b.length && b[pos] === 0xff) {
    const marker = b[pos + 1]!;
    if (marker === 0xda || marker === 0xd9) break; // start of scan / end of image
    if (marker === 0xff) {
      pos += 1; // fill byte
      continue;
    }
    const len = (b[pos + 2]! << 8) | b[pos + 3]!;
    if (len < 2 || pos + 2 + len > b.length) break;
    const seg = b.subarray(pos + 4, pos + 2 + len);
    if (marker === 0xe1 && seg.length > 8 && seg[0] === 0x46 && seg[1] === 0x4c && seg[2] === 0x49 && seg[3] === 0x52 && seg[4] === 0) {
      parts.set(seg[6]!, seg.subarray(8));
    }
    pos += 2 + len;
  }
  if (parts.size === 0) return null;
  const ordered = [...parts.entries()].sort((x, y) => x[0] - y[0]).map((p) => p[1]);
  const total = ordered.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of ordered) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** exiftool's FLIR DateTimeOriginal as "YYYY:MM:DD HH:MM:SS.mmm±HH:MM", or null when absent or implausible. */
export function flirDateTimeOriginal(jpeg: Uint8Array): string | null {
  const fff = flirPayload(jpeg);
  if (!fff || fff.length < 0x40 || fff[0] !== 0x46 || fff[1] !== 0x46 || fff[2] !== 0x46 || fff[3] !== 0) return null;
  const view = new DataView(fff.buffer, fff.byteOffset, fff.byteLength);
  let le = false;
  const version = view.getUint32(0x14, le);
  if (!(version >= 100 && version < 200)) {
    le = true;
    const v2 = view.getUint32(0x14, le);
    if (!(v2 >= 100 && v2 < 200)) return null;
  }
  const dirPos = view.getUint32(0x18, le);
  const count = Math.min(view.getUint32(0x1c, le), MAX_RECORDS);
  for (let i = 0; i < count; i++) {
    const entry = dirPos + i * 0x20;
    if (entry + 0x20 > fff.length) return null;
    if (view.getUint16(entry, le) !== CAMERA_INFO) continue;
    const recPos = view.getUint32(entry + 0x0c, le);
    const recLen = view.getUint32(entry + 0x10, le);
    if (recLen < 0x384 + 10 || recPos + recLen > fff.length) return null;
    // The record's own byte order: its first int16u reads 2 when right.
    let rle = le;
    if (view.getUint16(recPos, rle) >= 0x100) rle = !rle;
    const tm = view.getUint32(recPos + 0x384, rle);
    const ms = view.getUint32(recPos + 0x388, rle) & 0xffff;
    const tz = view.getInt16(recPos + 0x38c, rle);
    if (tm === 0 || ms > 999 || Math.abs(tz) > 14 * 60) return null;
    const local = new Date((tm - tz * 60) * 1000);
    const year = local.getUTCFullYear();
    if (year < 1990 || year > 2100) return null;
    const off = -tz;
    const zone = `${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
    return `${year}:${pad(local.getUTCMonth() + 1)}:${pad(local.getUTCDate())} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}.${pad(ms, 3)}${zone}`;
  }
  return null;
}
