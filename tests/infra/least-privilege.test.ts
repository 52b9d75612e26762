/**
 * Least privilege, proven against the code rather than read off the template: the real API app
 * and the real sync run with DynamoDB and S3 clients that allow a call only if the synthesised
 * IAM policy of that function's role allows it (action and resource, IAM wildcard rules).
 * DynamoDB is dynalite; S3 is an in-memory stand-in that answers like S3 does (a missing key is
 * 404 only for a caller allowed to list the bucket, else 403). If the code starts making a call
 * its role lacks (a CopyObject on the export bucket, a Scan), this test fails, and it names the call.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3ServiceException,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Template } from 'aws-cdk-lib/assertions';
import { apiGatewayAuthenticator } from '../../functions/auth/authenticators';
import { createApp } from '../../functions/http/app';
import { createDocumentClient, createDynamoClient } from '../../functions/store/client';
import { ensureTable } from '../../functions/store/create-table';
import { DynamoFundStore } from '../../functions/store/dynamo-store';
import { DynamoSyncStore } from '../../functions/store/dynamo-sync-store';
import { runSync, type SyncReport } from '../../functions/sync/run-sync';
import { S3FileArea } from '../../functions/sync/s3-file-area';
import { defaultDeps } from '../../functions/use-cases/deps';
import { startDynalite, type EmbeddedDynalite } from '../../local/embedded-dynalite';
import { silentLogger } from '../support/stack';
import { asList, buildFixture, removeOutdir, roleStatements, type Fixture } from './fundshare-fixture';

const REGION = 'eu-west-2';
const ACCOUNT = '123456789012';
const TABLE = 'fundshare-least-privilege';
const BUCKETS = { intake: 'fundshare-intake-test', export: 'fundshare-export-test' };
const FY = '2025/26';
const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
};

// ---- the synthesised policies, with intrinsics resolved to concrete names --------------------

type Intrinsic = string | { [fn: string]: unknown };
interface Allow {
  actions: string[];
  resources: string[];
}

function resolver(fx: Fixture): (value: Intrinsic) => string {
  const data = fx.data.toJSON() as {
    Resources: Record<string, { Type: string }>;
    Outputs: Record<string, { Value: Intrinsic; Export?: { Name: string } }>;
  };
  const exports = new Map(Object.values(data.Outputs).flatMap((o) => (o.Export ? [[o.Export.Name, o.Value] as const] : [])));
  const bucketName = (id: string) =>
    id.startsWith('IntakeBucket') ? BUCKETS.intake : id.startsWith('ExportBucket') ? BUCKETS.export : `other-${id}`;
  const dataValue = (id: string, attribute: 'Ref' | 'Arn'): string => {
    const type = data.Resources[id]?.Type;
    if (type === 'AWS::DynamoDB::Table') return attribute === 'Ref' ? TABLE : `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${TABLE}`;
    if (type === 'AWS::S3::Bucket') return attribute === 'Ref' ? bucketName(id) : `arn:aws:s3:::${bucketName(id)}`;
    throw new Error(`no test value for ${id} (${type})`);
  };
  const resolve = (value: Intrinsic, inData: boolean): string => {
    if (typeof value === 'string') return value;
    if ('Fn::ImportValue' in value) {
      const exported = exports.get(value['Fn::ImportValue'] as string);
      if (!exported) throw new Error(`no export ${String(value['Fn::ImportValue'])}`);
      return resolve(exported, true);
    }
    if ('Fn::Join' in value) {
      const [separator, parts] = value['Fn::Join'] as [string, Intrinsic[]];
      return parts.map((p) => resolve(p, inData)).join(separator);
    }
    if ('Fn::GetAtt' in value) {
      const [id, attribute] = value['Fn::GetAtt'] as [string, string];
      return inData ? dataValue(id, attribute as 'Arn') : `arn:test:::${id}.${attribute}`;
    }
    if ('Ref' in value && PSEUDO_PARAMETERS[value.Ref as string]) return PSEUDO_PARAMETERS[value.Ref as string]!;
    if ('Ref' in value) return inData ? dataValue(value.Ref as string, 'Ref') : `arn:test:::${String(value.Ref)}`;
    throw new Error(`cannot resolve ${JSON.stringify(value)}`);
  };
  return (value) => resolve(value, false);
}

function policyOf(fx: Fixture, template: Template, rolePrefix: string): Allow[] {
  const resolve = resolver(fx);
  return roleStatements(template, rolePrefix)
    .filter((s) => s.Effect === 'Allow')
    .map((s) => ({ actions: asList(s.Action), resources: asList(s.Resource as Intrinsic | Intrinsic[]).map(resolve) }));
}

const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
const allows = (policy: Allow[], action: string, resource: string) =>
  policy.some((s) => s.actions.some((a) => glob(a).test(action)) && s.resources.some((r) => glob(r).test(resource)));

// ---- clients that enforce a policy ------------------------------------------------------------

interface Enforcer {
  policy: Allow[];
  denied: string[];
  allowedCalls: Set<string>;
}

function enforcer(policy: Allow[]): Enforcer {
  return { policy, denied: [], allowedCalls: new Set() };
}

function check(e: Enforcer, action: string, resource: string): boolean {
  if (allows(e.policy, action, resource)) {
    e.allowedCalls.add(action);
    return true;
  }
  e.denied.push(`${action} on ${resource}`);
  return false;
}

function accessDenied(what: string): S3ServiceException {
  return new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: `denied: ${what}` });
}

/** A DynamoDB client on dynalite that refuses any call the role's policy does not allow. */
function enforcingDynamo(endpoint: string, e: Enforcer): DynamoDBClient {
  const client = createDynamoClient({ endpoint, region: REGION });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { TableName?: string; IndexName?: string; RequestItems?: Record<string, unknown> };
      const action = `dynamodb:${String(context.commandName).replace(/Command$/, '')}`;
      // A batch call names its tables in RequestItems; IAM checks the action on each of them.
      const tables = input.RequestItems ? Object.keys(input.RequestItems) : [input.TableName];
      for (const name of tables) {
        const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
        const resource = input.IndexName ? `${table}/index/${input.IndexName}` : table;
        if (!check(e, action, resource)) {
          throw Object.assign(new Error(`AccessDeniedException: ${action} on ${resource}`), {
            name: 'AccessDeniedException',
            $fault: 'client',
          });
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'enforceRolePolicy' },
  );
  return client;
}

interface StoredObject {
  body: Uint8Array;
  contentType?: string;
  lastModified: Date;
}

/** S3 in memory, answering as S3 does for the commands S3FileArea sends, under the role's policy. */
class PolicyS3 {
  readonly buckets = new Map<string, Map<string, StoredObject>>([
    [BUCKETS.intake, new Map()],
    [BUCKETS.export, new Map()],
  ]);
  constructor(private readonly e: Enforcer) {}

  private bucket(name: string): Map<string, StoredObject> {
    const bucket = this.buckets.get(name);
    if (!bucket) throw new Error(`no bucket ${name}`);
    return bucket;
  }

  private missing(bucket: string, key: string, head: boolean): Error {
    // Without s3:ListBucket, S3 will not say whether a key exists: 403, not 404.
    if (!allows(this.e.policy, 's3:ListBucket', `arn:aws:s3:::${bucket}`)) return accessDenied(`${key} (no s3:ListBucket)`);
    return head
      ? new NotFound({ message: 'Not Found', $metadata: {} })
      : new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} });
  }

  async send(command: unknown): Promise<unknown> {
    const object = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;
    if (command instanceof ListObjectsV2Command) {
      const { Bucket, Prefix = '', Delimiter } = command.input;
      if (!check(this.e, 's3:ListBucket', `arn:aws:s3:::${Bucket}`)) throw accessDenied('list');
      const keys = [...this.bucket(Bucket!).keys()].filter(
        (k) => k.startsWith(Prefix) && (!Delimiter || !k.slice(Prefix.length).includes(Delimiter)),
      );
      return {
        Contents: keys.sort().map((Key) => ({
          Key,
          Size: this.bucket(Bucket!).get(Key)!.body.length,
          LastModified: this.bucket(Bucket!).get(Key)!.lastModified,
        })),
        IsTruncated: false,
      };
    }
    if (command instanceof GetObjectCommand || command instanceof HeadObjectCommand) {
      const { Bucket, Key } = command.input;
      if (!check(this.e, 's3:GetObject', object(Bucket!, Key!))) throw accessDenied(`get ${Key}`);
      const stored = this.bucket(Bucket!).get(Key!);
      if (!stored) throw this.missing(Bucket!, Key!, command instanceof HeadObjectCommand);
      return command instanceof HeadObjectCommand
        ? { ContentLength: stored.body.length }
        : { Body: { transformToByteArray: async () => stored.body }, ContentType: stored.contentType };
    }
    if (command instanceof PutObjectCommand) {
      const { Bucket, Key, Body, ContentType } = command.input;
      if (!check(this.e, 's3:PutObject', object(Bucket!, Key!))) throw accessDenied(`put ${Key}`);
      const body = typeof Body === 'string' ? new TextEncoder().encode(Body) : (Body as Uint8Array);
      this.bucket(Bucket!).set(Key!, { body, ...(ContentType ? { contentType: ContentType } : {}), lastModified: new Date() });
      return {};
    }
    if (command instanceof CopyObjectCommand) {
      const { Bucket, Key, CopySource } = command.input;
      const [sourceBucket, ...sourceKeyParts] = CopySource!.split('/');
      const sourceKey = sourceKeyParts.map(decodeURIComponent).join('/');
      const readable = check(this.e, 's3:GetObject', object(sourceBucket!, sourceKey));
      const writable = check(this.e, 's3:PutObject', object(Bucket!, Key!));
      if (!readable || !writable) throw accessDenied(`copy ${sourceKey} to ${Key}`);
      const stored = this.bucket(sourceBucket!).get(sourceKey);
      if (!stored) throw this.missing(sourceBucket!, sourceKey, false);
      this.bucket(Bucket!).set(Key!, { ...stored, lastModified: new Date() });
      return {};
    }
    if (command instanceof DeleteObjectCommand) {
      const { Bucket, Key } = command.input;
      if (!check(this.e, 's3:DeleteObject', object(Bucket!, Key!))) throw accessDenied(`delete ${Key}`);
      this.bucket(Bucket!).delete(Key!);
      return {};
    }
    throw new Error(`the S3 stand-in does not know ${(command as object).constructor.name}`);
  }
}

// ---- the runs -------------------------------------------------------------------------------

let fx: Fixture;
let db: EmbeddedDynalite;
let apiPolicy: Allow[];
let syncPolicy: Allow[];
const clients: DynamoDBClient[] = [];

beforeAll(async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  fx = buildFixture();
  apiPolicy = policyOf(fx, fx.service, 'ApiFunctionRole');
  syncPolicy = policyOf(fx, fx.service, 'SyncSyncFunctionRole');
  db = await startDynalite({});
  const admin = createDynamoClient({ endpoint: db.endpoint, region: REGION });
  await ensureTable(admin, TABLE);
  admin.destroy();
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.destroy();
  await db?.close();
  removeOutdir(fx);
});

function apiAs(e: Enforcer) {
  const client = enforcingDynamo(db.endpoint, e);
  clients.push(client);
  const app = createApp({
    deps: defaultDeps(new DynamoFundStore(createDocumentClient(client), TABLE)),
    authenticate: apiGatewayAuthenticator(),
    logger: silentLogger,
    allowedOrigins: [],
  });
  // As API Gateway's JWT authorizer hands them over: array claims flattened to "[a b]".
  return async (roles: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const event = { requestContext: { authorizer: { jwt: { claims: { sub: `user-${roles}`, roles: `[${roles}]` } } } } };
    const response = await app.request(
      path,
      {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
      { event },
    );
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
}

function syncAs(e: Enforcer) {
  const client = enforcingDynamo(db.endpoint, e);
  clients.push(client);
  const doc = createDocumentClient(client);
  const s3 = new PolicyS3(e);
  const deps = {
    fund: defaultDeps(new DynamoFundStore(doc, TABLE)),
    sync: new DynamoSyncStore(doc, TABLE),
    intake: new S3FileArea(s3 as unknown as S3Client, BUCKETS.intake),
    exports: new S3FileArea(s3 as unknown as S3Client, BUCKETS.export),
    logger: silentLogger,
    metrics: { count: () => undefined },
  };
  return { s3, run: (): Promise<SyncReport> => runSync(deps, { graceMs: 0, intakeSettleMs: 0 }) };
}

describe('with exactly the permissions its role is granted', () => {
  const api = enforcer([]);

  it('the API serves a bid from creation to approval, lists by year (the index) and reads history', async () => {
    api.policy = apiPolicy;
    const call = apiAs(api);
    const ok = (r: { status: number; body: unknown }, status = 200) => {
      expect({ status: r.status, denied: api.denied }).toEqual({ status, denied: [] });
      return r.body as Record<string, unknown> & { id: string; version: number };
    };
    ok(
      await call('admin', 'PUT', '/years/2025-26/budget', {
        fundPence: 150_000_000,
        pots: { 'west-mercia': 103_500_000, warwickshire: 46_500_000 },
      }),
    );
    const created = ok(
      await call(
        'finance',
        'POST',
        '/bids',
        {
          fy: FY,
          title: 'Farm watch cameras',
          leadOrganisation: 'shropshire',
          scope: 'alliance',
          crimeTypes: ['rural'],
          requestedPence: 100_001,
          outcomeMeasures: [{ measure: 'Farms visited', unit: 'visits', target: 120 }],
          submit: true,
        },
        { 'idempotency-key': 'least-privilege-1' },
      ),
      201,
    );
    const recommended = ok(
      await call(
        'board',
        'POST',
        `/bids/${created.id}/actions/recommend`,
        { amountPence: 100_001 },
        { 'if-match': `"${created.version}"` },
      ),
    );
    const half = ok(
      await call(
        'pcc.west-mercia',
        'POST',
        `/bids/${created.id}/actions/approve`,
        { interestsConfirmed: true },
        { 'if-match': `"${recommended.version}"` },
      ),
    );
    const approved = ok(
      await call(
        'pcc.warwickshire',
        'POST',
        `/bids/${created.id}/actions/approve`,
        { interestsConfirmed: true },
        { 'if-match': `"${half.version}"` },
      ),
    );
    expect(approved.status).toBe('approved');
    const listed = ok(await call('finance', 'GET', `/bids?fy=${encodeURIComponent(FY)}`));
    expect((listed.bids as { id: string }[]).map((b) => b.id)).toContain(created.id);
    ok(await call('finance', 'GET', `/bids/${created.id}/history`));
    ok(await call('finance', 'GET', '/years/2025-26/budget'));
    expect([...api.allowedCalls].sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
  });

  it('the sync ingests an intake file, reconciles and exports every format', async () => {
    const e = enforcer(syncPolicy);
    const sync = syncAs(e);
    const csv = [
      'Title,Lead organisation,Scope,Crime types,Cyber strands,Financial year,Requested (£),Description',
      'Cyber surgeries for farms,herefordshire,west-mercia,cyber,protect,2025/26,2500.00,',
      'No amount,herefordshire,west-mercia,rural,,2025/26,,',
    ].join('\n');
    sync.s3.buckets
      .get(BUCKETS.intake)!
      .set('plans.csv', { body: new TextEncoder().encode(csv), lastModified: new Date(Date.now() - 3_600_000) });

    const report = await sync.run();
    expect(e.denied).toEqual([]);
    expect(report.status).toBe('completed');
    const intakeKeys = [...sync.s3.buckets.get(BUCKETS.intake)!.keys()].sort();
    expect(intakeKeys).toContain('done/plans.csv');
    expect(intakeKeys).not.toContain('plans.csv');
    expect(intakeKeys.some((k) => k !== 'done/plans.csv' && k.includes('plans'))).toBe(true); // the rejection report
    const exportKeys = [...sync.s3.buckets.get(BUCKETS.export)!.keys()];
    expect(exportKeys.filter((k) => k.startsWith('latest/')).sort()).toEqual([
      'latest/fundshare-2025-26-panel.xlsx',
      'latest/fundshare-2025-26.allocations.csv',
      'latest/fundshare-2025-26.bids.csv',
      'latest/fundshare-2025-26.budget-changes.csv',
      'latest/fundshare-2025-26.declarations.csv',
      'latest/fundshare-2025-26.jsonl',
      'latest/fundshare-2025-26.ledgers.csv',
      'latest/fundshare-2025-26.payments.csv',
      'latest/fundshare-2025-26.returns.csv',
      'latest/fundshare-2025-26.xlsx',
    ]);
    // Used, and granted: nothing in the role goes unused, nothing used goes ungranted.
    expect([...e.allowedCalls].sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      's3:DeleteObject',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
    ]);
  });
});

describe('the enforcement itself', () => {
  it('stops the sync when run with the API role (no S3 at all)', async () => {
    const e = enforcer(apiPolicy);
    const sync = syncAs(e);
    sync.s3.buckets.get(BUCKETS.intake)!.set('more.csv', { body: new TextEncoder().encode('Title\n'), lastModified: new Date(0) });
    await expect(sync.run()).rejects.toThrow();
    expect(e.denied.some((d) => d.startsWith('s3:ListBucket'))).toBe(true);
  });

  it('stops the API listing bids without Query on the index', async () => {
    const withoutIndex = apiPolicy.map((s) => ({ ...s, resources: s.resources.filter((r) => !r.includes('/index/')) }));
    const e = enforcer(withoutIndex);
    const response = await apiAs(e)('finance', 'GET', `/bids?fy=${encodeURIComponent(FY)}`);
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(e.denied).toEqual([expect.stringMatching(/^dynamodb:Query on .*\/index\/bidsByFy$/)]);
  });
});
