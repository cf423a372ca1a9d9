/**
 * Regression tests for what the hostile variants (test/fixtures/hostile/
 * variants.ts) found in the readers, on small generated inputs read by the
 * real readers: a million-point line overflowing the stack, 100k-deep KML
 * and DOCX failing with "Maximum call stack size exceeded", UTF-16 GPX sent
 * to the document reader, DOCX/e-mail refusals worded as parser internals,
 * NULs in e-mail titles, and PNG comment chunks inflating to gigabytes.
 */
import zlib from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { classifyBytes } from '../../ingest/classify.js';
import { docxFailure } from '../../ingest/documents/docx.js';
import { htmlToText } from '../../ingest/documents/html.js';
import { MAX_NESTED_MESSAGES } from '../../ingest/documents/email.js';
import { readDocument } from '../../ingest/documents/index.js';
import { readImage } from '../../ingest/imagery/index.js';
import { withoutPngText } from '../../ingest/imagery/png-text.js';
import { readSensorFeed } from '../../ingest/sensors/index.js';
import { MAX_XML_DEPTH } from '../../ingest/sensors/xml.js';
import { layoutTrack } from '../../ingest/tracks.js';
import { makeZip } from '../fixtures/hostile/zip.js';
import { bmp, pngChunk } from '../fixtures/hostile/variants.js';

const KML = (inner: string): string => `<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>${inner}</Document></kml>`;
const bytes = (s: string | Buffer): Uint8Array => new Uint8Array(Buffer.from(s));
const utf16le = (s: string): Uint8Array => new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]));

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a refusal');
}

describe('tracks: a line of hundreds of thousands of points', () => {
  it('gets its bounding box without spreading the points into Math.min (which overflowed the stack)', async () => {
    const n = 300_000;
    const coords = Array.from({ length: n }, (_, i) => `${(11 + i / n).toFixed(6)},${(48 - i / n).toFixed(6)},0`).join(' ');
    const track = await readSensorFeed(bytes(KML(`<Placemark><name>Long patrol</name><LineString><coordinates>${coords}</coordinates></LineString></Placemark>`)), { filename: 'long.kml' });
    const layout = layoutTrack(track);
    expect(layout.passages).toHaveLength(1);
    expect(layout.geo?.west).toBeCloseTo(11, 5);
    expect(layout.geo?.south).toBeCloseTo(48 - (n - 1) / n, 5);
    expect(layout.geo?.east).toBeCloseTo(11 + (n - 1) / n, 5);
    expect(layout.geo?.north).toBeCloseTo(48, 5);
  });
});

describe('sensor XML nested too deep', () => {
  it('refuses 5,000 nested MultiGeometry with a reason, not a stack overflow', async () => {
    const deep = 5000;
    const e = await refusal(readSensorFeed(bytes(KML(`<Placemark><name>m</name>${'<MultiGeometry>'.repeat(deep)}<Point><coordinates>11.5,48.1</coordinates></Point>${'</MultiGeometry>'.repeat(deep)}</Placemark>`)), { filename: 'deep.kml' }));
    expect(e.code).toBe('PARSE_FAILED');
    expect(e.message).toMatch(new RegExp(`nested more than ${MAX_XML_DEPTH} levels`));
  });

  it('still reads real nesting and HTML in CDATA descriptions (unclosed <br> is not depth)', async () => {
    const desc = `<description><![CDATA[${'line<br>'.repeat(3 * MAX_XML_DEPTH)}<!-- <a> -->]]></description>`;
    const kml = KML(`${'<Folder><name>f</name>'.repeat(40)}<Placemark><name>Depot</name>${desc}<Point><coordinates>11.5,48.1,0</coordinates></Point></Placemark>${'</Folder>'.repeat(40)}`);
    const track = await readSensorFeed(bytes(kml), { filename: 'folders.kml' });
    expect(track.features).toHaveLength(1);
    expect(track.features[0]?.properties.name).toBe('Depot');
  });
});

describe('UTF-16 sensor files', () => {
  const gpx = (inner: string, doctype = ''): string => `<?xml version="1.0" encoding="UTF-16"?>${doctype}<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><wpt lat="48.1" lon="11.5"><name>${inner}</name></wpt></gpx>`;

  it('routes a BOM-marked UTF-16 GPX to the track reader (it holds NUL bytes) and reads it', async () => {
    const b = utf16le(gpx('Ridge post'));
    expect(classifyBytes(b, 'w.gpx')).toBe('track');
    const track = await readSensorFeed(b, { filename: 'w.gpx' });
    expect(track.features.map((f) => f.properties.name)).toEqual(['Ridge post']);
  });

  it('still refuses an external entity hidden in UTF-16', async () => {
    const b = utf16le(gpx('&xxe;', '<!DOCTYPE gpx [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>'));
    expect(classifyBytes(b, 'x.gpx')).toBe('track');
    const e = await refusal(readSensorFeed(b, { filename: 'x.gpx' }));
    expect(e.code).toBe('PARSE_FAILED');
    expect(e.message).toMatch(/DTD with entities/);
  });

  it('routes UTF-16 CSV (an Excel export) to the track reader', () => {
    expect(classifyBytes(utf16le('time,lat,lon\n2024-01-01T00:00:00Z,48.1,11.5\n'), 'e.csv')).toBe('track');
  });
});

describe('DOCX refusals say what is wrong', () => {
  const CT = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
  const RELS = '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';
  const docx = async (document: string): Promise<Uint8Array> => new Uint8Array(await makeZip([{ name: '[Content_Types].xml', data: CT }, { name: '_rels/.rels', data: RELS }, { name: 'word/document.xml', data: document }]));
  const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

  it('names an entity declaration (XXE) instead of "[xmldom error] entity not found", and leaks nothing', async () => {
    const e = await refusal(readDocument(await docx(`<?xml version="1.0"?><!DOCTYPE w:document [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]><w:document ${W}><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>`), { filename: 'x.docx' }));
    expect(e.code).toBe('PARSE_FAILED');
    expect(e.message).toMatch(/entities from a DTD/);
    expect(e.message).not.toMatch(/root:x:0/);
  });

  it('names nesting too deep instead of "Maximum call stack size exceeded"', async () => {
    const n = 30_000;
    const e = await refusal(readDocument(await docx(`<?xml version="1.0"?><w:document ${W}><w:body>${'<w:tbl><w:tr><w:tc>'.repeat(n)}<w:p><w:r><w:t>deep</w:t></w:r></w:p>${'</w:tc></w:tr></w:tbl>'.repeat(n)}</w:body></w:document>`), { filename: 'deep.docx' }));
    expect(e.code).toBe('PARSE_FAILED');
    expect(e.message).toMatch(/nested too deeply/);
  });

  it('words a null-part TypeError as a damaged DOCX', () => {
    expect(docxFailure(new TypeError("Cannot read properties of null (reading 'tagName')"))).toMatch(/not valid Word XML/);
  });
});

describe('e-mail', () => {
  const HEAD = 'From: a@example.org\r\nTo: b@example.org\r\nDate: Fri, 03 May 2024 10:15:00 +0000\r\nMIME-Version: 1.0\r\n';

  it('refuses more MIME parts than the parser takes with what to do, not "Max allowed child nodes exceeded"', async () => {
    const parts = Array.from({ length: 3000 }, (_, i) => `--m\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename="n${i}.txt"\r\n\r\nNote ${i}.\r\n`).join('');
    const e = await refusal(readDocument(bytes(`${HEAD}Subject: many\r\nContent-Type: multipart/mixed; boundary="m"\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nBody.\r\n${parts}--m--\r\n`), { filename: 'many.eml' }));
    expect(e.code).toBe('PARSE_FAILED');
    expect(e.message).toMatch(/more MIME parts .* ingest them as files/);
  });

  it('keeps NULs and replacement characters from encoded words out of the title', async () => {
    const doc = await readDocument(bytes(`${HEAD}Subject: Convoy =?x-unknown?B?AAAA?= report\r\nContent-Type: text/plain\r\n\r\nThe convoy left.\r\n`), { filename: 'w.eml' });
    expect(doc.title).toMatch(/^Convoy .*report$/);
    expect(doc.title).not.toMatch(/[\u0000-\u001f\ufffd]/);
  });
});

describe('PNG text chunks', () => {
  const chunk = pngChunk;

  it('are dropped before decoding (libvips inflated each 1 MiB zTXt on every open) and the image still reads', async () => {
    const png = await sharp({ create: { width: 16, height: 8, channels: 3, background: '#336699' } }).png().toBuffer();
    const ztxt = chunk('zTXt', Buffer.concat([Buffer.from('Comment\0\0', 'latin1'), zlib.deflateSync(Buffer.alloc(1024 * 1024, 'a'))]));
    const hostile = new Uint8Array(Buffer.concat([png.subarray(0, 33), ...Array.from({ length: 40 }, () => ztxt), png.subarray(33)]));
    const stripped = withoutPngText(hostile);
    expect(stripped.byteLength).toBe(png.byteLength);
    expect(Buffer.from(stripped).equals(png)).toBe(true);
    expect(withoutPngText(new Uint8Array(png))).toEqual(new Uint8Array(png));
    const img = await readImage(hostile, { filename: 'comments.png' });
    expect([img.width, img.height]).toEqual([16, 8]);
    expect(img.metadata.sha256).toBe(await import('node:crypto').then((c) => c.createHash('sha256').update(hostile).digest('hex')));
  });

  it('leave a malformed chunk list to libvips (same bytes back)', () => {
    const broken = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x7f, 0xff, 0xff, 0xff, 0x74, 0x45, 0x58, 0x74]);
    expect(withoutPngText(broken)).toBe(broken);
  });
});

describe('zero-filled files of any extension', () => {
  it('are EMPTY_FILE saying so, not "binary data ... Cairn reads PDF, DOCX ..." for a .gpx or .jpg', async () => {
    for (const name of ['wiped.gpx', 'wiped.jpg', 'wiped.pdf', 'wiped.docx', 'wiped.txt']) {
      const b = new Uint8Array(64 * 1024);
      expect(classifyBytes(b, name)).toBe('document');
      const e = await refusal(readDocument(b, { filename: name }));
      expect(e.code).toBe('EMPTY_FILE');
      expect(e.message).toMatch(/only NUL bytes/);
    }
  });

  it('leave files with some NUL bytes to the binary-data refusal', async () => {
    const b = new Uint8Array(1024);
    b[700] = 0x41;
    expect((await refusal(readDocument(b, { filename: 'mostly.bin' }))).code).toBe('UNSUPPORTED_TYPE');
  });
});

describe('image formats Cairn does not read', () => {
  it('names a BMP renamed .jpg as an image to convert, not "not a document"', async () => {
    const b = new Uint8Array(bmp(4, 4));
    expect(classifyBytes(b, 'photo.jpg')).toBe('document');
    const e = await refusal(readDocument(b, { filename: 'photo.jpg' }));
    expect(e.code).toBe('UNSUPPORTED_TYPE');
    expect(e.message).toMatch(/BMP image .* convert it to PNG or JPEG/);
  });
});

describe('HTML nested hundreds of thousands deep', () => {
  it('reads the text of 200,000 unclosed and 100,000 closed nested elements (the element stack was quadratic)', () => {
    const unclosed = htmlToText(`<html><head><title>Deep</title></head><body>${'<div><span>'.repeat(100_000)}convoy at the ridge`);
    expect(unclosed.title).toBe('Deep');
    expect(unclosed.text.trim()).toBe('convoy at the ridge');
    const closed = htmlToText(`<body>${'<div>'.repeat(100_000)}deep text${'</div>'.repeat(100_000)}<p>after</p></body>`);
    expect(closed.text.replace(/\s+/g, ' ').trim()).toBe('deep text after');
  });

  it('keeps the HTML rules the stack gave: skipped elements, self-closing only for void and SVG, </br>', () => {
    const r = htmlToText('<p>a<script/>var x = "hidden";</script>b<svg/>c<svg><text>no</text></svg>d<br/>e</br>f<div/>g<pre>  two  spaces</pre><td>h</td><td>i</td></p>');
    expect(r.text).not.toMatch(/hidden|no/);
    expect(r.text.replace(/\s+/g, ' ')).toBe(' abcd e f g two spaces h i ');
    expect(r.text).toContain('  two  spaces');
    expect(htmlToText('<title>A &amp; B</title><svg><title>inner</title></svg><p>x &lt; y</p>')).toEqual({ title: 'A & B', text: '\n\nx < y\n\n' });
  });
});

describe('e-mail attaching e-mail attaching e-mail ...', () => {
  const HEAD = 'From: a@example.org\r\nTo: b@example.org\r\nDate: Fri, 03 May 2024 10:15:00 +0000\r\nMIME-Version: 1.0\r\n';
  function wrapped(levels: number): string {
    let msg = `${HEAD}Subject: innermost\r\nContent-Type: text/plain\r\n\r\nInnermost message.\r\n`;
    for (let i = 0; i < levels; i++) msg = `${HEAD}Subject: wrap ${i}\r\nContent-Type: multipart/mixed; boundary="r${i}"\r\n\r\n--r${i}\r\nContent-Type: text/plain\r\n\r\nLevel ${i}.\r\n--r${i}\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename="m${i}.eml"\r\n\r\n${msg}\r\n--r${i}--\r\n`;
    return msg;
  }

  it('does not hand on an attached e-mail nesting more than MAX_NESTED_MESSAGES (each level became a source, parsed again per level)', async () => {
    const doc = await readDocument(bytes(wrapped(MAX_NESTED_MESSAGES + 5)), { filename: 'deep.eml' });
    expect(doc.attachments).toEqual([]);
    expect(String(doc.metadata.droppedAttachments)).toMatch(/nesting more than 10 e-mails/);
    expect(doc.pages[0]?.text).toContain('Level');
  });

  it('keeps an ordinary forward chain', async () => {
    const doc = await readDocument(bytes(wrapped(3)), { filename: 'fwd.eml' });
    expect(doc.attachments.map((a) => a.filename)).toEqual(['m2.eml']);
    expect(doc.metadata.droppedAttachments).toBeUndefined();
  });
});

describe('XML whose DTD is longer than the sniffed head', () => {
  it('is refused as XML, not indexed as plain text', async () => {
    const svg = `<?xml version="1.0"?>\n<!DOCTYPE svg [ <!ENTITY big "${'x'.repeat(50_000)}"> ]>\n<svg xmlns="http://www.w3.org/2000/svg"><text>${'&big;'.repeat(100)}</text></svg>`;
    const e = await refusal(readDocument(bytes(svg), { filename: 'bomb.svg' }));
    expect(e.code).toBe('UNSUPPORTED_TYPE');
    expect(e.message).toMatch(/is XML/);
  });
});
