import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { CairnError } from '../core/errors.js';

/** Shortest token `--token` accepts: a guessable token is no protection. */
export const MIN_TOKEN_LENGTH = 16;

/** 256 random bits, URL-safe. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

export function checkTokenStrength(token: string): string {
  if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
    throw new CairnError('BAD_INPUT', `the API token must be at least ${MIN_TOKEN_LENGTH} characters with no spaces; leave it out to get a random one`, { input: '--token' });
  }
  return token;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time comparison: both sides are hashed to equal length first, so neither length nor content leaks through timing. */
export function tokensEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The token of an `Authorization: Bearer <token>` header, if that is what it is. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header ?? '');
  return m?.[1];
}
