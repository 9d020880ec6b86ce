import { describe, expect, it } from 'vitest';
import { authorizationPolicy, mayDo, type PolicyAction } from '../../src/app/authorization-policy.js';
import { describeRequirement, refusalText } from '../../src/domain/authorization.js';
import type { Person, RoleGrant } from '../../src/domain/people.js';

// The authorization table, row by row, on a small hierarchy: CORP > CC-100 > CC-110, and CC-200.
const chains: Record<string, string[]> = {
  'CC-110': ['CC-110', 'CC-100', 'CORP'],
  'CC-100': ['CC-100', 'CORP'],
  'CC-200': ['CC-200', 'CORP'],
};
const person = (id: string, ...roles: RoleGrant[]): Person => ({ id, name: null, email: null, slackUserId: null, teamsAadId: null, roles });
const owner = (cc: string) => ({ role: 'owner' as const, costCenter: cc });
const global = (role: RoleGrant['role']) => ({ role, costCenter: null });

const people = {
  ownerOf110: person('o110', owner('CC-110')),
  ownerOf100: person('o100', owner('CC-100')),
  ownerOf200: person('o200', owner('CC-200')),
  finops: person('fin', global('finops')),
  itfm: person('it', global('itfm')),
  itfmOf200: person('it200', { role: 'itfm', costCenter: 'CC-200' }),
  admin: person('root', global('admin')),
  nobody: person('x'),
};

/** Who may do `action` on a subject of cost center `cc` (or none). */
function allowed(action: PolicyAction, cc?: string): string[] {
  return Object.values(people).filter((p) => mayDo(p, action, cc ? chains[cc]! : [])).map((p) => p.id);
}

describe('the authorization policy', () => {
  it('claim for X: an owner of X or of a cost center above it, finops, admin', () => {
    expect(allowed('claim', 'CC-110')).toEqual(['o110', 'o100', 'fin', 'root']);
    expect(allowed('claim', 'CC-200')).toEqual(['o200', 'fin', 'root']);
  });

  it('scope future for X: finops, admin, or an owner of X itself (not of a cost center above it)', () => {
    expect(allowed('claim-future', 'CC-110')).toEqual(['o110', 'fin', 'root']);
    expect(allowed('claim-future', 'CC-100')).toEqual(['o100', 'fin', 'root']);
  });

  it('dismiss: finops, admin; classify: finops, itfm, admin', () => {
    expect(allowed('dismiss')).toEqual(['fin', 'root']);
    expect(allowed('classify')).toEqual(['fin', 'it', 'it200', 'root']);
  });

  it("explain X's variance: an owner of X, finops, itfm (itfm scoped elsewhere does not count)", () => {
    expect(allowed('explain-variance', 'CC-110')).toEqual(['o110', 'fin', 'it']);
    expect(allowed('explain-variance', 'CC-200')).toEqual(['o200', 'fin', 'it', 'it200']);
  });

  it('savings as before: propose by finops or an owner; sign off and reverse by itfm of it or above; people by admins', () => {
    expect(allowed('propose-saving', 'CC-110')).toEqual(['o110', 'o100', 'fin']);
    expect(allowed('sign-off-saving', 'CC-110')).toEqual(['it']);
    expect(allowed('sign-off-saving', 'CC-200')).toEqual(['it', 'it200']);
    expect(allowed('reverse-saving', 'CC-200')).toEqual(['it', 'it200']);
    expect(allowed('manage-people')).toEqual(['root']);
  });

  it('refusals say what is needed, what the person holds and who holds it', () => {
    const rule = authorizationPolicy['claim-future'];
    expect(describeRequirement(rule, 'CC-110')).toBe('finops, admin or owner of CC-110');
    expect(refusalText(rule, 'CC-110', people.ownerOf100, [{ id: 'o110', grants: ['owner for CC-110'] }, { id: 'fin', grants: ['finops'] }])).toBe(
      'o100 may not claim all future matching spend for CC-110: it needs finops, admin or owner of CC-110; o100 holds owner for CC-100; held by o110 (owner for CC-110), fin (finops)',
    );
    expect(refusalText(authorizationPolicy.dismiss, undefined, people.nobody, [])).toBe(
      'x may not dismiss unattributed spend: it needs finops or admin; x holds no role; nobody holds it yet (an admin grants roles with costbridge people add)',
    );
  });
});
