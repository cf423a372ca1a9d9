import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { CairnError } from '../core/errors.js';
import type { Cairn } from './cairn.js';
import { saveUpload, UPLOAD_MAX_BYTES } from './upload.js';

/**
 * The two HTTP routes that carry bytes rather than JSON, behind the same
 * token as every /api route:
 *   GET  /api/content/<sourceId>   the original PDF or image (its own type, nosniff, sandboxed)
 *   POST /api/upload?name=<file>   a raw body (application/octet-stream) saved into DATA/inbox;
 *                                  answers {path, name, bytes, sha256} for the ingest operation
 */

export type FileService = Pick<Cairn, 'sourceBytes' | 'dataDir'> & Partial<Pick<Cairn, 'authorize'>>;

export function servesFiles(x: unknown): x is FileService {
  const o = x as Partial<FileService> | null;
  return typeof o?.sourceBytes === 'function' && typeof o.dataDir === 'string';
}

/** What a served original may do when opened on its own: nothing. */
const CONTENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/** `service`: one for every request, or the one acting as each request's authenticated user. */
export async function registerFileRoutes(api: FastifyInstance, service: FileService | ((req: FastifyRequest) => FileService), o: { uploadLimit?: number } = {}): Promise<void> {
  const serviceOf = (req: FastifyRequest): FileService => (typeof service === 'function' ? service(req) : service);
  const limit = o.uploadLimit ?? UPLOAD_MAX_BYTES;
  await api.register(async (files) => {
    // The body stays a stream: the handler writes it to disk as it arrives.
    files.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));

    files.get<{ Params: { id: string } }>('/api/content/:id', async (req, reply) => {
      const b = await serviceOf(req).sourceBytes(req.params.id);
      return reply
        .code(200)
        .header('content-type', b.mime)
        .header('content-length', String(b.bytes.byteLength))
        .header('content-disposition', `inline; filename="${b.id}"`)
        .header('content-security-policy', CONTENT_CSP)
        .header('x-content-type-options', 'nosniff')
        .send(b.bytes);
    });

    files.post<{ Querystring: { name?: string } }>('/api/upload', async (req, reply) => {
      const cairn = serviceOf(req);
      // An upload is the first half of an ingest: the same roles, refused before a byte is written.
      cairn.authorize?.('ingest');
      const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
      if (type !== 'application/octet-stream') throw new CairnError('BAD_INPUT', 'send the file as the raw body, content-type: application/octet-stream', { input: type ?? '' });
      const name = typeof req.query.name === 'string' ? req.query.name : '';
      if (name.trim() === '') throw new CairnError('BAD_INPUT', 'name the file: POST /api/upload?name=<file name>', { input: 'name' });
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && declared > limit) throw new CairnError('TOO_LARGE', `${name} is ${declared} bytes, over the ${limit}-byte upload limit`, { input: name });
      const saved = await saveUpload(cairn.dataDir, name, req.body as Readable, limit);
      return reply.code(200).send(saved);
    });
  });
}
