/** Values the store contract suite writes. */
import { bidSchema, type AuditEvent, type Bid } from '../../domain';
import type { LedgerAllocation } from '../../functions/store/types';

export const allocation = (sharePence: number, requestId: string): LedgerAllocation => ({
  sharePence,
  state: 'committed',
  by: 'pcc',
  at: '2025-06-01T00:00:00Z',
  requestId,
});

export function contractBid(id: string, fy: string, overrides: Partial<Bid> = {}): Bid {
  const at = overrides.updatedAt ?? `${fy.slice(0, 4)}-06-01T00:00:00.000Z`;
  return bidSchema.parse({
    id,
    fy,
    title: `Bid ${id}`,
    leadOrganisation: 'shropshire',
    scope: 'west-mercia',
    crimeTypes: ['rural'],
    requestedPence: 10_000,
    status: 'draft',
    proposedPence: null,
    recommendedPence: null,
    shares: { 'west-mercia': 10_000 },
    decisions: {},
    version: 1,
    createdAt: at,
    updatedAt: at,
    createdBy: 'test',
    updatedBy: 'test',
    ...overrides,
  });
}

export const contractEvent = (bidId: string, version: number, at = '2035-06-01T00:00:00.000Z'): AuditEvent => ({
  bidId,
  at,
  actor: 'test',
  role: 'finance',
  action: version === 1 ? 'create' : 'edit',
  from: version === 1 ? null : 'draft',
  to: 'draft',
  version,
  requestId: `audit-${bidId}-${version}`,
});
