// The inflate budget checked before pdf.js reads a PDF: a flate bomb is
// refused with TOO_LARGE instead of ballooning the reader's memory outside
// its heap limit, and ordinary PDFs (text, images) pass untouched.
import { deflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPdfStreams } from '../../ingest/documents/pdf-streams.js';
import { closeIsolatedReaders, readDocumentIsolated } from '../../ingest/documents/worker.js';
import { flateBombPdf, pixelFloodImagePdf, textPdf } from '../fixtures/hostile/pdf.js';

const MiB = 1024 * 1024;

/** A minimal PDF object holding one FlateDecode stream with the given dictionary entries. */
function streamObject(n: number, dict: string, inflated: Buffer): Buffer {
  const z = deflateSync(inflated);
  return Buffer.concat([Buffer.from(`${n} 0 obj\n<< /Length ${z.byteLength} /Filter /FlateDecode ${dict}>>\nstream\n`), z, Buffer.from('\nendstream\nendobj\n')]);
}

describe('checkPdfStreams', () => {
  afterAll(() => closeIsolatedReaders());

  it('measures the streams of an ordinary PDF and lets it through', async () => {
    const r = await checkPdfStreams(await textPdf(3), 'ordinary.pdf');
    expect(r.streams).toBeGreaterThan(0);
    expect(r.inflatedBytes).toBeGreaterThan(0);
    expect(r.inflatedBytes).toBeLessThan(MiB);
  });

  it('refuses a stream over the per-stream limit, and a file over the total', async () => {
    const bomb = await flateBombPdf(64 * MiB);
    expect(bomb.byteLength).toBeLessThan(MiB);
    await expect(checkPdfStreams(bomb, 'bomb.pdf', { maxStreamBytes: 16 * MiB })).rejects.toMatchObject({ code: 'TOO_LARGE', message: expect.stringMatching(/bomb\.pdf holds a compressed stream that inflates to more than 16 MB/) });
    const many = Buffer.concat([Buffer.from('%PDF-1.4\n'), ...[1, 2, 3].map((n) => streamObject(n, '', Buffer.alloc(8 * MiB, 'x')))]);
    await expect(checkPdfStreams(many, 'many.pdf', { maxStreamBytes: 16 * MiB, maxTotalBytes: 20 * MiB })).rejects.toThrow(/more than 20 MB in all/);
    expect((await checkPdfStreams(many, 'many.pdf', { maxStreamBytes: 16 * MiB, maxTotalBytes: 32 * MiB })).streams).toBe(3);
  });

  it('leaves images and attached files alone (text extraction never decodes them)', async () => {
    const big = Buffer.alloc(8 * MiB, 0);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), streamObject(1, '/Type /XObject /Subtype /Image /Width 2048 /Height 1024 /ColorSpace /DeviceRGB /BitsPerComponent 8 ', big), streamObject(2, '/Type /EmbeddedFile ', big)]);
    expect(await checkPdfStreams(pdf, 'images.pdf', { maxStreamBytes: MiB })).toEqual({ streams: 0, inflatedBytes: 0 });
    await expect(checkPdfStreams(await pixelFloodImagePdf(), 'flood.pdf')).resolves.toBeDefined();
  });

  it('skips a stream that does not inflate, as pdf.js would decide for itself', async () => {
    const junk = Buffer.concat([Buffer.from('%PDF-1.4\n1 0 obj\n<< /Length 64 /Filter /FlateDecode >>\nstream\n'), Buffer.alloc(64, 0x55), Buffer.from('\nendstream\nendobj\n')]);
    expect(await checkPdfStreams(junk, 'junk.pdf')).toEqual({ streams: 0, inflatedBytes: 0 });
  });

  it('makes the isolated reader refuse a 300 MiB flate bomb with the default limits', async () => {
    const bomb = await flateBombPdf(300 * MiB);
    // A warm reader first, so its start-up is not counted below.
    await readDocumentIsolated(await textPdf(1), { filename: 'small.pdf' });
    const before = process.memoryUsage().rss;
    await expect(readDocumentIsolated(bomb, { filename: 'bomb-300.pdf' })).rejects.toMatchObject({ code: 'TOO_LARGE', message: expect.stringMatching(/decompression bomb/) });
    // Counting keeps nothing: the process did not take on the inflated bytes.
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * MiB);
  });
});
