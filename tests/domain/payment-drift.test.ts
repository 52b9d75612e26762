import { paymentDrift, type LedgerAllocation } from '../../domain';

const entry = (paidPence: number, payments: LedgerAllocation['payments']): LedgerAllocation => ({
  sharePence: 1_000,
  state: 'committed',
  by: 'pcc',
  at: '2026-01-01T00:00:00.000Z',
  requestId: 'approve',
  paidPence,
  payments,
});
const pay = (partPence: number) => ({ partPence, at: '2026-02-01T00:00:00.000Z', requestId: 'r' });
const bid = {
  id: 'FS-1',
  shares: { 'west-mercia': 1_000 },
  payments: [
    { due: '2026-04-01', amountPence: 400, parts: { 'west-mercia': 400 }, paid: { 'west-mercia': '2026-02-01T00:00:00.000Z' } },
    { due: '2026-05-01', amountPence: 600, parts: { 'west-mercia': 600 }, paid: {} },
  ],
};
const kinds = (found: ReturnType<typeof paymentDrift>) => found.map((d) => d.kind);

describe('paymentDrift: the payment invariants of an entry (docs/design.md §3.1)', () => {
  test('an entry that agrees with its schedule has none', () => {
    expect(paymentDrift(bid, 'west-mercia', entry(400, { '1': pay(400) }), () => true)).toEqual([]);
  });

  test('paid above the share, totals that disagree, parts that do not sum to the share', () => {
    expect(kinds(paymentDrift(bid, 'west-mercia', entry(1_200, { '1': pay(400) }), () => true))).toEqual([
      'overpaid',
      'paid-total-mismatch',
    ]);
    const skewed = { ...bid, payments: [{ ...bid.payments[0]!, parts: { 'west-mercia': 401 } }, bid.payments[1]!] };
    expect(kinds(paymentDrift(skewed, 'west-mercia', entry(400, { '1': pay(400) }), () => true))).toEqual([
      'schedule-mismatch',
      'unrecorded-payment',
    ]);
  });

  test('a part the bid calls paid but the ledger does not; a ledger payment the bid does not record, once settled', () => {
    expect(kinds(paymentDrift(bid, 'west-mercia', entry(0, {}), () => true))).toEqual(['unrecorded-payment']);
    const extra = entry(1_000, { '1': pay(400), '2': pay(600) });
    expect(kinds(paymentDrift(bid, 'west-mercia', extra, () => false))).toEqual([]);
    expect(kinds(paymentDrift(bid, 'west-mercia', extra, () => true))).toEqual(['unconfirmed-payment']);
  });
});
