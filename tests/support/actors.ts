/** The people of the tests: one per role and binding. Shared by the pure domain tests and the API tests. */
import type { Actor } from '../../domain';

export const testActors = {
  finance: { sub: 'fiona', roles: ['finance'] },
  board: { sub: 'bob', roles: ['board'] },
  admin: { sub: 'ada', roles: ['admin'] },
  westMerciaPcc: { sub: 'pcc-wm', roles: ['pcc'], funder: 'west-mercia' },
  warwickshirePcc: { sub: 'pcc-wa', roles: ['pcc'], funder: 'warwickshire' },
  shropshire: { sub: 'sam', roles: ['submitter'], organisation: 'shropshire' },
  herefordshire: { sub: 'hal', roles: ['submitter'], organisation: 'herefordshire' },
  warwickshireSubmitter: { sub: 'will', roles: ['submitter'], organisation: 'warwickshire' },
} satisfies Record<string, Actor>;

export type TestActorName = keyof typeof testActors;
