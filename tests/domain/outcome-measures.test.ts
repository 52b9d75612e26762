/** Outcome measures (docs/design.md §1.4): optional at submission, required before a funder approves. */
import { applyBidAction, bidCreateSchema, createBid, editBid, type Bid } from '../../domain';
import { withConfirmation } from '../support/confirmation';
import { actors, bidInput, ctx } from './fixtures';

const recommendedWithout = (): Bid => {
  const { outcomeMeasures: _none, ...input } = bidInput;
  void _none;
  const bid = createBid({ ...input, submit: true }, actors.shropshire, { ...ctx, id: 'FS-00002' });
  if (!bid.ok) throw new Error(bid.error.message);
  return recommend(bid.value.bid);
};

const recommend = (submittedBid: Bid): Bid => {
  const recommended = applyBidAction(submittedBid, 'recommend', actors.board, { amountPence: 100_001 }, ctx);
  if (!recommended.ok) throw new Error(recommended.error.message);
  return recommended.value.bid;
};

test('an approve on a bid without outcome measures is refused, naming outcomeMeasures', () => {
  const bid = recommendedWithout();
  expect(bid.outcomeMeasures).toBeUndefined();
  const refused = applyBidAction(bid, 'approve', actors.westMerciaPcc, withConfirmation('approve', {}), ctx);
  expect(refused).toMatchObject({
    ok: false,
    error: { kind: 'outcome-measures-required', issues: [{ path: 'outcomeMeasures' }] },
  });
});

test('measures alone may be added after submission, keeping the recommended split; then approval goes ahead', () => {
  const bid = recommendedWithout();
  const measures = [{ measure: 'Farms visited', unit: 'visits', target: 120 }];
  const edited = editBid(bid, { outcomeMeasures: measures }, actors.shropshire, ctx);
  if (!edited.ok) throw new Error(edited.error.message);
  expect(edited.value.bid).toMatchObject({
    status: 'recommended',
    shares: bid.shares,
    outcomeMeasures: measures,
    version: bid.version + 1,
  });
  expect(edited.value.effects).toEqual([]);
  // Any other field still waits for draft or info-requested.
  expect(editBid(bid, { outcomeMeasures: measures, title: 'New' }, actors.shropshire, ctx)).toMatchObject({
    ok: false,
    error: { kind: 'invalid-transition' },
  });
  // Another organisation's submitter may not.
  expect(editBid(bid, { outcomeMeasures: measures }, actors.herefordshire, ctx).ok).toBe(false);
  const approved = applyBidAction(edited.value.bid, 'approve', actors.westMerciaPcc, withConfirmation('approve', {}), ctx);
  expect(approved.ok).toBe(true);
});

test('the schema checks each measure: text, unit, a finite non-negative target, no measure twice', () => {
  const parse = (outcomeMeasures: unknown) => bidCreateSchema.safeParse({ ...bidInput, outcomeMeasures });
  expect(parse([{ measure: 'Visits', unit: 'visits', target: 7.5 }]).success).toBe(true);
  expect(parse([]).success).toBe(true);
  for (const bad of [
    [{ measure: '', unit: 'visits', target: 1 }],
    [{ measure: 'Visits', unit: '', target: 1 }],
    [{ measure: 'Visits', unit: 'visits', target: -1 }],
    [{ measure: 'Visits', unit: 'visits', target: Number.POSITIVE_INFINITY }],
    [{ measure: 'Visits', unit: 'visits' }],
    [{ measure: 'Visits', unit: 'visits', target: 1, extra: true }],
    [
      { measure: 'Visits', unit: 'visits', target: 1 },
      { measure: 'visits', unit: 'farms', target: 2 },
    ],
  ]) {
    const parsed = parse(bad);
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(parsed.error.issues[0]?.path[0]).toBe('outcomeMeasures');
  }
});
