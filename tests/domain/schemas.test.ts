import type * as z from 'zod/mini';
import {
  actionBodySchema,
  actorSchema,
  allocationBatchSchema,
  bidCreateSchema,
  bidPatchSchema,
  budgetPutSchema,
  fieldIssuesFromZod,
  MAX_BATCH_ROWS,
} from '../../domain';

const validBid = {
  fy: '2025/26',
  title: 'Farm watch cameras',
  leadOrganisation: 'shropshire',
  scope: 'alliance',
  crimeTypes: ['rural'],
  requestedPence: 1_250_000,
};

const issuesOf = (result: { success: boolean; error?: z.core.$ZodError }) => (result.error ? fieldIssuesFromZod(result.error) : []);

describe('bid create schema', () => {
  test('accepts a valid bid, with cost lines and cyber strands', () => {
    expect(bidCreateSchema.safeParse(validBid).success).toBe(true);
    const cyber = {
      ...validBid,
      crimeTypes: ['cyber', 'business'],
      cyberStrands: ['protect', 'prepare'],
      costLines: [
        { item: 'Workshops', pence: 1_000_000 },
        { item: 'Materials', pence: 250_000 },
      ],
      submit: true,
    };
    expect(bidCreateSchema.safeParse(cyber).success).toBe(true);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['a fraction of a penny', { requestedPence: 10.5 }, 'requestedPence'],
    ['a negative request', { requestedPence: -1 }, 'requestedPence'],
    ['a zero request', { requestedPence: 0 }, 'requestedPence'],
    ['a string amount', { requestedPence: '100' }, 'requestedPence'],
    ['an unknown scope', { scope: 'staffordshire' }, 'scope'],
    ['an unknown organisation', { leadOrganisation: 'mars' }, 'leadOrganisation'],
    ['an unknown crime type', { crimeTypes: ['piracy'] }, 'crimeTypes.0'],
    ['no crime types', { crimeTypes: [] }, 'crimeTypes'],
    ['repeated crime types', { crimeTypes: ['rural', 'rural'] }, 'crimeTypes'],
    ['a slash-less FY', { fy: '2025-26' }, 'fy'],
    ['a non-consecutive FY', { fy: '2025/27' }, 'fy'],
    ['an empty title', { title: '   ' }, 'title'],
    ['a huge title', { title: 'x'.repeat(201) }, 'title'],
    ['a title with a line break', { title: 'a\nb' }, 'title'],
    ['an unknown field', { colour: 'red' }, 'colour'],
    ['cyber without strands', { crimeTypes: ['cyber'] }, 'cyberStrands'],
    ['strands without cyber', { cyberStrands: ['pursue'] }, 'cyberStrands'],
    ['cost lines not summing to the request', { costLines: [{ item: 'x', pence: 1 }] }, 'costLines'],
    ['a Warwickshire-only bid from a West Mercia CSP', { scope: 'warwickshire' }, 'scope'],
    ['a West Mercia-only bid from Warwickshire', { leadOrganisation: 'warwickshire', scope: 'west-mercia' }, 'scope'],
  ])('rejects %s, naming the field', (_name, change, path) => {
    const issues = issuesOf(bidCreateSchema.safeParse({ ...validBid, ...change }));
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.map((i) => i.path)).toContain(path);
    for (const issue of issues) expect(issue.message.length).toBeGreaterThan(5);
  });

  test('a warwickshire-only bid from Warwickshire and a West Mercia-only bid from a CSP are fine', () => {
    expect(bidCreateSchema.safeParse({ ...validBid, leadOrganisation: 'warwickshire', scope: 'warwickshire' }).success).toBe(true);
    expect(bidCreateSchema.safeParse({ ...validBid, scope: 'west-mercia' }).success).toBe(true);
  });
});

describe('other bodies', () => {
  test('patch needs at least one known field', () => {
    expect(bidPatchSchema.safeParse({}).success).toBe(false);
    expect(bidPatchSchema.safeParse({ title: 'New' }).success).toBe(true);
    expect(issuesOf(bidPatchSchema.safeParse({ status: 'approved' }))[0]).toEqual({ path: 'status', message: 'is not a known field' });
  });

  test('budget PUT validates cost share sums and pots', () => {
    expect(budgetPutSchema.safeParse({ costShare: { 'west-mercia': 7000, warwickshire: 3000 } }).success).toBe(true);
    expect(issuesOf(budgetPutSchema.safeParse({ costShare: { 'west-mercia': 7000, warwickshire: 2000 } }))[0]?.message).toMatch(/10000/);
    expect(issuesOf(budgetPutSchema.safeParse({ pots: { mars: 1 } }))[0]?.path).toBe('pots.mars');
    expect(budgetPutSchema.safeParse({}).success).toBe(false);
  });

  test('actions accept an amount and a reason only', () => {
    expect(actionBodySchema.safeParse({ amountPence: 500 }).success).toBe(true);
    expect(issuesOf(actionBodySchema.safeParse({ amountPence: 0 }))[0]?.path).toBe('amountPence');
    expect(actionBodySchema.safeParse({ amount: 5 }).success).toBe(false);
  });

  test('allocation batches are bounded', () => {
    const row = { bidId: 'FS-00001', version: 1, proposedPence: 100 };
    expect(allocationBatchSchema.safeParse({ allocations: [row, { ...row, proposedPence: null }] }).success).toBe(true);
    expect(allocationBatchSchema.safeParse({ allocations: Array(MAX_BATCH_ROWS + 1).fill(row) }).success).toBe(false);
    expect(issuesOf(allocationBatchSchema.safeParse({ allocations: [{ ...row, version: 0 }] }))[0]?.path).toBe('allocations.0.version');
  });

  test('actors must carry the binding their role needs', () => {
    expect(actorSchema.safeParse({ sub: 'p', roles: ['pcc'], funder: 'warwickshire' }).success).toBe(true);
    expect(issuesOf(actorSchema.safeParse({ sub: 'p', roles: ['pcc'] }))[0]?.path).toBe('funder');
    expect(issuesOf(actorSchema.safeParse({ sub: 's', roles: ['submitter'] }))[0]?.path).toBe('organisation');
  });
});
