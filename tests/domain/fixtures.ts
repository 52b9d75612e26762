/** Bids and actors for the domain tests. */
import { createBid, defaultCostShare, type Actor, type Bid, type BidCreate, type LifecycleContext } from '../../domain';

export const ctx: LifecycleContext = { now: '2025-06-01T10:00:00.000Z', costShare: defaultCostShare() };

export const actors = {
  finance: { sub: 'fiona', roles: ['finance'] },
  board: { sub: 'bob', roles: ['board'] },
  admin: { sub: 'ada', roles: ['admin'] },
  westMerciaPcc: { sub: 'pcc-wm', roles: ['pcc'], funder: 'west-mercia' },
  warwickshirePcc: { sub: 'pcc-wa', roles: ['pcc'], funder: 'warwickshire' },
  shropshire: { sub: 'sam', roles: ['submitter'], organisation: 'shropshire' },
  warwickshireSubmitter: { sub: 'will', roles: ['submitter'], organisation: 'warwickshire' },
} satisfies Record<string, Actor>;

export const bidInput: BidCreate = {
  fy: '2025/26',
  title: 'Farm watch cameras',
  leadOrganisation: 'shropshire',
  scope: 'alliance',
  crimeTypes: ['rural'],
  requestedPence: 100_001,
};

export function newBid(overrides: Partial<BidCreate> = {}, actor: Actor = actors.shropshire): Bid {
  const created = createBid({ ...bidInput, ...overrides }, actor, { ...ctx, id: 'FS-00001' });
  if (!created.ok) throw new Error(created.error.message);
  return created.value.bid;
}
