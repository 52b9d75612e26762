import { defaultCostShare, validateCostShare } from '../../domain';

describe('cost share', () => {
  test('the default is 69 % West Mercia, 31 % Warwickshire, from the alliance data', () => {
    expect(defaultCostShare()).toEqual({ 'west-mercia': 6900, warwickshire: 3100 });
  });

  test('accepts weights summing to 10,000 basis points', () => {
    expect(validateCostShare({ 'west-mercia': 5000, warwickshire: 5000 }).ok).toBe(true);
    expect(validateCostShare({ 'west-mercia': 10_000, warwickshire: 0 }).ok).toBe(true);
  });

  test.each([
    [{ 'west-mercia': 6900, warwickshire: 3000 }, /sum to 10000/],
    [{ 'west-mercia': 6900 }, /Warwickshire is missing/],
    [{ 'west-mercia': 6900.5, warwickshire: 3099.5 }, /whole basis points/],
    [{ 'west-mercia': -100, warwickshire: 10_100 }, /whole basis points/],
    [{ 'west-mercia': 6900, warwickshire: 3100, staffordshire: 0 }, /staffordshire is not a funder/],
    [{ 'west-mercia': '6900', warwickshire: 3100 }, /whole basis points/],
  ])('rejects %o', (weights, message) => {
    const result = validateCostShare(weights);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(message);
  });
});
