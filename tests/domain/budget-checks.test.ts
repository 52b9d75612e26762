import fc from 'fast-check';
import {
  checkBid,
  checkFundTotal,
  checkHeadroom,
  checkPots,
  defaultCostShare,
  FUNDER_IDS,
  pendingShares,
  proposalShares,
  runBudgetChecks,
  type Budget,
  type FunderBudget,
} from '../../domain';
import { newBid } from './fixtures';

const funderBudget = (funder: FunderBudget['funder'], potPence: number, committedPence = 0, pendingPence = 0): FunderBudget => ({
  funder,
  potPence,
  committedPence,
  releasedPence: 0,
  pendingPence,
  remainingPence: potPence - committedPence,
});

const budget = (westMercia: FunderBudget, warwickshire: FunderBudget, fundPence = 150_000_000): Budget => ({
  fy: '2025/26',
  fundPence,
  costShare: defaultCostShare(),
  funders: [westMercia, warwickshire],
});

describe('budget checks', () => {
  test('1: committed over a pot is an error naming the funder and the excess', () => {
    const findings = checkPots(budget(funderBudget('west-mercia', 1_000, 1_500), funderBudget('warwickshire', 1_000, 1_000)));
    expect(findings).toEqual([
      expect.objectContaining({
        check: 'pot',
        severity: 'error',
        funder: 'west-mercia',
        amounts: expect.objectContaining({ excessPence: 500 }),
      }),
    ]);
    expect(findings[0]?.message).toBe('West Mercia has committed £15.00, £5.00 over its pot of £10.00');
  });

  test('2: the fund total', () => {
    const findings = checkFundTotal(budget(funderBudget('west-mercia', 2_000, 1_500), funderBudget('warwickshire', 2_000, 1_000), 2_000));
    expect(findings).toEqual([
      expect.objectContaining({ check: 'fund', amounts: { fundPence: 2_000, committedPence: 2_500, excessPence: 500 } }),
    ]);
  });

  test('3–5: allocation over the request, cost lines, shares and scope', () => {
    const bid = newBid({ costLines: [{ item: 'Cameras', pence: 100_001 }] });
    expect(checkBid(bid)).toEqual([]);
    expect(checkBid({ ...bid, proposedPence: 100_002 }).map((f) => f.check)).toEqual(['allocation', 'split']);
    expect(checkBid({ ...bid, costLines: [{ item: 'Cameras', pence: 5 }] })[0]?.message).toBe(
      'cost lines sum to £0.05 but the request is £1,000.01',
    );
    expect(checkBid({ ...bid, shares: { 'west-mercia': 69_001, warwickshire: 30_999 } })[0]).toMatchObject({
      check: 'split',
      amounts: { amountPence: 100_001, sharesPence: 100_000 },
    });
    expect(checkBid({ ...bid, scope: 'warwickshire' })[0]).toMatchObject({
      check: 'scope',
      message: 'Shropshire CSP cannot lead a bid for Warwickshire only',
    });
  });

  test('6: headroom warns with the funder and the excess', () => {
    const findings = checkHeadroom(
      budget(funderBudget('west-mercia', 10_000, 5_000), funderBudget('warwickshire', 46_500_000, 45_000_000, 2_740_000)),
    );
    expect(findings).toEqual([expect.objectContaining({ check: 'headroom', severity: 'warning', funder: 'warwickshire' })]);
    expect(findings[0]?.message).toBe('if every recommended bid is approved, Warwickshire is £12,400.00 over');
  });

  test('6: proposals in the sheet count towards headroom', () => {
    const proposals = proposalShares([{ scope: 'alliance', proposedPence: 10_000 }], defaultCostShare());
    expect(proposals).toEqual({ 'west-mercia': 6_900, warwickshire: 3_100 });
    const findings = checkHeadroom(budget(funderBudget('west-mercia', 10_000, 5_000), funderBudget('warwickshire', 10_000)), proposals);
    expect(findings).toEqual([
      expect.objectContaining({ funder: 'west-mercia', amounts: expect.objectContaining({ excessPence: 1_900, proposedPence: 6_900 }) }),
    ]);
  });

  test('pending counts only undecided shares of recommended bids', () => {
    const bid = newBid();
    const recommended = {
      ...bid,
      status: 'recommended' as const,
      decisions: { 'west-mercia': 'approved' as const, warwickshire: 'pending' as const },
    };
    expect(pendingShares([bid, recommended])).toEqual({ 'west-mercia': 0, warwickshire: 31_000 });
  });

  test('runBudgetChecks puts it together', () => {
    const findings = runBudgetChecks({
      budget: budget(funderBudget('west-mercia', 1_000, 2_000), funderBudget('warwickshire', 1_000)),
      bids: [{ ...newBid(), scope: 'warwickshire' }],
      sheetProposals: [{ scope: 'warwickshire', proposedPence: 5_000 }],
    });
    expect(findings.map((f) => f.check)).toEqual(['pot', 'scope', 'headroom', 'headroom']);
  });

  test('property: every over-pot case is flagged, with the exact excess, and nothing else is', () => {
    const pence = fc.integer({ min: 0, max: 200_000_000 });
    fc.assert(
      fc.property(fc.tuple(pence, pence, pence, pence), fc.tuple(pence, pence, pence, pence), pence, (wm, wa, fund) => {
        const state = budget(funderBudget('west-mercia', wm[0], wm[1], wm[2]), funderBudget('warwickshire', wa[0], wa[1], wa[2]), fund);
        const proposed = { 'west-mercia': wm[3], warwickshire: wa[3] };
        const pots = checkPots(state);
        const headroom = checkHeadroom(state, proposed);
        for (const [i, funder] of FUNDER_IDS.entries()) {
          const [pot, committed, pending, sheet] = i === 0 ? wm : wa;
          const potFinding = pots.find((f) => f.funder === funder);
          if (committed > pot) expect(potFinding?.amounts.excessPence).toBe(committed - pot);
          else expect(potFinding).toBeUndefined();
          const headroomFinding = headroom.find((f) => f.funder === funder);
          if (committed + pending + sheet > pot) expect(headroomFinding?.amounts.excessPence).toBe(committed + pending + sheet - pot);
          else expect(headroomFinding).toBeUndefined();
        }
        expect(checkFundTotal(state).length).toBe(wm[1] + wa[1] > fund ? 1 : 0);
      }),
      { numRuns: 2000 },
    );
  });
});
