import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { cli } from '../support/run-cli.js';
import type { Store } from '../../src/store/database.js';
import { resolvePerson } from '../../src/store/people.js';
import { setUpOrganisation, setupAdmin } from './savings-setup.js';

describe.each(storeKinds)('people and roles on %s', (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  const auditActions = async (id: string) =>
    (await sql<{ action: string; actor: string }>`SELECT action, actor FROM audit_log WHERE subject_type = 'person' AND subject_id = ${id} AND outcome = 'recorded' ORDER BY id`.execute(store.db)).rows;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    store = await tdb.shared();
    await setUpOrganisation(tdb);
  });
  afterAll(async () => {
    await tdb.drop();
  });

  it('adds a person with chat identities, and resolvePerson finds them by any of them', async () => {
    const run = await cli(tdb, 'people', 'add', 'maria', '--role', 'itfm', '--cost-center', 'ENG', '--email', 'Maria@Example.com', '--slack-id', 'U123', '--teams-id', 'aad-0001', '--name', 'Maria K', '--as', setupAdmin, '--json');
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      ok: true, created: true, granted: true,
      person: { id: 'maria', name: 'Maria K', email: 'Maria@Example.com', slackUserId: 'U123', teamsAadId: 'aad-0001', roles: [{ role: 'itfm', costCenter: 'ENG' }] },
    });
    for (const key of [{ id: 'maria' }, { email: 'maria@example.com' }, { slackUserId: 'U123' }, { teamsAadId: 'aad-0001' }]) {
      expect((await resolvePerson(store, key))?.id).toBe('maria');
    }
    expect(await resolvePerson(store, { slackUserId: 'U999' })).toBeUndefined();
    // A second role, addressed by another identity, lands on the same person.
    const again = await cli(tdb, 'people', 'add', 'U123', '--role', 'owner', '--cost-center', 'PLAT', '--as', setupAdmin);
    expect(again.stdout).toContain('maria now holds owner for PLAT; roles: itfm for ENG, owner for PLAT');
    const same = await cli(tdb, 'people', 'add', 'maria', '--role', 'owner', '--cost-center', 'PLAT', '--as', setupAdmin);
    expect(same.stdout).toContain('maria already held owner for PLAT');
    expect((await auditActions('maria')).map((a) => a.action)).toEqual(['person.grant-role', 'person.grant-role']);
    const list = JSON.parse((await cli(tdb, 'people', 'list', '--json')).stdout);
    expect(list.people.find((p: { id: string }) => p.id === 'maria').roles).toEqual([
      { role: 'itfm', costCenter: 'ENG' },
      { role: 'owner', costCenter: 'PLAT' },
    ]);
    expect((await cli(tdb, 'people', 'list')).stdout).toMatch(/maria\s+Maria K\s+Maria@Example.com\s+U123\s+aad-0001\s+itfm for ENG, owner for PLAT/);
  });

  it('refuses an identity that belongs to someone else, an unknown role or cost center', async () => {
    const taken = await cli(tdb, 'people', 'add', 'otto', '--role', 'finops', '--slack-id', 'U123', '--as', setupAdmin);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('cannot save otto: Slack user id "U123" already belongs to maria');
    expect(await resolvePerson(store, { id: 'otto' })).toBeUndefined();
    const role = await cli(tdb, 'people', 'add', 'otto', '--role', 'boss');
    expect(role.stderr).toContain('--role must be one of finops, itfm, owner, admin, got "boss"');
    const cc = await cli(tdb, 'people', 'add', 'otto', '--role', 'itfm', '--cost-center', 'NOPE', '--as', setupAdmin);
    expect(cc.stderr).toContain('unknown cost center "NOPE"');
  });

  it('removes roles; only admins change people (refusals name who is admin, audited), and the last admin stays', async () => {
    expect((await cli(tdb, 'people', 'remove', 'maria', '--role', 'owner', '--as', setupAdmin)).stdout).toContain('roles now: itfm for ENG');
    const none = await cli(tdb, 'people', 'remove', 'maria', '--role', 'finops', '--as', setupAdmin);
    expect(none.stderr).toContain('maria does not hold finops');
    expect((await cli(tdb, 'people', 'add', 'root@example.com', '--role', 'admin', '--as', setupAdmin)).code).toBe(0);
    const denied = await cli(tdb, 'people', 'add', 'eve@example.com', '--role', 'itfm', '--as', 'fin@example.com');
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('fin@example.com may not change people and roles: it needs admin; fin@example.com holds finops; held by root@example.com (admin), setup@example.com (admin)');
    const ghost = await cli(tdb, 'people', 'add', 'eve@example.com', '--role', 'itfm', '--as', 'ghost-not-a-person');
    expect(ghost.code).toBe(1);
    expect(ghost.stderr).toContain('"ghost-not-a-person" is not a known person');
    expect(ghost.stderr).toContain('ask an admin (root@example.com, setup@example.com)');
    const refused = await sql<{ actor: string; outcome: string }>`SELECT actor, outcome FROM audit_log WHERE action = 'person.change' ORDER BY id`.execute(store.db);
    expect(refused.rows).toEqual([
      { actor: 'fin@example.com', outcome: 'refused' },
      { actor: 'ghost-not-a-person', outcome: 'refused' },
    ]);
    expect(await resolvePerson(store, { id: 'eve@example.com' })).toBeUndefined();
    expect((await cli(tdb, 'people', 'add', 'eve@example.com', '--role', 'itfm', '--as', 'root@example.com')).code).toBe(0);
    expect((await cli(tdb, 'people', 'remove', setupAdmin, '--role', 'admin', '--as', 'root@example.com')).code).toBe(0);
    const last = await cli(tdb, 'people', 'remove', 'root@example.com', '--role', 'admin', '--as', 'root@example.com');
    expect(last.stderr).toContain('cannot remove the last admin');
    expect((await auditActions('eve@example.com'))).toEqual([{ action: 'person.grant-role', actor: 'root@example.com' }]);
    expect((await auditActions('maria')).map((a) => a.action)).toEqual(['person.grant-role', 'person.grant-role', 'person.revoke-role']);
  });

  it('a fresh database takes only its first admin, from anyone; everything else waits for that admin', async () => {
    const fresh = await createTestDatabase(kind);
    try {
      const early = await cli(fresh, 'people', 'add', 'x@example.com', '--role', 'itfm', '--as', 'x@example.com');
      expect(early.code).toBe(1);
      expect(early.stderr).toContain('nobody is admin yet, so people cannot be changed: make the first admin with npx costbridge people add YOUR-EMAIL --role admin --as YOUR-EMAIL');
      const first = await cli(fresh, 'people', 'add', 'me@example.com', '--role', 'admin', '--as', 'me@example.com');
      expect(first.code).toBe(0);
      expect((await cli(fresh, 'people', 'add', 'x@example.com', '--role', 'itfm', '--as', 'x@example.com')).stderr).toContain('"x@example.com" is not a known person');
      expect((await cli(fresh, 'people', 'add', 'x@example.com', '--role', 'itfm', '--as', 'me@example.com')).code).toBe(0);
    } finally {
      await fresh.drop();
    }
  });

  it('a removed itfm role stops approvals at once', async () => {
    const p = JSON.parse((await cli(tdb, 'savings', 'propose', '--title', 'x', '--lever', 'cleanup', '--type', 'reduction', '--cost-center', 'PLAT', '--effective', '2026-05-01', '--estimate', '10', '--as', 'fin@example.com', '--json')).stdout);
    expect((await cli(tdb, 'people', 'remove', 'itb@example.com', '--role', 'itfm', '--as', 'root@example.com')).code).toBe(0);
    const r = await cli(tdb, 'savings', 'validate', p.saving.id, '--amount', '5', '--as', 'itb@example.com');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('itb@example.com may not sign off a saving of PLAT: it needs itfm; itb@example.com holds no role; held by');
    expect(r.stderr).toContain('code: FORBIDDEN');
  });
});
