import fc from 'fast-check';
import {
  applyBidAction,
  BID_ACTIONS,
  createBid,
  editBid,
  expectedShare,
  FUNDER_IDS,
  proposeAllocation,
  type Actor,
  type Bid,
  type BidAction,
  type BidStatus,
  type DomainError,
  type LedgerEffect,
} from '../../domain';
import { actors, bidInput, ctx, newBid } from './fixtures';
import { withConfirmation } from '../support/confirmation';

type Change = { bid: Bid; effects: LedgerEffect[] };

function act(bid: Bid, action: BidAction, actor: Actor, body = {}): Change {
  const result = applyBidAction(bid, action, actor, withConfirmation(action, body), ctx);
  if (!result.ok) throw new Error(`${action}: ${result.error.message}`);
  return result.value;
}

function refused(bid: Bid, action: BidAction, actor: Actor, body = {}): DomainError {
  const result = applyBidAction(bid, action, actor, withConfirmation(action, body), ctx);
  if (result.ok) throw new Error(`${action} should have been refused`);
  return result.error;
}

const recommended = (amountPence = 100_001, overrides = {}) =>
  act(act(newBid(overrides), 'submit', actors.shropshire).bid, 'recommend', actors.board, { amountPence }).bid;

describe('create', () => {
  test('a draft, or submitted at once; shares are indicative until the board recommends', () => {
    const draft = newBid();
    expect(draft).toMatchObject({ status: 'draft', version: 1, shares: { 'west-mercia': 69_001, warwickshire: 31_000 }, decisions: {} });
    expect(newBid({ submit: true }).status).toBe('submitted');
  });

  test('records an audit event', () => {
    const created = createBid(bidInput, actors.shropshire, { ...ctx, id: 'FS-9' });
    expect(created.ok && created.value.event).toMatchObject({ action: 'create', from: null, to: 'draft', role: 'submitter', actor: 'sam' });
  });

  test('a submitter files only for their own organisation; board cannot file', () => {
    expect(createBid({ ...bidInput, leadOrganisation: 'herefordshire' }, actors.shropshire, { ...ctx, id: 'x' })).toMatchObject({
      ok: false,
      error: { kind: 'forbidden' },
    });
    expect(createBid(bidInput, actors.board, { ...ctx, id: 'x' })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(createBid(bidInput, actors.finance, { ...ctx, id: 'x' }).ok).toBe(true);
  });

  test('scope consistency is enforced even when the body skipped the schema', () => {
    expect(createBid({ ...bidInput, scope: 'warwickshire' }, actors.shropshire, { ...ctx, id: 'x' })).toMatchObject({
      ok: false,
      error: { kind: 'invalid', issues: [{ path: 'scope' }] },
    });
  });
});

describe('edit and propose', () => {
  test('edit while draft or info-requested; version moves on', () => {
    const edited = editBid(newBid(), { title: 'Better title', requestedPence: 200_000 }, actors.shropshire, ctx);
    expect(edited.ok && edited.value.bid).toMatchObject({
      title: 'Better title',
      version: 2,
      shares: { 'west-mercia': 138_000, warwickshire: 62_000 },
    });
    const submitted = act(newBid(), 'submit', actors.shropshire).bid;
    expect(editBid(submitted, { title: 'x' }, actors.shropshire, ctx)).toMatchObject({ ok: false, error: { kind: 'invalid-transition' } });
    const back = act(submitted, 'request-info', actors.board).bid;
    expect(editBid(back, { title: 'More detail' }, actors.shropshire, ctx).ok).toBe(true);
  });

  test('a submitter cannot move a bid to another organisation', () => {
    expect(editBid(newBid(), { leadOrganisation: 'herefordshire' }, actors.shropshire, ctx)).toMatchObject({
      ok: false,
      error: { kind: 'forbidden' },
    });
  });

  test('a patch that breaks a cross-field rule is refused with the field named', () => {
    expect(editBid(newBid(), { crimeTypes: ['cyber'] }, actors.shropshire, ctx)).toMatchObject({
      ok: false,
      error: { kind: 'invalid', issues: [{ path: 'cyberStrands' }] },
    });
  });

  test('finance proposes up to the request; shares follow the proposal', () => {
    const proposed = proposeAllocation(newBid(), 50_000, actors.finance, ctx);
    expect(proposed.ok && proposed.value.bid).toMatchObject({
      proposedPence: 50_000,
      shares: { 'west-mercia': 34_500, warwickshire: 15_500 },
    });
    expect(proposeAllocation(newBid(), 100_002, actors.finance, ctx)).toMatchObject({ ok: false, error: { kind: 'over-request' } });
    expect(proposeAllocation(newBid(), 5, actors.shropshire, ctx)).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(proposeAllocation(recommended(), 5, actors.finance, ctx)).toMatchObject({ ok: false, error: { kind: 'invalid-transition' } });
  });

  test('the request cannot fall below a proposal', () => {
    const proposed = proposeAllocation(newBid(), 90_000, actors.finance, ctx);
    if (!proposed.ok) throw new Error('setup');
    expect(editBid(proposed.value.bid, { requestedPence: 80_000 }, actors.shropshire, ctx)).toMatchObject({
      ok: false,
      error: { kind: 'over-request' },
    });
  });
});

describe('board and funders', () => {
  test('recommend needs an amount within the request and freezes the shares', () => {
    const submitted = act(newBid(), 'submit', actors.shropshire).bid;
    expect(refused(submitted, 'recommend', actors.board)).toMatchObject({ kind: 'invalid', issues: [{ path: 'amountPence' }] });
    expect(refused(submitted, 'recommend', actors.board, { amountPence: 100_002 })).toMatchObject({ kind: 'over-request' });
    const bid = act(submitted, 'recommend', actors.board, { amountPence: 100_001 }).bid;
    expect(bid).toMatchObject({
      status: 'recommended',
      recommendedPence: 100_001,
      shares: { 'west-mercia': 69_001, warwickshire: 31_000 },
      decisions: { 'west-mercia': 'pending', warwickshire: 'pending' },
    });
  });

  test('two-key approval: each PCC commits its own share; the bid is approved when both have', () => {
    const first = act(recommended(), 'approve', actors.westMerciaPcc);
    expect(first.effects).toEqual([{ kind: 'commit', funder: 'west-mercia', sharePence: 69_001 }]);
    expect(first.bid.status).toBe('recommended');
    expect(refused(first.bid, 'approve', actors.westMerciaPcc)).toMatchObject({ kind: 'invalid-transition' });
    const second = act(first.bid, 'approve', actors.warwickshirePcc);
    expect(second.effects).toEqual([{ kind: 'commit', funder: 'warwickshire', sharePence: 31_000 }]);
    expect(second.bid).toMatchObject({ status: 'approved', decisions: { 'west-mercia': 'approved', warwickshire: 'approved' } });
  });

  test('a decline by one funder gives back the other funder’s committed share', () => {
    const first = act(recommended(), 'approve', actors.warwickshirePcc).bid;
    const declined = act(first, 'decline', actors.westMerciaPcc, { reason: 'Covered by another scheme' });
    expect(declined.bid.status).toBe('declined');
    expect(declined.effects).toEqual([{ kind: 'uncommit', funder: 'warwickshire', sharePence: 31_000 }]);
  });

  test('a PCC acts only for their own funder: a West Mercia-only bid refuses Warwickshire', () => {
    const bid = recommended(5_000, { scope: 'west-mercia' });
    expect(bid.decisions).toEqual({ 'west-mercia': 'pending' });
    expect(refused(bid, 'approve', actors.warwickshirePcc)).toMatchObject({ kind: 'forbidden-funder' });
    expect(refused(bid, 'decline', actors.warwickshirePcc)).toMatchObject({ kind: 'forbidden-funder' });
    expect(act(bid, 'approve', actors.westMerciaPcc).bid.status).toBe('approved');
  });

  test('release pays out per funder; released when all have', () => {
    const approved = act(act(recommended(), 'approve', actors.westMerciaPcc).bid, 'approve', actors.warwickshirePcc).bid;
    const one = act(approved, 'release', actors.warwickshirePcc);
    expect(one.effects).toEqual([{ kind: 'release', funder: 'warwickshire', sharePence: 31_000 }]);
    expect(one.bid.status).toBe('approved');
    expect(refused(one.bid, 'release', actors.warwickshirePcc)).toMatchObject({ kind: 'invalid-transition' });
    expect(act(one.bid, 'release', actors.westMerciaPcc).bid.status).toBe('released');
  });

  test('withdrawing a part-approved bid gives the committed share back', () => {
    const part = act(recommended(), 'approve', actors.westMerciaPcc).bid;
    expect(act(part, 'withdraw', actors.shropshire).effects).toEqual([{ kind: 'uncommit', funder: 'west-mercia', sharePence: 69_001 }]);
    const approved = act(part, 'approve', actors.warwickshirePcc).bid;
    expect(refused(approved, 'withdraw', actors.shropshire)).toMatchObject({ kind: 'invalid-transition' });
  });

  test('amountPence is refused on actions other than recommend', () => {
    expect(refused(newBid(), 'submit', actors.shropshire, { amountPence: 5 })).toMatchObject({
      kind: 'invalid',
      issues: [{ path: 'amountPence' }],
    });
  });

  test('roles outside the matrix are refused', () => {
    const submitted = act(newBid(), 'submit', actors.shropshire).bid;
    expect(refused(submitted, 'recommend', actors.finance)).toMatchObject({ kind: 'forbidden' });
    expect(refused(recommended(), 'approve', actors.board)).toMatchObject({ kind: 'forbidden' });
    expect(refused(newBid(), 'submit', actors.warwickshireSubmitter)).toMatchObject({ kind: 'forbidden' });
  });
});

/** The diagram of docs/design.md §1, written out independently of the code under test. */
const DIAGRAM: Record<BidStatus, BidStatus[]> = {
  draft: ['submitted', 'withdrawn'],
  submitted: ['info-requested', 'recommended', 'not-recommended', 'withdrawn'],
  'info-requested': ['submitted', 'withdrawn'],
  recommended: ['recommended', 'approved', 'declined', 'withdrawn'],
  'not-recommended': [],
  approved: ['approved', 'released'],
  declined: [],
  released: [],
  withdrawn: [],
};

describe('property: random actions by random actors', () => {
  const allActors = Object.values(actors) as Actor[];
  const pccs = [actors.westMerciaPcc, actors.warwickshirePcc] as Actor[];
  const natural: Record<BidAction, Actor[]> = {
    submit: [actors.shropshire, actors.finance],
    'request-info': [actors.board],
    recommend: [actors.board],
    'not-recommend': [actors.board],
    approve: pccs,
    decline: pccs,
    release: pccs,
    withdraw: [actors.shropshire, actors.finance],
    vary: [actors.finance],
    'approve-variation': pccs,
    'withdraw-variation': [actors.finance],
    'decline-variation': pccs,
    'return-underspend': [actors.finance],
  };
  // Mostly the actor the action is meant for (so walks reach deep into the diagram), sometimes anyone.
  const step = fc.constantFrom(...BID_ACTIONS).chain((action) =>
    fc.record({
      action: fc.constant(action),
      actor: fc.oneof(
        { arbitrary: fc.constantFrom(...natural[action]), weight: 4 },
        { arbitrary: fc.constantFrom(...allActors), weight: 1 },
      ),
      amountPence: fc.option(fc.integer({ min: 1, max: 200_000 }), { nil: undefined, freq: 5 }),
    }),
  );

  test('never leave the diagram, and the ledger effects always net to what the decisions say', () => {
    const reached = new Set<BidStatus>();
    fc.assert(
      fc.property(
        fc.constantFrom('alliance', 'west-mercia'),
        fc.array(step, { minLength: 5, maxLength: 40, size: 'max' }),
        (scope, steps) => {
          let bid = newBid({ scope: scope as Bid['scope'] });
          const committed: Record<string, number> = {};
          const released: Record<string, number> = {};
          for (const { action, actor, amountPence } of steps) {
            const body = withConfirmation(
              action,
              action === 'recommend' && amountPence !== undefined
                ? { amountPence }
                : (action === 'vary' || action === 'return-underspend') && amountPence !== undefined
                  ? { amountPence, reason: 'costs changed' }
                  : action.endsWith('-variation') && action !== 'approve-variation'
                    ? { reason: 'not this time' }
                    : {},
            );
            const result = applyBidAction(bid, action, actor, body, ctx);
            if (!result.ok) {
              expect(['invalid', 'invalid-transition', 'forbidden', 'forbidden-funder', 'over-request', 'separation-of-duties']).toContain(
                result.error.kind,
              );
              continue;
            }
            const next = result.value.bid;
            expect(DIAGRAM[bid.status]).toContain(next.status);
            expect(next.version).toBe(bid.version + 1);
            for (const effect of result.value.effects) {
              if (effect.kind === 'commit') {
                expect(committed[effect.funder] ?? 0).toBe(0);
                committed[effect.funder] = effect.sharePence;
              } else if (effect.kind === 'uncommit') {
                expect(committed[effect.funder]).toBe(effect.sharePence);
                committed[effect.funder] = 0;
              } else if (effect.kind === 'adjust') {
                expect(committed[effect.funder]).toBe(effect.fromPence);
                committed[effect.funder] = effect.sharePence;
              } else if (effect.kind === 'return') {
                // Underspend goes back from what was paid: never more than the share.
                expect(effect.sharePence).toBeGreaterThan(effect.fromPence ?? 0);
                expect(effect.sharePence).toBeLessThanOrEqual(committed[effect.funder] ?? 0);
              } else {
                expect(committed[effect.funder]).toBe(effect.sharePence);
                released[effect.funder] = effect.sharePence;
              }
            }
            bid = next;
            reached.add(bid.status);
            for (const funder of FUNDER_IDS) {
              const decision = bid.decisions[funder];
              const holds = (committed[funder] ?? 0) > 0 || (bid.shares[funder] === 0 && decision !== 'pending');
              if (['declined', 'withdrawn'].includes(bid.status)) expect(committed[funder] ?? 0).toBe(0);
              else if (decision === 'approved' || decision === 'released') expect(holds).toBe(true);
              else expect(committed[funder] ?? 0).toBe(0);
            }
            if (bid.status === 'approved' || bid.status === 'released') {
              for (const f of FUNDER_IDS) if (bid.decisions[f] !== undefined) expect(committed[f] ?? 0).toBe(expectedShare(bid, f));
              const total = FUNDER_IDS.reduce((sum, f) => sum + (committed[f] ?? 0), 0);
              if (!bid.variation) expect(total).toBe(bid.recommendedPence);
            }
          }
        },
      ),
      { numRuns: 1500 },
    );
    // The walk must actually explore the diagram for the property to mean anything.
    expect([...reached].sort()).toEqual(
      Object.keys(DIAGRAM)
        .filter((s) => s !== 'draft')
        .sort(),
    );
  });
});
