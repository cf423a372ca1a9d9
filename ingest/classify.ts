import { detectTextFormat, isZip } from './sensors/index.js';

export type IngestKind = 'document' | 'image' | 'track';

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0): boolean => sig.every((x, i) => b[at + i] === x);

/** Raster formats sharp decodes, by magic bytes. */
function isRasterImage(b: Uint8Array): boolean {
  return (
    startsWith(b, [0xff, 0xd8, 0xff]) || // JPEG
    startsWith(b, [0x89, 0x50, 0x4e, 0x47]) || // PNG
    startsWith(b, [0x47, 0x49, 0x46, 0x38]) || // GIF
    (startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b, [0x57, 0x45, 0x42, 0x50], 8)) || // RIFF....WEBP
    startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || // TIFF little-endian
    startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]) || // TIFF big-endian
    startsWith(b, [0x49, 0x49, 0x2b, 0x00]) || // BigTIFF
    (startsWith(b, [0x66, 0x74, 0x79, 0x70], 4) && /^(heic|heix|mif1|msf1|avif)$/.test(String.fromCharCode(...b.subarray(8, 12)))) // HEIF family
  );
}

/** A zip that is a KMZ (has a .kml entry) rather than a DOCX or other Office file. */
function isKmz(b: Uint8Array): boolean {
  if (!isZip(b)) return false;
  // Central-directory names are plain bytes; a cheap scan of the archive is enough to route it.
  const text = Buffer.from(b.buffer, b.byteOffset, Math.min(b.byteLength, 4 * 1024 * 1024)).toString('latin1');
  return /\.kml/i.test(text) && !text.includes('word/document.xml');
}

const GEOJSON_TYPE = /"type"\s*:\s*"(FeatureCollection|Feature|Point|MultiPoint|LineString|MultiLineString|Polygon|MultiPolygon|GeometryCollection)"/;

/**
 * Which family of reader a file goes to, from its bytes (the name only breaks
 * ties for GeoJSON). Each reader then does its own exact detection and
 * refuses what it cannot read with a clear reason.
 */
export function classifyBytes(bytes: Uint8Array, filename: string): IngestKind {
  if (isRasterImage(bytes)) return 'image';
  if (isKmz(bytes)) return 'track';
  // UTF-16 (BOM-marked) GPX, KML or CSV is full of NUL bytes but still a sensor file: sniff its decoded text.
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : null;
  if (isZip(bytes) || (!utf16 && bytes.includes(0))) return 'document';
  const sample = bytes.subarray(0, Math.min(bytes.byteLength, 256 * 1024));
  const head = utf16 ? new TextDecoder(utf16).decode(sample) : Buffer.from(sample.buffer, sample.byteOffset, sample.byteLength).toString('utf8');
  const trimmed = head.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    return GEOJSON_TYPE.test(head) || /\.geojson$/i.test(filename) ? 'track' : 'document';
  }
  try {
    detectTextFormat(head, filename);
    return 'track';
  } catch {
    // Not a sensor format: a document reader decides (or refuses) it.
    return /\.geojson$/i.test(filename) ? 'track' : 'document';
  }
}
