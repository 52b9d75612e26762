/**
 * What the store-backed measurements share: the real local stack (startLocalStack: embedded
 * dynalite in memory, the real HTTP app on a free port, the dev token issuer), a separate
 * DocumentClient on the same engine for the raw baselines, and the seeded year of bids.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { defaultCostShare, FUNDER_IDS, type Actor } from '../../domain';
import type { AppLogger } from '../../functions/logger';
import { createDocumentClient, createDynamoClient } from '../../functions/store/client';
import { keys } from '../../functions/store/keys';
import { BIDS_BY_FY_INDEX } from '../../functions/store/table-schema';
import { setBudget } from '../../functions/use-cases/budget';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { progress } from './config';
import { makeDataset, seedDataset, type BenchDataset } from './dataset';
import { grouped, timed } from './stats';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/**
 * The API logs a line per request. Here each line is still built and serialised (the work a
 * Lambda's logger does), then dropped: stdout belongs to the bench's report.
 */
let _loggedChars = 0;
const discard = (...args: unknown[]) => {
  _loggedChars += JSON.stringify(args).length;
};
export const discardingLogger = { info: discard, warn: discard, error: discard, debug: discard } as unknown as AppLogger;

export const ACTORS = {
  admin: { sub: 'bench-admin', roles: ['admin'] },
  finance: { sub: 'bench-finance', roles: ['finance'] },
  westMerciaPcc: { sub: 'bench-pcc-wm', roles: ['pcc'], funder: 'west-mercia' },
} satisfies Record<string, Actor>;

export interface BenchEnvironment {
  stack: LocalStack;
  /** The bench's own client on the same dynalite, for raw baselines. */
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  token: (actor: Actor) => Promise<string>;
  dataset: BenchDataset;
  stop: () => Promise<void>;
}

/**
 * Use `count` of the bench client's pooled connections at once, untimed, just before a raw round.
 * dynalite's HTTP server drops keep-alive sockets idle for 5 s; a timed burst must not be the one
 * that finds them gone (ECONNRESET, retried by the SDK inside the timing), while the API's own
 * client, busy all along, never meets a stale socket.
 */
export async function refreshConnections(doc: DynamoDBDocumentClient, tableName: string, count: number): Promise<void> {
  const probe = () => doc.send(new GetCommand({ TableName: tableName, Key: { pk: 'BENCH#PROBE', sk: 'PROBE' } }));
  await Promise.all(Array.from({ length: count }, () => probe().catch(probe)));
}

/** The year the pull, reconcile and sync measurements read. */
export const BENCH_FY = '2026/27';

/**
 * The baseline of pull_ratio and reconcile_ratio: a raw DocumentClient Query of a year's bids on
 * the GSI, every page (of `limit` items when given), on fresh pooled connections. Returns the
 * milliseconds it took; throws if it did not read `expected` bids.
 */
export async function rawYearQuery(env: BenchEnvironment, fy: string, expected: number, limit?: number): Promise<number> {
  await refreshConnections(env.doc, env.stack.tableName, 1);
  let start: Record<string, unknown> | undefined;
  let items = 0;
  const t = performance.now();
  do {
    const out = await env.doc.send(
      new QueryCommand({
        TableName: env.stack.tableName,
        IndexName: BIDS_BY_FY_INDEX,
        KeyConditionExpression: 'fyKey = :fy',
        ExpressionAttributeValues: { ':fy': keys.fyIndexKey(fy) },
        ...(limit !== undefined ? { Limit: limit } : {}),
        ExclusiveStartKey: start,
      }),
    );
    items += out.Items?.length ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  const elapsed = performance.now() - t;
  if (items !== expected) throw new Error(`raw query read ${items} bids, not ${expected}`);
  return elapsed;
}

export async function startBenchEnvironment(bids: number): Promise<BenchEnvironment> {
  const stack = await startLocalStack({ logger: discardingLogger });
  const client = createDynamoClient({ endpoint: stack.dynamoEndpoint });
  const doc = createDocumentClient(client);
  const tokens = new Map<string, string>();
  const token = async (actor: Actor) => {
    const key = JSON.stringify(actor);
    let value = tokens.get(key);
    if (!value) {
      value = (await stack.issuer.issue(actor)).token;
      tokens.set(key, value);
    }
    return value;
  };
  try {
    const costShare = defaultCostShare();
    const dataset = makeDataset({ count: bids, fy: BENCH_FY, now: new Date(), costShare });
    // A year of this many bids: the fund is sized so every approved share fits its pot.
    const needed = Math.max(...FUNDER_IDS.map((f) => Math.ceil((dataset.committedByFunder[f] * 10_000) / costShare[f])));
    const fundPence = Math.max(150_000_000, Math.ceil((needed * 1.2) / 100) * 100);
    const budget = await setBudget(stack.deps, BENCH_FY, { fundPence }, ACTORS.admin);
    if (!budget.ok) throw new Error(`setting the bench budget failed: ${budget.error.message}`);
    progress(`seeding ${grouped(bids)} bids (${grouped(dataset.entries.length)} ledger entries) through the store port`);
    const seedMs = await timed(() => seedDataset(stack.deps.store, dataset));
    progress(`seeded in ${(seedMs / 1000).toFixed(1)} s`);
    return {
      stack,
      client,
      doc,
      token,
      dataset,
      stop: async () => {
        client.destroy();
        await stack.stop();
      },
    };
  } catch (error) {
    client.destroy();
    await stack.stop();
    throw error;
  }
}
