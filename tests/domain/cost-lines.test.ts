/** The cost-lines rule is written once: the API's field issue and budget check 3 say the same. */
import { bidCreateSchema, checkBid, costLinesMismatch, costLinesMismatchMessage, fieldIssuesFromZod } from '../../domain';
import { bidInput, newBid } from './fixtures';

test('no cost lines, or lines summing to the request, pass', () => {
  expect(costLinesMismatch({ requestedPence: 100 })).toBeNull();
  expect(costLinesMismatch({ requestedPence: 100, costLines: [] })).toBeNull();
  expect(costLinesMismatch({ requestedPence: 100, costLines: [{ pence: 60 }, { pence: 40 }] })).toBeNull();
  expect(costLinesMismatch({ requestedPence: 100, costLines: [{ pence: 60 }] })).toEqual({ requestedPence: 100, costLinesPence: 60 });
});

test('the schema and the budget check give the same message for the same bid', () => {
  const bid = { ...newBid(), costLines: [{ item: 'Cameras', pence: 5 }] };
  const expected = 'cost lines sum to £0.05 but the request is £1,000.01';
  expect(costLinesMismatchMessage({ requestedPence: bid.requestedPence, costLinesPence: 5 })).toBe(expected);
  expect(checkBid(bid)[0]).toMatchObject({
    check: 'allocation',
    message: expected,
    amounts: { requestedPence: 100_001, costLinesPence: 5 },
  });

  const parsed = bidCreateSchema.safeParse({ ...bidInput, costLines: bid.costLines });
  expect(parsed.success).toBe(false);
  expect(fieldIssuesFromZod(parsed.error!)).toContainEqual({ path: 'costLines', message: expected });
});
