/** Governance rules (docs/design.md §5): the sheet's decision choices per role and status, and each refusal. */
import {
  conflictOfInterest,
  decisionChoices,
  governanceRefusal,
  separationOfDuties,
  type Actor,
  type Bid,
  type BidStatus,
  type Declaration,
} from '../../domain';
import { testActors } from '../support/actors';
import { newBid } from './fixtures';

const at = (status: BidStatus, extra: Partial<Bid> = {}): Bid => ({ ...newBid(), status, ...extra });
const recommended = (decisions: Bid['decisions']) => at('recommended', { decisions, shares: { 'west-mercia': 69, warwickshire: 31 } });

describe('decisionChoices: what the Decision drop-down offers', () => {
  test.each<[string, Actor, Bid, string[]]>([
    ['board on a submitted bid', testActors.board, at('submitted'), ['request-info', 'recommend', 'not-recommend']],
    ['board on a recommended bid', testActors.board, recommended({ 'west-mercia': 'pending', warwickshire: 'pending' }), []],
    [
      'a PCC on its pending share',
      testActors.westMerciaPcc,
      recommended({ 'west-mercia': 'pending', warwickshire: 'pending' }),
      ['approve', 'decline'],
    ],
    ['a PCC once it has approved', testActors.westMerciaPcc, recommended({ 'west-mercia': 'approved', warwickshire: 'pending' }), []],
    [
      'the other PCC still pending',
      testActors.warwickshirePcc,
      recommended({ 'west-mercia': 'approved', warwickshire: 'pending' }),
      ['approve', 'decline'],
    ],
    [
      'a PCC on an approved share',
      testActors.westMerciaPcc,
      at('approved', { decisions: { 'west-mercia': 'approved', warwickshire: 'approved' } }),
      ['release'],
    ],
    [
      'a PCC with no share',
      testActors.warwickshirePcc,
      at('recommended', { scope: 'west-mercia', decisions: { 'west-mercia': 'pending' } }),
      [],
    ],
    ['finance on a submitted bid', testActors.finance, at('submitted'), []],
    ['a submitter', testActors.shropshire, at('submitted'), []],
    ['board on a draft', testActors.board, at('draft'), []],
  ])('%s', (_name, actor, bid, expected) => {
    expect(decisionChoices(actor, bid)).toEqual(expected);
  });

  test('a declared interest or an affiliation removes the board’s choices; separation of duties removes approve', () => {
    const bid = at('submitted', { leadOrganisation: 'shropshire' });
    const declaration: Declaration = {
      id: 'DOI-1',
      fy: bid.fy,
      member: testActors.board.sub,
      bidId: bid.id,
      nature: 'trustee',
      declaredAt: '2025-05-01T00:00:00.000Z',
      declaredBy: testActors.board.sub,
    };
    expect(decisionChoices(testActors.board, bid, [declaration])).toEqual([]);
    expect(decisionChoices({ ...testActors.board, affiliation: 'shropshire' }, bid)).toEqual([]);
    expect(decisionChoices({ ...testActors.board, affiliation: 'nfu' }, bid)).toHaveLength(3);
    const byMe = recommended({ 'west-mercia': 'pending' });
    expect(decisionChoices(testActors.westMerciaPcc, { ...byMe, recommendedBy: testActors.westMerciaPcc.sub })).toEqual(['decline']);
  });
});

describe('refusals', () => {
  test('a declaration of another year, member or organisation does not bar', () => {
    const bid = at('submitted', { leadOrganisation: 'shropshire' });
    const base: Declaration = {
      id: 'DOI-2',
      fy: bid.fy,
      member: 'someone-else',
      leadOrganisation: 'shropshire',
      nature: 'x',
      declaredAt: '2025-05-01T00:00:00.000Z',
      declaredBy: 'admin',
    };
    expect(conflictOfInterest(testActors.board, bid, [base])).toBeNull();
    expect(conflictOfInterest(testActors.board, bid, [{ ...base, member: testActors.board.sub, fy: '2030/31' }])).toBeNull();
    expect(
      conflictOfInterest(testActors.board, bid, [{ ...base, member: testActors.board.sub, leadOrganisation: 'herefordshire' }]),
    ).toBeNull();
    expect(conflictOfInterest(testActors.board, bid, [{ ...base, member: testActors.board.sub }])?.declarationId).toBe('DOI-2');
  });

  test('separation of duties: creator and last editor cannot recommend or approve; the recommender cannot approve', () => {
    const me = testActors.board;
    expect(separationOfDuties(me, at('submitted', { createdBy: me.sub }), 'recommend')?.kind).toBe('separation-of-duties');
    expect(separationOfDuties(me, at('submitted', { editedBy: me.sub }), 'recommend')?.kind).toBe('separation-of-duties');
    expect(separationOfDuties(me, at('submitted', { recommendedBy: me.sub }), 'recommend')).toBeNull();
    expect(separationOfDuties(me, at('recommended', { recommendedBy: me.sub }), 'approve')?.kind).toBe('separation-of-duties');
    expect(separationOfDuties(me, at('submitted', { createdBy: me.sub }), 'request-info')).toBeNull();
  });

  test('approve needs interestsConfirmed: true', () => {
    const bid = recommended({ 'west-mercia': 'pending' });
    expect(governanceRefusal(testActors.westMerciaPcc, bid, 'approve', {}, [])?.kind).toBe('interests-not-confirmed');
    expect(governanceRefusal(testActors.westMerciaPcc, bid, 'approve', { interestsConfirmed: false }, [])?.kind).toBe(
      'interests-not-confirmed',
    );
    expect(governanceRefusal(testActors.westMerciaPcc, bid, 'approve', { interestsConfirmed: true }, [])).toBeNull();
    expect(governanceRefusal(testActors.westMerciaPcc, bid, 'decline', {}, [])).toBeNull();
  });
});
