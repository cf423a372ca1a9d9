/**
 * Role checks for CLI commands that work on the data folder without a Cairn
 * instance (package import, keys, users): the same table (api/permissions.ts)
 * and the same user ($CAIRN_USER, else the login name) as Cairn.open.
 */
import { loadPolicy } from '../../access/index.js';
import { loadUser, type UserProfile } from '../../access/users.js';
import { type Action, authorize } from '../../api/permissions.js';
import { defaultActor } from '../../packages/index.js';
import type { CliContext } from '../index.js';

/** The local user, after checking they may do `action` (FORBIDDEN otherwise). */
export async function requireLocalRole(ctx: CliContext, action: Action): Promise<UserProfile> {
  const user = await loadUser(ctx.dataDir(), defaultActor(), await loadPolicy());
  authorize(user, action);
  return user;
}
