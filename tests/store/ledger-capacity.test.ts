/**
 * functions/store/ledger-capacity.ts: the estimate of a ledger item's size is checked against
 * dynalite itself, which refuses items over 400 KB as DynamoDB does.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createDynamoClient } from '../../functions/store/client';
import { ensureTable } from '../../functions/store/create-table';
import { keys } from '../../functions/store/keys';
import { fullestLedger, ITEM_LIMIT_BYTES, LEDGER_WARN_PERCENT, ledgerItemBytes } from '../../functions/store/ledger-capacity';
import { fullestOfRun } from '../../functions/sync/run-sync';
import type { Ledger, LedgerAllocation } from '../../functions/store/types';
import { startDynalite, type EmbeddedDynalite } from '../../local/embedded-dynalite';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const allocation = (i: number): LedgerAllocation => ({
  sharePence: 1_000_000 + i,
  state: i % 3 === 0 ? 'released' : 'committed',
  by: 'pcc.west-mercia@example.gov.uk',
  at: '2026-06-01T09:30:00.000Z',
  requestId: `0f6b2a4c-3d1e-4f7a-9b8c-${String(i).padStart(12, '0')}`,
});

const ledgerWith = (count: number, funder: Ledger['funder'] = 'west-mercia'): Ledger => ({
  fy: '2026/27',
  funder,
  potPence: 103_500_000,
  committedPence: 1_000,
  releasedPence: 0,
  remainingPence: 103_499_000,
  allocations: Object.fromEntries(Array.from({ length: count }, (_, i) => [`FS-${String(i).padStart(6, '0')}`, allocation(i)])),
});

let database: EmbeddedDynalite;
let client: ReturnType<typeof createDynamoClient>;
beforeAll(async () => {
  database = await startDynalite();
  client = createDynamoClient({ endpoint: database.endpoint });
  await ensureTable(client, 'fundshare-capacity');
});
afterAll(async () => {
  client.destroy();
  await database.close();
});

/** Does the store accept this ledger as one item? */
async function fits(ledger: Ledger): Promise<boolean> {
  try {
    await createDocumentClient(client).send(
      new PutCommand({ TableName: 'fundshare-capacity', Item: { ...ledger, ...keys.ledger(ledger.fy, ledger.funder), kind: 'ledger' } }),
    );
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'ValidationException' && /size/i.test(String((error as Error).message))) return false;
    throw error;
  }
}

test('the estimate finds where the store starts refusing the item, to within a few allocations', async () => {
  const perAllocation = ledgerItemBytes(ledgerWith(101)) - ledgerItemBytes(ledgerWith(100));
  expect(perAllocation).toBeGreaterThan(100);
  expect(perAllocation).toBeLessThan(200);
  // The largest count the estimate says fits, and the store's own verdict around it.
  let [low, high] = [0, 10_000]; // invariant: low fits by the estimate, high does not
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (ledgerItemBytes(ledgerWith(mid)) <= ITEM_LIMIT_BYTES) low = mid;
    else high = mid;
  }
  const estimated = low;
  expect(estimated).toBeGreaterThan(2_000);
  expect(await fits(ledgerWith(estimated - 5))).toBe(true);
  expect(await fits(ledgerWith(estimated + 5))).toBe(false);
});

test('fullestLedger names the fullest funder and year, with its share of the limit', () => {
  expect(fullestLedger([])).toBeUndefined();
  const fullest = fullestLedger([ledgerWith(10), ledgerWith(2_000, 'warwickshire')]);
  expect(fullest).toMatchObject({ fy: '2026/27', funder: 'warwickshire', allocations: 2_000 });
  expect(fullest!.percent).toBe(Math.ceil((fullest!.bytes / ITEM_LIMIT_BYTES) * 100));
  expect(fullest!.percent).toBeGreaterThan(50);
});

test('the sync reports the fullest ledger of the run, and warns from 75 % of the limit', () => {
  const year = (fy: string, count: number) => ({
    fy,
    outcome: 'reconciled' as const,
    deltaPages: 1,
    drift: [],
    inFlight: [],
    eventsRecorded: 0,
    fullestLedger: fullestLedger([{ ...ledgerWith(count), fy }]),
  });
  const fullest = fullestOfRun([year('2025/26', 100), year('2026/27', 2_200), { ...year('2027/28', 0), fullestLedger: undefined }]);
  expect(fullest).toMatchObject({ fy: '2026/27', allocations: 2_200 });
  expect(fullest!.percent).toBeGreaterThanOrEqual(LEDGER_WARN_PERCENT);
  expect(fullestOfRun([year('2025/26', 100)])!.percent).toBeLessThan(LEDGER_WARN_PERCENT);
  expect(fullestOfRun([])).toBeUndefined();
});
