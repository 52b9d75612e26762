/** Record decisions, the pure part: the Decision drop-down per role and status, the rows sent, and the answers folded back. */
import { bidToRowData, type RowData } from '../../../addin/sheet/bid-rows';
import { letterOf } from '../../../addin/sheet/columns';
import { decisionListGroups } from '../../../addin/sheet/decision-lists';
import { applyDecisionResults, decisionLists, selectDecisions } from '../../../addin/sheet/decision-plan';
import type { SheetSnapshot } from '../../../addin/sheet/sync-plan';
import type { Actor, Bid } from '../../../domain';
import { testActors } from '../../support/actors';
import { makeBid } from '../support/bids';

const submitted = makeBid({ id: 'b-sub' });
const recommended = makeBid({
  id: 'b-rec',
  status: 'recommended',
  recommendedPence: 80_000,
  decisions: { 'west-mercia': 'pending', warwickshire: 'pending' },
});
const wmApproved = makeBid({
  id: 'b-wm',
  status: 'recommended',
  recommendedPence: 80_000,
  decisions: { 'west-mercia': 'approved', warwickshire: 'pending' },
});
const approved = makeBid({
  id: 'b-app',
  status: 'approved',
  recommendedPence: 80_000,
  decisions: { 'west-mercia': 'approved', warwickshire: 'approved' },
});
const bids = [submitted, recommended, wmApproved, approved];
const byId = new Map(bids.map((b) => [b.id, b]));
const rows = bids.map((b) => bidToRowData(b));
const listsFor = (actor: Actor) => decisionLists(actor, rows, byId);

test('the Decision drop-down: the board decides submitted bids, each PCC its own pending or approved share, finance nothing', () => {
  expect(listsFor(testActors.board)).toEqual([['request-info', 'recommend', 'not-recommend'], [], [], []]);
  expect(listsFor(testActors.westMerciaPcc)).toEqual([[], ['approve', 'decline'], [], ['release']]);
  expect(listsFor(testActors.warwickshirePcc)).toEqual([[], ['approve', 'decline'], ['approve', 'decline'], ['release']]);
  expect(listsFor(testActors.finance)).toEqual([[], [], [], []]);
  expect(listsFor(testActors.shropshire)).toEqual([[], [], [], []]);
});

test('governance removes what a user may not do: the recommender may not approve; an affiliated board member may not decide', () => {
  const byPcc = makeBid({ ...recommended, id: 'b-own', recommendedBy: 'pcc-wm' } as Bid);
  expect(decisionLists(testActors.westMerciaPcc, [bidToRowData(byPcc)], new Map([[byPcc.id, byPcc]]))).toEqual([['decline']]);
  const affiliated: Actor = { ...testActors.board, affiliation: submitted.leadOrganisation };
  expect(decisionLists(affiliated, [rows[0] as RowData], byId)).toEqual([[]]);
});

test('a row showing an older version than the bid offers nothing; a row the pane has not read offers nothing', () => {
  expect(decisionLists(testActors.board, [{ ...(rows[0] as RowData), version: 0 }], byId)).toEqual([[]]);
  expect(decisionLists(testActors.board, [{ ...(rows[0] as RowData), id: 'unknown' }], byId)).toEqual([[]]);
});

test('rows with the same list share one validation, over runs of rows', () => {
  const groups = decisionListGroups([['a', 'b'], ['a', 'b'], [], ['c'], ['a', 'b']]);
  const col = letterOf('decision');
  expect(groups).toEqual([
    { source: 'a,b', addresses: [`${col}2:${col}3,${col}6`] },
    { source: 'c', addresses: [`${col}5`] },
  ]);
  const long = decisionListGroups(
    Array.from({ length: 2000 }, (_, i) => (i % 2 === 0 ? ['a'] : [])),
    100,
  );
  expect(long).toHaveLength(1);
  for (const address of long[0]!.addresses) expect(address.length).toBeLessThanOrEqual(100);
  expect(long[0]!.addresses.join(',').split(',')).toHaveLength(1000);
});

const snapshotWith = (decided: Partial<Record<string, RowData['decision']>>): SheetSnapshot => ({
  fy: '2026/27',
  rows: rows.map((r) => ({ ...r, decision: decided[r.id] ?? r.decision })),
  baseline: new Map(bids.map((b) => [b.id, { id: b.id, version: b.version, proposedPence: b.proposedPence }])),
});

test('rows sent: exact pence, the reference; mistakes name the column and are not sent; approvals need the confirmation', () => {
  const snapshot = snapshotWith({
    'b-sub': { action: 'recommend', amount: 1234.5, reference: 'Board minute 24/07' },
    'b-rec': { action: 'approve', amount: '', reference: 'WPCC3-0089' },
    'b-wm': { action: 'aprove', amount: '', reference: '' },
  });
  const unconfirmed = selectDecisions(snapshot, { interestsConfirmed: false });
  expect(unconfirmed.decisions).toEqual([
    { bidId: 'b-sub', version: 1, action: 'recommend', amountPence: 123_450, reference: 'Board minute 24/07' },
  ]);
  expect(unconfirmed.skipped.map((s) => [s.bidId, s.message.split(' ').slice(0, 2).join(' ')])).toEqual([
    ['b-rec', 'Decision: approve'],
    ['b-wm', 'Decision: "aprove"'],
  ]);
  const confirmed = selectDecisions(snapshot, { interestsConfirmed: true });
  expect(confirmed.decisions[1]).toEqual({
    bidId: 'b-rec',
    version: 1,
    action: 'approve',
    reference: 'WPCC3-0089',
    interestsConfirmed: true,
  });

  const mistakes = selectDecisions(
    snapshotWith({
      'b-sub': { action: 'recommend', amount: '', reference: '' },
      'b-rec': { action: 'recommend', amount: 10.001, reference: '' },
      'b-wm': { action: 'release', amount: 5, reference: 'x'.repeat(65) },
    }),
    { interestsConfirmed: true },
  );
  expect(mistakes.decisions).toEqual([]);
  expect(mistakes.skipped.map((s) => s.message)).toEqual([
    'Decision £: recommend needs the amount in pounds',
    'Decision £ amount has more than 2 decimal places',
    'Decision £ is only for recommend; clear it for release',
  ]);
});

test('answers folded back: recorded rows take the bid and lose their Decision; a conflict and a refusal keep theirs', () => {
  const snapshot = snapshotWith({
    'b-sub': { action: 'recommend', amount: 800, reference: 'M1' },
    'b-rec': { action: 'approve', amount: '', reference: 'WPCC3-0089' },
    'b-wm': { action: 'release', amount: '', reference: '' },
  });
  const { decisions } = selectDecisions(snapshot, { interestsConfirmed: true });
  const after = { ...submitted, status: 'recommended' as const, recommendedPence: 80_000, version: 2 };
  const moved = { ...recommended, decisions: { 'west-mercia': 'declined' as const, warwickshire: 'pending' as const }, version: 3 };
  const folded = applyDecisionResults('2026/27', snapshot, decisions, [
    { bidId: 'b-sub', status: 'ok', bid: after },
    { bidId: 'b-rec', status: 'version-conflict', reason: 'changed', bid: moved },
    { bidId: 'b-wm', status: 'forbidden', problem: 'forbidden', reason: 'not yours' },
  ]);
  const [sub, rec, wm] = folded.plan.rows as [RowData, RowData, RowData, RowData];
  expect(sub).toMatchObject({
    status: 'recommended',
    version: 2,
    recommendedPence: 80_000,
    decision: { action: '', amount: '', reference: '' },
  });
  expect(rec).toMatchObject({ version: 3, decision: { action: 'approve', reference: 'WPCC3-0089' } });
  expect(wm.decision.action).toBe('release');
  expect(folded.recorded).toBe(1);
  expect(folded.conflicts).toEqual([expect.objectContaining({ bidId: 'b-rec', yours: 'approve (WPCC3-0089) on version 1' })]);
  expect(folded.refused).toEqual([{ bidId: 'b-wm', title: wm.title, message: 'release not recorded: not yours' }]);
  expect(folded.rows.map((r) => r.outcome)).toEqual(['ok', 'version-conflict', 'forbidden']);
  expect(folded.plan.baseline.find((b) => b.id === 'b-sub')?.version).toBe(2);
});
