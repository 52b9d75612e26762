/**
 * The typed Fundshare API client the pane and the custom functions share. Every response is
 * parsed with the domain's zod schemas; every POST carries an Idempotency-Key that a retry
 * reuses, so a retried push never applies twice.
 * request → token → fetch (timeout) → problem details → ApiError | parsed body
 */
import type * as z from 'zod/mini';
import {
  allocationBatchResultSchema,
  bidHistorySchema,
  bidPageSchema,
  bidSchema,
  budgetSchema,
  decisionBatchResultSchema,
  declarationListSchema,
  financialYearToPath,
  MAX_BATCH_ROWS,
  yearReportSchema,
  returnListSchema,
  type Actor,
  type AllocationResult,
  type AllocationRow,
  type AuditEvent,
  type Bid,
  type Budget,
  type DecisionResult,
  type DecisionRow,
  type Declaration,
  type YearReport,
  type MonitoringReturn,
} from '../../domain';
import { ApiError, kindForStatus, messageFor, problemSchema, type Problem } from './api-error';
import { contractUrl, type ContractUrl } from './contract-url';
import { demoUsersSchema, devTokenSchema, type DemoUser, type DevPath } from './schemas';

/** One instalment of a schedule as finance sends it (docs/design.md §3.1). */
export interface ScheduledInstalment {
  due: string;
  amountPence: number;
  /** A quarter like 2026-27-Q2: the instalment waits for that monitoring return. */
  requiresReturn?: string;
}

export interface ClientOptions {
  /** API base URL, e.g. http://127.0.0.1:3001 (no trailing slash needed). */
  baseUrl: string;
  /** A bearer token, or null when not signed in (public routes only). */
  getToken: () => Promise<string | null>;
  fetch?: typeof fetch;
  /** Id generator for Idempotency-Key headers (a UUID). */
  newIdempotencyKey?: () => string;
  sleep?: (ms: number) => Promise<void>;
  /** Retries after a network failure or a 503 (default 2). */
  maxRetries?: number;
  /** Per request, ms (default 30 s). */
  timeoutMs?: number;
}

export interface PullProgress {
  pages: number;
  bids: number;
}

/** Most rows one push request carries (the API's own limit). */
export const PUSH_BATCH_ROWS = MAX_BATCH_ROWS;
const PAGE_LIMIT = 1000;
const MAX_RETRY_WAIT_MS = 5000;

export function randomIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class FundshareClient {
  readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly newKey: () => string;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.newKey = options.newIdempotencyKey ?? randomIdempotencyKey;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.maxRetries = options.maxRetries ?? 2;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  health(): Promise<unknown> {
    return this.request('GET', contractUrl('get', '/health'), undefined, { anonymous: true });
  }

  async budget(fy: string): Promise<Budget> {
    const url = contractUrl('get', '/years/{fy}/budget', { path: { fy: financialYearToPath(fy) } });
    return this.parse(budgetSchema, await this.request('GET', url));
  }

  /** The year's report for the panel pack (docs/design.md §1.4). */
  async yearReport(fy: string): Promise<YearReport> {
    const url = contractUrl('get', '/years/{fy}/report', { path: { fy: financialYearToPath(fy) } });
    return this.parse(yearReportSchema, await this.request('GET', url));
  }

  /** Every monitoring return of the year (for checks 7–8 in the sheet). */
  async yearReturns(fy: string): Promise<MonitoringReturn[]> {
    const url = contractUrl('get', '/years/{fy}/returns', { path: { fy: financialYearToPath(fy) } });
    return this.parse(returnListSchema, await this.request('GET', url)).returns;
  }

  /** The year's declarations of interest (they bar a board member from deciding on a bid). */
  async declarations(fy: string): Promise<Declaration[]> {
    const url = contractUrl('get', '/years/{fy}/declarations', { path: { fy: financialYearToPath(fy) } });
    return this.parse(declarationListSchema, await this.request('GET', url)).declarations;
  }

  /** Every bid of a year (or only those changed since a sync token), page by page. */
  async listBids(
    fy: string,
    options: { since?: string; onPage?: (progress: PullProgress) => void } = {},
  ): Promise<{ bids: Bid[]; syncToken: string }> {
    const bids: Bid[] = [];
    let cursor: string | null = null;
    let pages = 0;
    let syncToken: string;
    do {
      // Annotated: the loop's cursor would otherwise make the inference circular.
      const url: ContractUrl<'get', never> = contractUrl('get', '/bids', {
        query: { fy, limit: PAGE_LIMIT, since: options.since || undefined, cursor: cursor || undefined },
      });
      const page = this.parse(bidPageSchema, await this.request('GET', url));
      bids.push(...page.bids);
      cursor = page.nextCursor;
      // Pages run oldest change first, so the last page's token covers everything read; the API
      // re-reads a 60 s overlap on the next delta, and merging by version absorbs the repeats.
      syncToken = page.syncToken;
      pages++;
      options.onPage?.({ pages, bids: bids.length });
    } while (cursor);
    return { bids, syncToken };
  }

  async bid(id: string): Promise<Bid> {
    return this.parse(bidSchema, await this.request('GET', contractUrl('get', '/bids/{id}', { path: { id } })));
  }

  async history(id: string): Promise<AuditEvent[]> {
    return this.parse(bidHistorySchema, await this.request('GET', contractUrl('get', '/bids/{id}/history', { path: { id } }))).events;
  }

  /** Propose allocations in batches of at most 1,000 rows; one result per row, in order. */
  async proposeAllocations(rows: readonly AllocationRow[], onBatch?: (done: number, total: number) => void): Promise<AllocationResult[]> {
    const results: AllocationResult[] = [];
    for (let start = 0; start < rows.length; start += PUSH_BATCH_ROWS) {
      const batch = rows.slice(start, start + PUSH_BATCH_ROWS);
      const url = contractUrl('post', '/allocations/batch');
      const body = this.parse(allocationBatchResultSchema, await this.request('POST', url, { allocations: batch }));
      if (body.results.length !== batch.length) {
        throw new ApiError('bad-response', `The service answered ${body.results.length} rows for a batch of ${batch.length}.`);
      }
      results.push(...body.results);
      onBatch?.(results.length, rows.length);
    }
    return results;
  }

  /**
   * Record decisions (recommend, approve…) in batches of at most 1,000 rows, each batch with its
   * own Idempotency-Key (a retry of a batch reuses it); one result per row, in order.
   */
  async recordDecisions(rows: readonly DecisionRow[], onBatch?: (done: number, total: number) => void): Promise<DecisionResult[]> {
    const results: DecisionResult[] = [];
    for (let start = 0; start < rows.length; start += PUSH_BATCH_ROWS) {
      const batch = rows.slice(start, start + PUSH_BATCH_ROWS);
      const body = this.parse(
        decisionBatchResultSchema,
        await this.request('POST', contractUrl('post', '/decisions/batch'), { decisions: batch }),
      );
      if (body.results.length !== batch.length) {
        throw new ApiError('bad-response', `The service answered ${body.results.length} rows for a batch of ${batch.length}.`);
      }
      results.push(...body.results);
      onBatch?.(results.length, rows.length);
    }
    return results;
  }

  /** Finance sets an approved bid's payment schedule (docs/design.md §3.1); If-Match is the version the sheet showed. */
  async schedulePayments(id: string, version: number, instalments: readonly ScheduledInstalment[]): Promise<Bid> {
    const url = contractUrl('put', '/bids/{id}/payments', { path: { id } });
    return this.parse(bidSchema, await this.request('PUT', url, { instalments: [...instalments] }, { ifMatch: version }));
  }

  /** A PCC releases its own funder's part of instalment n (from 1); If-Match is the version the sheet showed. */
  async releaseInstalment(id: string, n: number, version: number): Promise<Bid> {
    const url = contractUrl('post', '/bids/{id}/payments/{n}/actions/release', { path: { id, n } });
    return this.parse(bidSchema, await this.request('POST', url, undefined, { ifMatch: version }));
  }

  async devUsers(): Promise<DemoUser[]> {
    return this.parse(demoUsersSchema, await this.request('GET', '/dev/users', undefined, { anonymous: true })).users;
  }

  async devToken(actor: Actor): Promise<{ token: string; expiresAt: string }> {
    return this.parse(devTokenSchema, await this.request('POST', '/dev/token', actor, { anonymous: true }));
  }

  private parse<T extends z.ZodMiniType>(schema: T, body: unknown): z.infer<T> {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new ApiError(
        'bad-response',
        `The service sent an unexpected answer (${first ? `${first.path.join('.')}: ${first.message}` : 'invalid'}).`,
      );
    }
    return parsed.data;
  }

  /** A contract URL takes only the body its route documents; the local dev routes are outside the contract. */
  private async request<M extends 'GET' | 'POST' | 'PUT', Body>(
    method: M,
    path: ContractUrl<Lowercase<M>, Body> | DevPath,
    body?: NoInfer<Body>,
    options: { anonymous?: boolean; ifMatch?: number } = {},
  ): Promise<unknown> {
    // One key per logical request: every retry of it sends the same one.
    const idempotencyKey = method === 'GET' ? undefined : this.newKey();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(method, path, body, idempotencyKey, options.anonymous === true, options.ifMatch);
      } catch (error) {
        if (!(error instanceof ApiError) || !error.retryable || attempt >= this.maxRetries) throw error;
        const waitMs = Math.min(MAX_RETRY_WAIT_MS, (error.retryAfterSeconds ?? 0.5 * 2 ** attempt) * 1000);
        await this.sleep(waitMs);
      }
    }
  }

  private async once(
    method: string,
    path: string,
    body: unknown,
    idempotencyKey: string | undefined,
    anonymous: boolean,
    ifMatch?: number,
  ): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (ifMatch !== undefined) headers['if-match'] = `"${ifMatch}"`;
    if (!anonymous) {
      const token = await this.options.getToken();
      if (!token) throw new ApiError('unauthorised', 'You are not signed in: connect in the Fundshare pane first.');
      headers.authorization = `Bearer ${token}`;
    }
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers,
        signal: controller.signal,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (error) {
      if (controller.signal.aborted)
        throw new ApiError('timeout', `The Fundshare service did not answer within ${Math.round(this.timeoutMs / 1000)} s.`);
      throw new ApiError(
        'network',
        `Cannot reach the Fundshare service at ${this.baseUrl} (${error instanceof Error ? error.message : 'network error'}).`,
      );
    } finally {
      clearTimeout(timer);
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        if (response.ok) throw new ApiError('bad-response', 'The service sent something that is not JSON.');
      }
    }
    if (response.ok) return parsed;
    const problemResult = problemSchema.safeParse(parsed);
    const problem: Problem | undefined = problemResult.success ? problemResult.data : undefined;
    const kind = kindForStatus(response.status, problem?.type);
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ApiError(
      kind,
      messageFor(kind, problem),
      response.status,
      problem,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }
}
