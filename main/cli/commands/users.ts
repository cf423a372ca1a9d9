/**
 * `cairn users list|token|revoke-token`: who may use this installation and
 * their HTTP tokens (main/api/user-tokens.ts). Users, clearances and roles are
 * written by an administrator in DATA/users.json; tokens are issued here,
 * shown once and stored only as a hash. Administrators only; every change is
 * audited (the token itself never is).
 */
import type { Command } from 'commander';
import { loadPolicy } from '../../access/index.js';
import { loadUser, readUsersFile, usersFile } from '../../access/users.js';
import { issueToken, listTokens, revokeToken, tokensFile } from '../../api/user-tokens.js';
import { AuditLog } from '../../audit/index.js';
import { CairnError } from '../../core/errors.js';
import type { CliContext } from '../index.js';
import { requireLocalRole } from './authorize.js';

export function register(program: Command, ctx: CliContext): void {
  const users = program.command('users').description('users, roles and clearances (DATA/users.json) and their HTTP tokens; administrators only');

  users
    .command('list')
    .description('the users of users.json with clearance, roles and whether they hold an HTTP token')
    .option('--json', 'print {usersFile, users: [{name, clearance, compartments, nationality, roles, token: {issuedAt} | null}]}')
    .action(async (o: { json?: boolean }) => {
      await requireLocalRole(ctx, 'usersManage');
      const dataDir = ctx.dataDir();
      const [entries, tokens] = await Promise.all([readUsersFile(dataDir), listTokens(dataDir)]);
      const tokenOf = new Map(tokens.map((t) => [t.user, t]));
      const names = [...new Set([...Object.keys(entries ?? {}), ...tokens.map((t) => t.user)])].sort();
      const rows = names.map((name) => {
        const e = entries && Object.hasOwn(entries, name) ? entries[name] : undefined;
        const t = tokenOf.get(name);
        return { name, listed: entries === null || e !== undefined, clearance: e?.clearance ?? null, compartments: e?.compartments ?? [], nationality: e?.nationality ?? null, roles: e?.roles ?? (entries === null ? ['analyst', 'administrator', 'reviewer'] : []), token: t ? { issuedAt: t.issuedAt } : null };
      });
      if (o.json) {
        ctx.json({ usersFile: entries === null ? null : usersFile(dataDir), users: rows });
        return;
      }
      const lines = [entries === null ? `no ${usersFile(dataDir)}: a single-user workstation, every user reads everything and holds every role` : `users of ${usersFile(dataDir)}:`];
      for (const r of rows) {
        const clearance = r.clearance ? [r.clearance, ...(r.compartments.length ? [r.compartments.join('/')] : [])].join('//') + (r.nationality ? ` (${r.nationality})` : '') : '-';
        lines.push(`  ${r.name.padEnd(20)} ${clearance.padEnd(28)} ${r.roles.join(',').padEnd(30)} ${r.token ? `token since ${r.token.issuedAt}` : 'no token'}${r.listed ? '' : '  (NOT LISTED: the token is refused)'}`);
      }
      ctx.io.out(lines.join('\n'));
    });

  users
    .command('token')
    .description('issue an HTTP token for USER (replaces their old one); printed once, only its hash is kept')
    .argument('<user>', 'a user of users.json')
    .option('--json', 'print {user, token, issuedAt}')
    .action(async (user: string, o: { json?: boolean }) => {
      const admin = await requireLocalRole(ctx, 'usersManage');
      const dataDir = ctx.dataDir();
      if (user.trim() === '' || /\s/.test(user)) throw new CairnError('BAD_INPUT', `not a user name: ${JSON.stringify(user)}`, { input: user });
      // A token names a listed user: without users.json every user would be unrestricted, and the server's own token already serves that case.
      if ((await readUsersFile(dataDir)) === null) throw new CairnError('BAD_INPUT', `per-user tokens need ${usersFile(dataDir)} listing ${user} with a clearance and roles; without it, use the token \`cairn serve\` prints`, { input: usersFile(dataDir) });
      await loadUser(dataDir, user, await loadPolicy()); // listed, with a valid clearance
      const t = await issueToken(dataDir, user);
      await (await AuditLog.open(dataDir)).append(admin.name, 'users.token', { user, issuedAt: t.issuedAt });
      if (o.json) ctx.json(t);
      else ctx.io.out([`token for ${user} (shown once; store it safely, Cairn keeps only its hash in ${tokensFile(dataDir)}):`, t.token, `use it as: Authorization: Bearer <token> against \`cairn serve\``].join('\n'));
    });

  users
    .command('revoke-token')
    .description("revoke USER's HTTP token; a running server refuses it from the next request")
    .argument('<user>')
    .option('--json', 'print {user, revoked}')
    .action(async (user: string, o: { json?: boolean }) => {
      const admin = await requireLocalRole(ctx, 'usersManage');
      const dataDir = ctx.dataDir();
      const revoked = await revokeToken(dataDir, user);
      if (revoked) await (await AuditLog.open(dataDir)).append(admin.name, 'users.revoke-token', { user });
      if (o.json) ctx.json({ user, revoked });
      else ctx.io.out(revoked ? `revoked the token of ${user}` : `${user} has no token; nothing to revoke`);
    });
}
