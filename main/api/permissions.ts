import { type Role, type RoleHolder, requireRole, hasAnyRole, ROLES } from '../access/roles.js';
import type { OpName } from './contract.js';

/**
 * Who may do what: the one table of roles. Every operation of the contract
 * (a mapped type, so a new operation without an entry is a compile error)
 * and the administrative actions that are not operations (package import,
 * keys, users, re-embedding, audit repair). Cairn checks it on every call, so
 * HTTP, IPC, the CLI and tests are refused alike; CLI commands that work on
 * the data folder without a Cairn instance (package import, keys, users)
 * check it too. README "Roles" shows this table.
 */

export type AdminAction = 'packageImport' | 'keysManage' | 'usersManage' | 'reembed' | 'auditRepair' | 'auditReadAll';
export type Action = OpName | AdminAction;

interface Permission {
  roles: readonly Role[];
  /** For the refusal: "<user> may not <what>". */
  what: string;
}

const ALL: readonly Role[] = ROLES;
/** Loading data changes what everyone reads: analysts and administrators do it, reviewers only inspect. */
const LOADERS: readonly Role[] = ['analyst', 'administrator'];
const ADMIN: readonly Role[] = ['administrator'];
const OVERSIGHT: readonly Role[] = ['reviewer', 'administrator'];

export const PERMISSIONS: { readonly [A in Action]: Permission } = {
  ingest: { roles: LOADERS, what: 'ingest files' },
  search: { roles: ALL, what: 'search' },
  tracks: { roles: ALL, what: 'query tracks' },
  ask: { roles: ALL, what: 'ask questions' },
  sources: { roles: ALL, what: 'list sources' },
  // Everyone may read the audit log, but only their own records unless they also hold auditReadAll.
  auditRecords: { roles: ALL, what: 'read audit records' },
  auditVerify: { roles: ALL, what: 'verify the audit log' },
  feedback: { roles: ALL, what: 'give feedback' },
  // Everyone may list feedback, but only their own unless they also hold auditReadAll.
  feedbackList: { roles: ALL, what: 'read feedback' },
  chunk: { roles: ALL, what: 'open passages' },
  conversations: { roles: ALL, what: 'list conversations' },
  conversation: { roles: ALL, what: 'open a conversation' },
  sourceContent: { roles: ALL, what: 'open originals' },
  // Verifying reads a package and changes nothing; importing it changes what everyone reads.
  // Administrators only: it opens a path on the server's disk, which would let others probe the file system.
  packageVerify: { roles: ADMIN, what: 'verify data packages' },
  packageImport: { roles: ADMIN, what: 'import data packages' },
  // Everyone may export, but only their own answers and records unless they also hold auditReadAll.
  auditExport: { roles: ALL, what: 'export provenance' },
  keysList: { roles: ALL, what: 'list publisher keys' },
  usersList: { roles: ADMIN, what: 'list users' },
  keysManage: { roles: ADMIN, what: 'manage publisher keys' },
  usersManage: { roles: ADMIN, what: 'manage users and their tokens' },
  reembed: { roles: ADMIN, what: 'switch the embedder' },
  auditRepair: { roles: ADMIN, what: 'repair the audit log' },
  auditReadAll: { roles: OVERSIGHT, what: "read other users' audit records" },
};

/** Throws FORBIDDEN, naming the role needed, unless the user may do this. */
export function authorize(user: RoleHolder, action: Action): void {
  const p = PERMISSIONS[action];
  requireRole(user, p.roles, p.what);
}

export function may(user: RoleHolder, action: Action): boolean {
  return hasAnyRole(user, PERMISSIONS[action].roles);
}
