/**
 * Test harness: the real local stack (embedded dynalite in memory, the real HTTP app) on free
 * ports, plus a small typed client. Every test file starts its own and stops it in afterAll.
 */
import type { Actor } from '../../domain';
import type { AppLogger } from '../../functions/logger';
import { testActors, type TestActorName } from './actors';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/stack';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const silentLogger: AppLogger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

export { testActors, type TestActorName };

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TestApi {
  stack: LocalStack;
  /** A signed dev token for one of the test actors (or any actor). */
  token: (actor: TestActorName | Actor) => Promise<string>;
  /** Call the API as an actor (or anonymously with null). */
  call: <T = Record<string, unknown>>(
    actor: TestActorName | Actor | null,
    method: string,
    path: string,
    options?: { body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ) => Promise<ApiResponse<T>>;
  stop: () => Promise<void>;
}

export async function startTestApi(options: LocalStackOptions = {}): Promise<TestApi> {
  const stack = await startLocalStack({ logger: silentLogger, ...options });
  const tokens = new Map<string, string>();
  const token = async (who: TestActorName | Actor) => {
    const actor = typeof who === 'string' ? testActors[who] : who;
    const cacheKey = JSON.stringify(actor);
    let cached = tokens.get(cacheKey);
    if (!cached) {
      cached = (await stack.issuer.issue(actor)).token;
      tokens.set(cacheKey, cached);
    }
    return cached;
  };
  const call: TestApi['call'] = async (actor, method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (actor !== null) headers.authorization = `Bearer ${await token(actor)}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${stack.apiUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: leave the text for the assertion to show
    }
    return { status: response.status, headers: response.headers, body: parsed as never };
  };
  return { stack, token, call, stop: stack.stop };
}
