/** Bids and actors for the domain tests. */
import { createBid, defaultCostShare, type Actor, type Bid, type BidCreate, type LifecycleContext } from '../../domain';
import { testActors } from '../support/actors';

export const ctx: LifecycleContext = { now: '2025-06-01T10:00:00.000Z', costShare: defaultCostShare() };

export const actors = testActors;

export const bidInput: BidCreate = {
  fy: '2025/26',
  title: 'Farm watch cameras',
  leadOrganisation: 'shropshire',
  scope: 'alliance',
  crimeTypes: ['rural'],
  requestedPence: 100_001,
  outcomeMeasures: [{ measure: 'Farms visited', unit: 'visits', target: 120 }],
};

export function newBid(overrides: Partial<BidCreate> = {}, actor: Actor = actors.shropshire): Bid {
  const created = createBid({ ...bidInput, ...overrides }, actor, { ...ctx, id: 'FS-00001' });
  if (!created.ok) throw new Error(created.error.message);
  return created.value.bid;
}
