import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CairnError } from '../core/errors.js';
import { bearerToken, checkTokenStrength, generateToken, tokensEqual } from './auth.js';
import type { OpName } from './contract.js';
import { type HostPolicy, hostAllowed, isLoopbackHost, isWildcardHost, originAllowed } from './loopback.js';
import { registerFileRoutes, servesFiles } from './http-files.js';
import { type CairnService, invokeOp, OP_NAMES, ops, parseInput, quietContext } from './ops.js';
import { queryToInput } from './query.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { openSseStream } from './sse.js';
import { type MappedError, mapError, refusal } from './transport-errors.js';
import { AuthThrottle, type AuthThrottleOptions } from './auth-throttle.js';

/**
 * The loopback HTTP transport (`cairn serve`): every operation of the registry
 * as `POST /api/<op>` (JSON in, JSON out), or as server-sent events with
 * `Accept: text/event-stream` or `GET /api/events/<op>?...`. A bearer token
 * guards every /api route; the Host header must name this machine; every
 * answer carries the strict CSP and security headers; no CORS.
 */

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface HttpServerOptions {
  /** Default 127.0.0.1. Anything but loopback needs `allowRemote`. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Bearer token; a random one when absent (see `tokenGenerated`). */
  token?: string;
  /** Permit a non-loopback bind (`--allow-remote`). Warned about loudly. */
  allowRemote?: boolean;
  /** Extra Host names to answer (besides loopback names and, with allowRemote, the bind host). */
  allowedHosts?: readonly string[];
  /** Extra Origins to accept (e.g. a renderer dev server), exact `scheme://host:port`. */
  allowedOrigins?: readonly string[];
  /** Largest JSON body, bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** The renderer build to serve at `/`; null for none. */
  staticDir?: string | null;
  /** Loud warnings (remote bind). Default: stderr. */
  warn?: (message: string) => void;
  /** Internal errors, with their stack, for the server's log. Default: stderr. */
  logError?: (error: unknown, where: string) => void;
  /**
   * Per-user tokens (`cairn users token`): a bearer token that is not the
   * server's own is looked up here, and the call runs as that user (their
   * clearance, roles and audit name). The server token acts as the user who
   * started the server.
   */
  users?: UserAuthenticator;
  /**
   * Refuse the server's own token: only per-user tokens are accepted (a
   * shared server where every call must carry a named user's identity).
   */
  usersOnly?: boolean;
  /** Refused-token limits per client address (auth-throttle.ts defaults: 20 a minute, then a minute's lock). */
  throttle?: AuthThrottleOptions;
}

export interface UserAuthenticator {
  /** The service acting as the token's user, or undefined for an unknown token. */
  authenticate(token: string): Promise<CairnService | undefined>;
}

export interface CairnHttpServer {
  app: FastifyInstance;
  /** e.g. http://127.0.0.1:7411 */
  url: string;
  host: string;
  port: number;
  token: string;
  /** True when the token was generated here (print it once). */
  tokenGenerated: boolean;
  close(): Promise<void>;
}

/** Throws unless the bind address is loopback or the caller opted in to remote access. */
export function assertBindAllowed(host: string, allowRemote: boolean): void {
  if (isLoopbackHost(host) || allowRemote) return;
  throw new CairnError(
    'BAD_INPUT',
    `refusing to listen on ${host}: that exposes the API beyond this machine. Use 127.0.0.1 (the default), or pass --allow-remote if you really mean it`,
    { input: host },
  );
}

const wantsEventStream = (req: FastifyRequest): boolean => (req.headers.accept ?? '').includes('text/event-stream');

function send(reply: FastifyReply, m: MappedError): FastifyReply {
  if (m.status === 401) reply.header('www-authenticate', 'Bearer realm="cairn"');
  return reply.code(m.status).header('cache-control', 'no-store').send({ error: m.body });
}

/** Errors raised by Fastify itself before a handler runs (body too large, bad JSON, wrong media type). */
function mapFrameworkError(e: unknown, bodyLimit: number): MappedError | undefined {
  const status = (e as { statusCode?: unknown }).statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500 || e instanceof CairnError) return undefined;
  if (status === 413) return refusal(413, 'TOO_LARGE', `the request body is larger than ${bodyLimit} bytes`);
  if (status === 415) return refusal(415, 'BAD_INPUT', 'send the input as JSON (content-type: application/json)');
  const message = e instanceof Error ? e.message : 'bad request';
  return refusal(400, 'BAD_INPUT', message);
}

export async function createHttpServer(cairn: CairnService, opts: HttpServerOptions = {}): Promise<CairnHttpServer> {
  const host = opts.host ?? '127.0.0.1';
  const allowRemote = opts.allowRemote === true;
  assertBindAllowed(host, allowRemote);
  const warn = opts.warn ?? ((m: string) => process.stderr.write(`${m}\n`));
  const logError = opts.logError ?? ((e: unknown, where: string) => process.stderr.write(`cairn serve: internal error in ${where}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
  const token = opts.token === undefined ? generateToken() : checkTokenStrength(opts.token);
  const bodyLimit = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const remote = !isLoopbackHost(host);
  if (remote) {
    warn(`WARNING: cairn serve is listening on ${host}, reachable from other machines. Anyone with the token can read every source and the audit log. Traffic is not encrypted.`);
  }

  const policy: HostPolicy & { extraOrigins: readonly string[] } = {
    port: 0,
    extraHosts: [...(opts.allowedHosts ?? []), ...(remote && !isWildcardHost(host) ? [host] : [])],
    anyHost: remote && isWildcardHost(host),
    extraOrigins: opts.allowedOrigins ?? [],
  };

  const app = Fastify({ logger: false, bodyLimit, forceCloseConnections: true, return503OnClosing: true, onProtoPoisoning: 'error', onConstructorPoisoning: 'error' });

  const fail = (m: MappedError, where: string): MappedError => {
    if (m.internal) logError(m.cause, where);
    return m;
  };

  // Every response: security headers; every request: a Host naming this machine.
  app.addHook('onRequest', async (req, reply) => {
    reply.headers(SECURITY_HEADERS);
    if (!hostAllowed(req.headers.host, policy)) {
      return send(reply, refusal(403, 'FORBIDDEN', 'this Host is not served here (only loopback names are)'));
    }
    if (!originAllowed(req.headers.origin, policy)) {
      return send(reply, refusal(403, 'FORBIDDEN', 'cross-origin requests are not accepted'));
    }
    return undefined;
  });

  app.setErrorHandler((e, req, reply) => {
    const m = mapFrameworkError(e, bodyLimit) ?? fail(mapError(e), `${req.method} ${req.url.split('?')[0]}`);
    return send(reply, m);
  });

  const staticDir = opts.staticDir === undefined ? null : opts.staticDir;
  const hasStatic = staticDir !== null && existsSync(path.join(staticDir, 'index.html'));

  app.setNotFoundHandler((req, reply) => {
    const p = req.url.split('?')[0] ?? '';
    if (hasStatic && req.method === 'GET' && !p.startsWith('/api') && (req.headers.accept ?? '').includes('text/html')) {
      return reply.sendFile('index.html'); // client-side routes of the single-page app
    }
    return send(reply, refusal(404, 'NOT_FOUND', `no such route: ${req.method} ${p}`));
  });

  const throttle = new AuthThrottle(opts.throttle);
  // Who each authenticated request acts as (set by the token check below).
  const callers = new WeakMap<FastifyRequest, CairnService>();
  const serviceOf = (req: FastifyRequest): CairnService => {
    const s = callers.get(req);
    if (!s) throw new Error('a request reached an API handler without an authenticated caller');
    return s;
  };

  async function stream(cairn: CairnService, name: OpName, raw: unknown, reply: FastifyReply): Promise<FastifyReply> {
    const input = parseInput(name, raw); // bad input: a plain 400, before any event
    reply.hijack();
    const res = reply.raw;
    const events = openSseStream(res, SECURITY_HEADERS);
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    try {
      const out = await invokeOp(cairn, name, input, { signal: abort.signal, emit: (e) => events.send(e.event, e.data) });
      events.send('result', out);
    } catch (e) {
      events.send('error', { error: fail(mapError(e), `stream ${name}`).body });
    } finally {
      events.end();
    }
    return reply;
  }

  // The API: one POST and one GET (events) per operation of the registry, behind the token.
  await app.register(async (api) => {
    api.addHook('onRequest', async (req, reply) => {
      const wait = throttle.retryAfter(req.ip);
      if (wait > 0) return send(reply.header('retry-after', String(wait)), refusal(429, 'RATE_LIMITED', `too many refused tokens from ${req.ip}; try again in ${wait} s`));
      const isEvents = req.method === 'GET';
      const given = bearerToken(req.headers.authorization) ?? (isEvents ? new URLSearchParams(req.url.split('?')[1] ?? '').get('token') ?? undefined : undefined);
      let caller: CairnService | undefined;
      if (given !== undefined) {
        if (tokensEqual(given, token)) {
          if (opts.usersOnly) return send(reply, refusal(401, 'UNAUTHORIZED', 'this server accepts per-user tokens only (started with --users-only): ask an administrator for one (`cairn users token NAME`)'));
          caller = cairn;
        }
        else if (opts.users) {
          try {
            caller = await opts.users.authenticate(given);
          } catch (e) {
            // A token whose user was since removed from users.json: refused with the reason, not a 500.
            const m = mapError(e);
            return send(reply, m.internal ? fail(m, 'authenticate') : refusal(403, 'FORBIDDEN', m.body.message));
          }
        }
      }
      if (caller === undefined) {
        if (given !== undefined) throttle.fail(req.ip);
        return send(reply, refusal(401, 'UNAUTHORIZED', 'a valid API token is required: Authorization: Bearer <token> (printed by `cairn serve`, or issued by `cairn users token`)'));
      }
      callers.set(req, caller);
      reply.header('cache-control', 'no-store');
      return undefined;
    });
    for (const name of OP_NAMES) {
      api.post(`/api/${name}`, async (req, reply) => {
        if (wantsEventStream(req)) return stream(serviceOf(req), name, req.body, reply);
        return reply.code(200).send(await invokeOp(serviceOf(req), name, parseInput(name, req.body), quietContext()));
      });
      api.get(`/api/events/${name}`, async (req, reply) => stream(serviceOf(req), name, queryToInput(ops[name].input, new URLSearchParams(req.url.split('?')[1] ?? '')), reply));
    }
    // Bytes, not JSON: originals for the source viewer, and uploads into the inbox (http-files.ts).
    if (servesFiles(cairn)) await registerFileRoutes(api, (req) => serviceOf(req) as typeof cairn);
  });

  if (hasStatic && staticDir !== null) {
    await app.register(fastifyStatic, { root: path.resolve(staticDir), prefix: '/', index: ['index.html'], dotfiles: 'deny', wildcard: true });
  }

  await app.listen({ host, port: opts.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (opts.port ?? 0);
  policy.port = port;
  const urlHost = isWildcardHost(host) ? '127.0.0.1' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    app,
    url: `http://${urlHost}:${port}`,
    host,
    port,
    token,
    tokenGenerated: opts.token === undefined,
    close: () => app.close(),
  };
}
