/** Bids for add-in tests, valid against the domain's bid schema. */
import { bidSchema, splitAmount, defaultCostShare, type Bid, type Scope } from '../../../domain';

export function makeBid(overrides: Partial<Bid> & { id: string }): Bid {
  const scope: Scope = overrides.scope ?? 'alliance';
  const requestedPence = overrides.requestedPence ?? 100_000;
  const proposedPence = overrides.proposedPence ?? null;
  const recommendedPence = overrides.recommendedPence ?? null;
  const split = splitAmount(recommendedPence ?? proposedPence ?? requestedPence, scope, defaultCostShare());
  return bidSchema.parse({
    fy: '2026/27',
    title: `Bid ${overrides.id}`,
    leadOrganisation: scope === 'warwickshire' ? 'warwickshire' : 'shropshire',
    scope,
    crimeTypes: ['rural'],
    requestedPence,
    status: 'submitted',
    proposedPence,
    recommendedPence,
    shares: split.ok ? split.value : {},
    decisions: {},
    version: 1,
    createdAt: '2026-05-01T09:00:00.000Z',
    updatedAt: '2026-05-02T10:30:00.000Z',
    createdBy: 'test',
    updatedBy: 'test',
    ...overrides,
  });
}

export function manyBids(count: number): Bid[] {
  const scopes: Scope[] = ['alliance', 'west-mercia', 'warwickshire'];
  return Array.from({ length: count }, (_, i) =>
    makeBid({
      id: `bid-${String(i).padStart(5, '0')}-${'x'.repeat(20)}`,
      title: `Rural crime prevention project number ${i} for the alliance (test)`,
      scope: scopes[i % 3] as Scope,
      requestedPence: 100_000 + i * 37,
      proposedPence: i % 4 === 0 ? 50_000 + i : null,
      version: 1 + (i % 5),
    }),
  );
}
