import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { textTable } from '../text-table.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';
import { describeGrant, parsePersonRole, personRoles, type Person } from '../../domain/people.js';
import { addPersonRole, type PeopleFailure } from '../../app/add-person-role.js';
import { removePersonRole } from '../../app/remove-person-role.js';
import { listPeople } from '../../store/people.js';

function fail(f: PeopleFailure): never {
  throw new CostbridgeError(f.code, f.message);
}

function personJson(p: Person) {
  return { id: p.id, name: p.name, email: p.email, slackUserId: p.slackUserId, teamsAadId: p.teamsAadId, roles: p.roles };
}

function nonEmpty(text: string | undefined, flag: string): string | undefined {
  if (text === undefined) return undefined;
  if (text.trim() === '') throw new CostbridgeError('INPUT_INVALID', `${flag} is empty`);
  return text.trim();
}

/** `costbridge people add|list|remove`: who is finops, itfm, owner or admin, by chat id or email. */
export function registerPeople(program: Command, ctx: CliContext): void {
  const people = program.command('people').description('people and their roles (finops, itfm, owner, admin), mapped by chat user id or email');
  people
    .command('add')
    .description('add a person (or update their identities) and grant a role; once anyone is admin, only admins may do this')
    .argument('<user>', 'person id (e.g. an email), or any identity of a known person')
    .requiredOption('--role <role>', `one of ${personRoles.join(', ')}`)
    .option('--cost-center <code>', 'limit the role to this cost center and its descendants')
    .option('--email <email>', 'email address')
    .option('--slack-id <id>', 'Slack user id (U...)')
    .option('--teams-id <id>', 'Microsoft Teams (Entra ID / AAD) object id')
    .option('--name <name>', 'display name')
    .option('--as <user>', 'who makes the change')
    .option('--json', 'print JSON on stdout')
    .action(async (user: string, o: { role: string; costCenter?: string; email?: string; slackId?: string; teamsId?: string; name?: string; as?: string; json?: boolean }) => {
      const email = nonEmpty(o.email, '--email');
      if (email !== undefined && !/^[^@\s]+@[^@\s]+$/.test(email)) throw new CostbridgeError('INPUT_INVALID', `--email must be an email address, got ${JSON.stringify(o.email)}`);
      const r = await addPersonRole(await ctx.store(), {
        user,
        role: parsePersonRole(o.role),
        ...(o.costCenter !== undefined ? { costCenter: nonEmpty(o.costCenter, '--cost-center')! } : {}),
        ...(email !== undefined ? { email } : {}),
        ...(o.slackId !== undefined ? { slackUserId: nonEmpty(o.slackId, '--slack-id')! } : {}),
        ...(o.teamsId !== undefined ? { teamsAadId: nonEmpty(o.teamsId, '--teams-id')! } : {}),
        ...(o.name !== undefined ? { name: nonEmpty(o.name, '--name')! } : {}),
        actor: await ctx.actor(o.as, { unchecked: true }),
        surface: 'cli',
      });
      if (!r.ok) fail(r);
      if (o.json) {
        ctx.io.out(JSON.stringify({ ok: true, created: r.created, granted: r.granted, person: personJson(r.person) }));
        return;
      }
      const what = r.granted ? `now holds ${o.role.trim().toLowerCase()}${o.costCenter ? ` for ${o.costCenter.trim()}` : ''}` : `already held ${o.role.trim().toLowerCase()}${o.costCenter ? ` for ${o.costCenter.trim()}` : ''}`;
      ctx.io.out(`${r.person.id} ${r.created ? '(new) ' : ''}${what}; roles: ${r.person.roles.map(describeGrant).join(', ')}`);
    });
  people
    .command('remove')
    .description('remove a role from a person (every cost center scope of it unless --cost-center is given)')
    .argument('<user>', 'person id or any identity of theirs')
    .requiredOption('--role <role>', `one of ${personRoles.join(', ')}`)
    .option('--cost-center <code>', 'remove only the role scoped to this cost center')
    .option('--as <user>', 'who makes the change')
    .option('--json', 'print JSON on stdout')
    .action(async (user: string, o: { role: string; costCenter?: string; as?: string; json?: boolean }) => {
      const r = await removePersonRole(await ctx.store(), {
        user,
        role: parsePersonRole(o.role),
        ...(o.costCenter !== undefined ? { costCenter: o.costCenter } : {}),
        actor: await ctx.actor(o.as, { unchecked: true }),
        surface: 'cli',
      });
      if (!r.ok) fail(r);
      if (o.json) ctx.io.out(JSON.stringify({ ok: true, removed: r.removed, person: personJson(r.person) }));
      else ctx.io.out(`${r.person.id}: removed ${r.removed} grant(s) of ${o.role.trim().toLowerCase()}; roles now: ${r.person.roles.map(describeGrant).join(', ') || 'none'}`);
    });
  people
    .command('list')
    .description('everyone with their identities and roles')
    .option('--json', 'print JSON on stdout')
    .action(async (o: { json?: boolean }) => {
      const list = await listPeople((await ctx.store()).db);
      if (o.json) {
        ctx.io.out(JSON.stringify({ people: list.map(personJson) }));
        return;
      }
      if (list.length === 0) {
        ctx.io.out('Nobody yet. Add people with: costbridge people add USER --role finops|itfm|owner|admin');
        return;
      }
      ctx.io.out(
        textTable(
          ['id', 'name', 'email', 'slack id', 'teams id', 'roles'],
          list.map((p) => [p.id, p.name ?? '', p.email ?? '', p.slackUserId ?? '', p.teamsAadId ?? '', p.roles.map(describeGrant).join(', ') || '(none)']),
        ),
      );
    });
}
