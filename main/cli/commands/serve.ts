import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CairnHttpServer, createHttpServer } from '../../api/http.js';
import { SHUTDOWN_IDLE_MS } from '../../api/cairn.js';
import { listTokens, TokenAuthenticator } from '../../api/user-tokens.js';
import { CairnError } from '../../core/errors.js';
import type { CliContext } from '../index.js';
import { shutdownCheckpoint } from './audit.js';

/** `cairn serve`: the API (and the renderer, when built) over loopback HTTP. */

export const DEFAULT_PORT = 7411;

export interface ServeOptions {
  port: number;
  host: string;
  token?: string;
  allowRemote?: boolean;
  usersOnly?: boolean;
  static?: string;
  json?: boolean;
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new CairnError('BAD_INPUT', `--port needs a number from 0 to 65535, got ${JSON.stringify(v)}`, { input: v });
  return n;
}

/** renderer/dist of this installation (source or compiled tree), when it has been built. */
export function defaultRendererDir(from: string = path.dirname(fileURLToPath(import.meta.url))): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) {
      const candidate = path.join(dir, 'renderer', 'dist');
      return existsSync(path.join(candidate, 'index.html')) ? candidate : null;
    }
    if (path.dirname(dir) === dir) return null;
  }
}

/** Starts the server and prints where it is, once. Returns it still running. */
export async function startServe(ctx: CliContext, o: ServeOptions): Promise<CairnHttpServer> {
  const token = o.token ?? (process.env.CAIRN_TOKEN || undefined);
  const staticDir = o.static !== undefined ? path.resolve(o.static) : defaultRendererDir();
  // Interactive callers get ingest back once sources are searchable; the corpus model retrains behind it.
  const cairn = await ctx.open({ trainInBackground: true });
  // Per-user tokens (`cairn users token`) run each call as that user; the server token as whoever started the server.
  const userTokens = new TokenAuthenticator(ctx.dataDir());
  const users = {
    authenticate: async (t: string) => {
      const name = await userTokens.userFor(t);
      return name === undefined ? undefined : cairn.forUser(name);
    },
  };
  const issued = (await listTokens(ctx.dataDir())).length;
  if (o.usersOnly && issued === 0) {
    throw new CairnError('BAD_INPUT', '--users-only needs at least one per-user token, and none is issued: run `cairn users token NAME` first', { input: ctx.dataDir() });
  }
  const server = await createHttpServer(cairn, {
    users,
    host: o.host,
    port: o.port,
    token,
    allowRemote: o.allowRemote === true,
    usersOnly: o.usersOnly === true,
    staticDir,
    warn: (m) => ctx.io.err(`cairn serve: ${m}`),
  });
  // The token goes in the fragment: browsers never send it to any server.
  const open = `${server.url}/#token=${encodeURIComponent(server.token)}`;
  if (o.json) {
    ctx.json({ url: server.url, host: server.host, port: server.port, token: server.token, actor: cairn.actor, userTokens: issued, open, renderer: staticDir });
  } else {
    if (o.usersOnly) {
      ctx.io.out(`Cairn API on ${server.url}  (data: ${ctx.dataDir()}; per-user tokens only)`);
    } else {
      ctx.io.out(`Cairn API on ${server.url}  (data: ${ctx.dataDir()}; the token below acts as ${cairn.actor})`);
      ctx.io.out(`token: ${server.token}${server.tokenGenerated ? '  (generated for this run; shown once)' : ''}`);
    }
    if (issued > 0) ctx.io.out(`also accepting the per-user tokens of ${issued} user${issued === 1 ? '' : 's'} (cairn users list)`);
    ctx.io.out(staticDir ? `open: ${open}` : 'no renderer build found (renderer/dist): API only');
    ctx.io.out('Ctrl+C stops the server.');
  }
  // Stopping gives background upkeep and training a few seconds to finish (a cut-off run loses nothing written).
  return {
    ...server,
    close: async () => {
      await server.close();
      await cairn.idle({ maxWaitMs: SHUTDOWN_IDLE_MS });
    },
  };
}

/** Resolves on SIGINT or SIGTERM. */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('serve the API (and the UI, when built) on loopback HTTP, guarded by a bearer token')
    .option('--port <n>', `port (0: any free port)`, parsePort, DEFAULT_PORT)
    .option('--host <host>', 'address to bind; only loopback unless --allow-remote', '127.0.0.1')
    .option('--token <token>', 'bearer token, 16+ characters (default: $CAIRN_TOKEN, else random, printed once)')
    .option('--users-only', 'accept per-user tokens only (cairn users token); no server token acting as the user who started it')
    .option('--allow-remote', 'allow binding a non-loopback address (exposes the API to the network)')
    .option('--static <dir>', 'renderer build to serve at / (default: renderer/dist when built)')
    .option('--json', 'print {url, host, port, token, actor, userTokens, open, renderer} as JSON')
    .action(async (o: ServeOptions) => {
      const server = await startServe(ctx, o);
      await untilStopped();
      await server.close();
      // Sign what this session appended, so its records are covered by a checkpoint.
      await shutdownCheckpoint(ctx.dataDir(), (m) => ctx.io.err(`cairn serve: ${m}`));
    });
}
