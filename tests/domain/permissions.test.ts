import { authorize, AUTHORIZATION_MATRIX, ROLES, type Actor, type Operation } from '../../domain';
import { actors } from './fixtures';

describe('authorization matrix', () => {
  const operations = Object.keys(AUTHORIZATION_MATRIX) as Operation[];
  const oneRole = (role: (typeof ROLES)[number]): Actor => ({
    sub: role,
    roles: [role],
    ...(role === 'pcc' ? { funder: 'west-mercia' as const } : {}),
    ...(role === 'submitter' ? { organisation: 'shropshire' as const } : {}),
  });

  test.each(operations.flatMap((op) => ROLES.map((role) => [op, role] as const)))('%s by %s', (operation, role) => {
    const result = authorize(oneRole(role), operation, { leadOrganisation: 'shropshire', scope: 'alliance' });
    expect(result.ok).toBe(AUTHORIZATION_MATRIX[operation].includes(role));
  });

  test('every role may read; an actor holding no role may do nothing, reading included', () => {
    expect([...AUTHORIZATION_MATRIX.read].sort()).toEqual([...ROLES].sort());
    for (const role of ROLES) expect(authorize(oneRole(role), 'read')).toEqual({ ok: true, value: role });
    const roleless: Actor = { sub: 'nobody', roles: [] };
    for (const operation of operations) expect(authorize(roleless, operation)).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
  });

  test('bindings narrow a role', () => {
    expect(authorize(actors.shropshire, 'edit-bid', { leadOrganisation: 'herefordshire' })).toMatchObject({
      ok: false,
      error: { kind: 'forbidden' },
    });
    expect(authorize(actors.warwickshirePcc, 'approve', { scope: 'west-mercia' })).toMatchObject({
      ok: false,
      error: { kind: 'forbidden-funder' },
    });
    expect(authorize(actors.warwickshirePcc, 'approve', { scope: 'warwickshire' })).toEqual({ ok: true, value: 'pcc' });
  });

  test('with several roles, the one that fits is used', () => {
    const both: Actor = { sub: 'x', roles: ['submitter', 'finance'], organisation: 'herefordshire' };
    expect(authorize(both, 'edit-bid', { leadOrganisation: 'shropshire' })).toEqual({ ok: true, value: 'finance' });
    expect(authorize(both, 'edit-bid', { leadOrganisation: 'herefordshire' })).toEqual({ ok: true, value: 'submitter' });
  });
});
