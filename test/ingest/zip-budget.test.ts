// The inflate budget checked before mammoth opens a DOCX: a zip bomb in
// document.xml is refused with TOO_LARGE instead of ballooning the reader's
// memory outside its heap limit; ordinary documents and media pass.
import { Document, Packer, Paragraph } from 'docx';
import { afterAll, describe, expect, it } from 'vitest';
import { closeIsolatedReaders, readDocumentIsolated } from '../../ingest/documents/worker.js';
import { checkZipInflation } from '../../ingest/documents/zip-budget.js';
import { makeZip, type ZipEntry } from '../fixtures/hostile/zip.js';

const MiB = 1024 * 1024;
const CONTENT_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS = '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';

function bombDocx(times: number, extra: ZipEntry[] = []): Promise<Buffer> {
  return makeZip([
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: '_rels/.rels', data: RELS },
    { name: 'word/document.xml', stream: { prefix: '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>', repeat: Buffer.alloc(MiB, 'A'), times, suffix: '</w:t></w:r></w:p></w:body></w:document>' } },
    ...extra,
  ]);
}

describe('checkZipInflation', () => {
  afterAll(() => closeIsolatedReaders());

  it('measures an ordinary DOCX and lets it through', async () => {
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('The Blue Heron berthed on 14 June.')] }] }));
    const r = checkZipInflation(docx, 'ordinary.docx');
    expect(r.entries).toBeGreaterThan(3);
    expect(r.inflatedBytes).toBeGreaterThan(0);
    expect(r.inflatedBytes).toBeLessThan(MiB);
  });

  it('refuses a part over the per-part limit, and parts over the total', async () => {
    const bomb = await bombDocx(64);
    expect(bomb.byteLength).toBeLessThan(MiB);
    expect(() => checkZipInflation(bomb, 'bomb.docx', { maxEntryBytes: 16 * MiB })).toThrow(/word\/document\.xml inflates to more than 16 MB/);
    expect(() => checkZipInflation(bomb, 'bomb.docx', { maxEntryBytes: 128 * MiB, maxTotalBytes: 32 * MiB })).toThrow(/more than 32 MB in all/);
    expect(checkZipInflation(bomb, 'bomb.docx', { maxEntryBytes: 128 * MiB }).inflatedBytes).toBeGreaterThan(64 * MiB);
  });

  it('does not count media, which raw-text extraction never inflates', async () => {
    const docx = await bombDocx(1, [{ name: 'word/media/image1.bmp', stream: { prefix: 'BM', repeat: Buffer.alloc(MiB, 0), times: 64, suffix: '' } }]);
    expect(checkZipInflation(docx, 'media.docx', { maxEntryBytes: 16 * MiB }).inflatedBytes).toBeLessThan(2 * MiB);
  });

  it('leaves a corrupt archive to the reader', () => {
    expect(checkZipInflation(Buffer.from('PK\u0003\u0004 this is not a zip at all'), 'junk.docx')).toEqual({ entries: 0, inflatedBytes: 0 });
  });

  it('makes the isolated reader refuse a 300 MiB DOCX bomb with the default limits', async () => {
    const bomb = await bombDocx(300);
    // A warm reader first, so its start-up is not counted below.
    await readDocumentIsolated(await bombDocx(1), { filename: 'small.docx' });
    const before = process.memoryUsage().rss;
    await expect(readDocumentIsolated(bomb, { filename: 'bomb-300.docx' })).rejects.toMatchObject({ code: 'TOO_LARGE', message: expect.stringMatching(/zip bomb/) });
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * MiB);
  });
});
