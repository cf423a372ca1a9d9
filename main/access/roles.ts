import { CairnError } from '../core/errors.js';

/**
 * The three roles of users.json. What each may do is one table,
 * main/api/permissions.ts; this module only knows the names and how to
 * refuse.
 */
export const ROLES = ['analyst', 'administrator', 'reviewer'] as const;
export type Role = (typeof ROLES)[number];

export interface RoleHolder {
  name: string;
  roles: readonly string[];
}

export function hasAnyRole(user: RoleHolder, allowed: readonly Role[]): boolean {
  return allowed.some((r) => user.roles.includes(r));
}

function listRoles(roles: readonly string[]): string {
  if (roles.length === 0) return 'no role';
  if (roles.length === 1) return `the ${roles[0]} role`;
  return `the ${roles.slice(0, -1).join(', ')} or ${roles[roles.length - 1]} role`;
}

/** Throws FORBIDDEN naming the role needed unless the user holds one of `allowed`. */
export function requireRole(user: RoleHolder, allowed: readonly Role[], what: string): void {
  if (hasAnyRole(user, allowed)) return;
  throw new CairnError(
    'FORBIDDEN',
    `${user.name} may not ${what}: that needs ${listRoles(allowed)} (${user.name} has ${user.roles.length ? user.roles.join(', ') : 'none'}); an administrator grants roles in users.json`,
    { input: user.name },
  );
}
