/**
 * Coalesces the custom functions' budget look-ups. Every call that arrives within a short window
 * shares one request per financial year; a success is cached briefly; a failure rejects every
 * call that was waiting on it (never a cell left #BUSY! forever), and the next call tries again.
 */
import type { Budget } from '../../domain';

export interface BudgetBatcherOptions {
  /** How long to gather calls before sending (ms). */
  windowMs?: number;
  /** How long a fetched budget stays fresh (ms). */
  ttlMs?: number;
  now?: () => number;
}

interface Waiter {
  resolve: (budget: Budget) => void;
  reject: (error: unknown) => void;
}

export class BudgetBatcher {
  private readonly waiting = new Map<string, Waiter[]>();
  private readonly cache = new Map<string, { budget: Budget; at: number }>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly windowMs: number;
  private readonly ttlMs: number;
  private readonly now: () => number;
  /** Requests sent, for tests and diagnostics. */
  requests = 0;

  constructor(
    private readonly load: (fy: string) => Promise<Budget>,
    options: BudgetBatcherOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 20;
    this.ttlMs = options.ttlMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  get(fy: string): Promise<Budget> {
    const cached = this.cache.get(fy);
    if (cached && this.now() - cached.at < this.ttlMs) return Promise.resolve(cached.budget);
    return new Promise<Budget>((resolve, reject) => {
      const list = this.waiting.get(fy) ?? [];
      list.push({ resolve, reject });
      this.waiting.set(fy, list);
      this.timer ??= setTimeout(() => this.flush(), this.windowMs);
    });
  }

  /** Forget cached budgets (after a sign-in change, a push or a refresh). */
  clear(): void {
    this.cache.clear();
  }

  private flush(): void {
    this.timer = null;
    const batch = [...this.waiting.entries()];
    this.waiting.clear();
    for (const [fy, waiters] of batch) {
      this.requests++;
      let loading: Promise<Budget>;
      try {
        loading = this.load(fy);
      } catch (error) {
        loading = Promise.reject(error);
      }
      loading.then(
        (budget) => {
          this.cache.set(fy, { budget, at: this.now() });
          for (const w of waiters) w.resolve(budget);
        },
        (error: unknown) => {
          for (const w of waiters) w.reject(error);
        },
      );
    }
  }
}
