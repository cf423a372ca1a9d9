import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CairnError } from '../core/errors.js';
import { canAccess, type UserAccess, userAccess } from './clearance.js';
import { parseMarking } from './parse.js';
import type { MarkingPolicy } from './policy.js';

/**
 * Users and their clearances, from DATA/users.json, written by an
 * administrator. Without the file Cairn is a single-user workstation and the
 * local user may read everything loaded on it; with it, every user must be
 * listed and reads only what their clearance covers.
 */
const usersFileSchema = z.object({
  users: z.record(
    z.string().min(1),
    z.object({
      clearance: z.string().min(1),
      compartments: z.array(z.string()).default([]),
      nationality: z.string().optional(),
      roles: z.array(z.enum(['analyst', 'administrator', 'reviewer'])).default(['analyst']),
    }),
  ),
});

export interface UserProfile {
  name: string;
  /** Null: no users file, so no restriction (single-user workstation). */
  access: UserAccess | null;
  roles: string[];
}

export function usersFile(dataDir: string): string {
  return path.join(dataDir, 'users.json');
}

export type UserEntry = z.infer<typeof usersFileSchema>['users'][string];

/** The users of DATA/users.json, or null when there is no such file (a single-user workstation). */
export async function readUsersFile(dataDir: string): Promise<Record<string, UserEntry> | null> {
  const file = usersFile(dataDir);
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    return usersFileSchema.parse(JSON.parse(raw)).users;
  } catch (e) {
    throw new CairnError('BAD_INPUT', `${file} is not a valid users file: ${e instanceof z.ZodError ? e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : (e as Error).message}`, { input: file });
  }
}

export async function loadUser(dataDir: string, name: string, policy: MarkingPolicy): Promise<UserProfile> {
  const file = usersFile(dataDir);
  const users = await readUsersFile(dataDir);
  if (users === null) return { name, access: null, roles: ['analyst', 'administrator', 'reviewer'] };
  const entry = Object.hasOwn(users, name) ? users[name] : undefined;
  if (!entry) throw new CairnError('BAD_INPUT', `user ${JSON.stringify(name)} is not listed in ${file}; ask an administrator to add them (or set CAIRN_USER)`, { input: name });
  return { name, access: userAccess(entry, policy), roles: entry.roles };
}

/** Which of these marking strings the user may read (all, without a users file). */
export function readableMarkings(user: UserProfile, markings: Iterable<string>, policy: MarkingPolicy): Set<string> {
  const out = new Set<string>();
  for (const m of markings) {
    if (!user.access) out.add(m);
    else {
      try {
        if (canAccess(user.access, parseMarking(m, policy))) out.add(m);
      } catch {
        // An unparsable stored marking is never readable by a restricted user.
      }
    }
  }
  return out;
}
