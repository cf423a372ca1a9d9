import { createHash, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import { CairnError } from '../core/errors.js';
import { generateToken } from './auth.js';

/**
 * Per-user HTTP tokens (`cairn users token USER`). The token is shown once;
 * only its sha256 is kept, in DATA/users-tokens.json (mode 0600). A plain
 * hash suffices: tokens are 256 random bits, so there is nothing to
 * brute-force that a slow hash would protect. One token per user: issuing a
 * new one replaces the old; revoking removes it. `cairn serve` re-reads the
 * file when it changes, so a revocation applies to a running server.
 */

export const TOKENS_FILE_MODE = 0o600;

const entrySchema = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), issuedAt: z.string() });
const fileSchema = z.object({ version: z.literal(1), tokens: z.record(z.string().min(1), entrySchema) });
type TokensFile = z.infer<typeof fileSchema>;

export interface TokenInfo {
  user: string;
  issuedAt: string;
}

export function tokensFile(dataDir: string): string {
  return path.join(dataDir, 'users-tokens.json');
}

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

async function readTokens(file: string): Promise<TokensFile> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, tokens: {} };
    throw e;
  }
  try {
    return fileSchema.parse(JSON.parse(raw));
  } catch (e) {
    throw new CairnError('BAD_INPUT', `${file} is not a valid token file (${e instanceof z.ZodError ? (e.issues[0]?.message ?? 'bad shape') : (e as Error).message}); remove it and issue tokens again with \`cairn users token USER\``, { input: file });
  }
}

/** Read-modify-write under a lock, written to a temporary file and renamed so a reader never sees half a file. */
async function updateTokens<T>(dataDir: string, change: (f: TokensFile) => T): Promise<T> {
  const file = tokensFile(dataDir);
  await mkdir(dataDir, { recursive: true });
  const release = await lockfile.lock(dataDir, { lockfilePath: `${file}.lock`, retries: { retries: 20, minTimeout: 20, maxTimeout: 200 }, stale: 10_000 });
  try {
    const f = await readTokens(file);
    const out = change(f);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(f, null, 2)}\n`, { mode: TOKENS_FILE_MODE });
    await chmod(tmp, TOKENS_FILE_MODE); // the umask could have narrowed, never widened, the mode; make it exact
    await rename(tmp, file);
    return out;
  } finally {
    await release();
  }
}

/** A new token for `user`, replacing any earlier one. The token itself is returned once and stored nowhere. */
export async function issueToken(dataDir: string, user: string, now: Date = new Date()): Promise<TokenInfo & { token: string }> {
  const token = generateToken();
  const issuedAt = now.toISOString();
  await updateTokens(dataDir, (f) => {
    f.tokens[user] = { sha256: sha256(token).toString('hex'), issuedAt };
  });
  return { user, token, issuedAt };
}

/** Removes the user's token; false when they had none. */
export async function revokeToken(dataDir: string, user: string): Promise<boolean> {
  return updateTokens(dataDir, (f) => {
    if (!Object.hasOwn(f.tokens, user)) return false;
    delete f.tokens[user];
    return true;
  });
}

export async function listTokens(dataDir: string): Promise<TokenInfo[]> {
  const f = await readTokens(tokensFile(dataDir));
  return Object.entries(f.tokens)
    .map(([user, e]) => ({ user, issuedAt: e.issuedAt }))
    .sort((a, b) => a.user.localeCompare(b.user));
}

/**
 * Finds whose token a bearer token is. Every stored hash is compared, in
 * constant time and without stopping at a match, so timing tells nothing
 * about which user (or whether any) matched.
 */
export class TokenAuthenticator {
  private cached: { key: string; entries: { user: string; hash: Buffer }[] } | null = null;

  constructor(readonly dataDir: string) {}

  private async entries(): Promise<{ user: string; hash: Buffer }[]> {
    const file = tokensFile(this.dataDir);
    let key: string;
    try {
      const s = await stat(file);
      key = `${s.mtimeMs}:${s.size}:${s.ino}`;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    if (this.cached?.key !== key) {
      const f = await readTokens(file);
      this.cached = { key, entries: Object.entries(f.tokens).map(([user, e]) => ({ user, hash: Buffer.from(e.sha256, 'hex') })) };
    }
    return this.cached.entries;
  }

  async userFor(token: string): Promise<string | undefined> {
    const given = sha256(token);
    let found: string | undefined;
    for (const e of await this.entries()) {
      if (timingSafeEqual(given, e.hash) && found === undefined) found = e.user;
    }
    return found;
  }
}
