/**
 * DESIGN §9 `reconcile_ratio`: reconcile of 10,000 bids ÷ a raw Query of the same bids, on the
 * same engine (embedded dynalite, in memory). Prints JSON. Run: npx tsx tests/bench/reconcile-ratio.ts [bids]
 * Measures the steady state (outboxes of bids unchanged since the last pass are not re-read)
 * and the very first pass (every bid's outbox checked once).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent, Bid } from '../../domain';
import { createDocumentClient, createDynamoClient } from '../../functions/store/client';
import { ensureTable } from '../../functions/store/create-table';
import { DynamoFundStore } from '../../functions/store/dynamo-store';
import { keys } from '../../functions/store/keys';
import { BIDS_BY_FY_INDEX } from '../../functions/store/table-schema';
import { reconcileYear } from '../../functions/sync/reconcile';
import { defaultDeps } from '../../functions/use-cases/deps';
import { startDynalite } from '../../local/embedded-dynalite';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const FY = '2025/26';
const COUNT = Number(process.argv[2] ?? 10_000);

async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>, concurrency = 16) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] as number;
}

async function main() {
  const database = await startDynalite();
  const client = createDynamoClient({ endpoint: database.endpoint });
  await ensureTable(client, 'bench');
  const doc = createDocumentClient(client);
  const store = new DynamoFundStore(doc, 'bench');
  const deps = defaultDeps(store);
  await store.createLedger(FY, 'west-mercia', 1_035_000_000);
  await store.createLedger(FY, 'warwickshire', 465_000_000);
  const now = new Date(Date.now() - 3_600_000).toISOString();
  const ids = Array.from({ length: COUNT }, (_, i) => `FS-${String(i + 1).padStart(6, '0')}`);
  await inParallel(
    ids,
    async (id) => {
      const n = Number(id.slice(3));
      const approved = n % 5 === 0; // one in five approved by both funders, with ledger entries
      const bid: Bid = {
        id,
        fy: FY,
        title: `Bench bid ${n}`,
        leadOrganisation: 'shropshire',
        scope: 'alliance',
        crimeTypes: ['rural'],
        requestedPence: 10_000,
        status: approved ? 'approved' : 'submitted',
        proposedPence: null,
        recommendedPence: approved ? 10_000 : null,
        shares: { 'west-mercia': 6_900, warwickshire: 3_100 },
        decisions: approved ? { 'west-mercia': 'approved', warwickshire: 'approved' } : {},
        version: 1,
        createdAt: now,
        updatedAt: now,
        createdBy: 'bench',
        updatedBy: 'bench',
      };
      const event: AuditEvent = {
        bidId: id,
        at: now,
        actor: 'bench',
        role: 'finance',
        action: 'create',
        from: null,
        to: bid.status,
        version: 1,
        requestId: `bench-${id}`,
      };
      await store.insertBid(bid, event, `bench-${id}`);
      await store.recordEvents([event]);
      if (approved) {
        for (const [funder, share] of [
          ['west-mercia', 6_900],
          ['warwickshire', 3_100],
        ] as const) {
          await store.commitShare(FY, funder, id, {
            sharePence: share,
            state: 'committed',
            by: 'bench',
            at: now,
            requestId: `bench-${id}`,
          });
        }
      }
    },
    8,
  );

  const rawQuery = async () => {
    let start: Record<string, unknown> | undefined;
    let n = 0;
    do {
      const out = await doc.send(
        new QueryCommand({
          TableName: 'bench',
          IndexName: BIDS_BY_FY_INDEX,
          KeyConditionExpression: 'fyKey = :fy',
          ExpressionAttributeValues: { ':fy': keys.fyIndexKey(FY) },
          ExclusiveStartKey: start,
        }),
      );
      n += out.Items?.length ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    if (n !== COUNT) throw new Error(`raw query saw ${n} bids`);
  };
  const steady = async () => {
    const result = await reconcileYear(deps, FY, await store.bidsOfYear(FY), {
      graceMs: 0,
      outboxCheckFrom: new Date(Date.now() - 60_000).toISOString(),
    });
    if (result.drift.length > 0) throw new Error(`unexpected drift ${JSON.stringify(result.drift[0])}`);
  };
  const first = async () => {
    await reconcileYear(deps, FY, await store.bidsOfYear(FY), { graceMs: 0 });
  };
  await rawQuery();
  await steady();
  const rawMs = await median(5, rawQuery);
  const steadyMs = await median(5, steady);
  const firstMs = await median(1, first);
  console.log(
    JSON.stringify({
      bids: COUNT,
      raw_query_ms: Math.round(rawMs),
      reconcile_ms: Math.round(steadyMs),
      reconcile_ratio: +(steadyMs / rawMs).toFixed(2),
      first_pass_ms: Math.round(firstMs),
      first_pass_ratio: +(firstMs / rawMs).toFixed(2),
    }),
  );
  client.destroy();
  await database.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
