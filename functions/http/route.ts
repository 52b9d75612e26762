/**
 * Routes as data: each route declares its path, parameters, body and responses with the
 * domain's zod schemas; the same declaration validates requests (400 problem details naming the
 * field) and writes the OpenAPI document (openapi.ts). A small replacement for @hono/zod-openapi,
 * which pulled all of zod into the Lambda bundle and cost a fifth of its cold start.
 */
import type { Context, Hono } from 'hono';
import type * as z from 'zod/mini';
import { fieldIssuesFromZod, issuePath, type FieldIssue } from '../../domain';
import type { AppEnv } from './env';
import { problemResponse, type ProblemKind } from './problem';

export type Method = 'get' | 'post' | 'put' | 'patch';

export interface ResponseSpec {
  description: string;
  /** The JSON body; none for a response without content. */
  schema?: z.ZodMiniType;
}

type Maybe = z.ZodMiniType | undefined;
type Out<S extends Maybe> = S extends z.ZodMiniType ? z.output<S> : undefined;

export interface RouteSpec<P extends Maybe, Q extends Maybe, H extends Maybe, B extends Maybe> {
  method: Method;
  /** OpenAPI style: /bids/{id}. */
  path: `/${string}`;
  /** The operation's stable camelCase name in the OpenAPI document and the add-in's generated types. */
  operationId: string;
  summary: string;
  tags: string[];
  /** Needs a bearer token (the app's authentication middleware enforces it; the document says so). */
  secured: boolean;
  params?: P;
  query?: Q;
  headers?: H;
  /** A JSON body; when not required, an empty body reads as {}. */
  body?: { schema: NonNullable<B>; required: boolean };
  responses: Record<number, ResponseSpec>;
  /**
   * Problems the handler itself can answer. The document adds those the declaration implies:
   * 401 and 403 for a secured route, 400 for validated input, 413 and 415 for a body.
   */
  problems?: readonly ProblemKind[];
}

export interface RouteInput<P extends Maybe, Q extends Maybe, H extends Maybe, B extends Maybe> {
  params: Out<P>;
  query: Out<Q>;
  headers: Out<H>;
  body: Out<B>;
}

export interface Route {
  spec: RouteSpec<Maybe, Maybe, Maybe, Maybe>;
  register: (app: Hono<AppEnv>) => void;
}

const JSON_CONTENT = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

export function route<P extends Maybe = undefined, Q extends Maybe = undefined, H extends Maybe = undefined, B extends Maybe = undefined>(
  spec: RouteSpec<P, Q, H, B>,
  handler: (c: Context<AppEnv>, input: RouteInput<P, Q, H, B>) => Response | Promise<Response>,
): Route {
  const honoPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
  return {
    spec: spec as RouteSpec<Maybe, Maybe, Maybe, Maybe>,
    register: (app) =>
      app.on(spec.method.toUpperCase(), honoPath, async (c) => {
        const input: Record<string, unknown> = {};
        const issues: FieldIssue[] = [];
        const validate = (key: string, schema: z.ZodMiniType | undefined, value: unknown) => {
          if (!schema) return;
          const parsed = schema.safeParse(value);
          if (parsed.success) input[key] = parsed.data;
          else issues.push(...fieldIssuesFromZod(parsed.error));
        };
        validate('params', spec.params, c.req.param());
        validate('query', spec.query, c.req.query());
        validate('headers', spec.headers, spec.headers ? c.req.header() : undefined);
        if (spec.body) {
          const body = await readJsonBody(c, spec.body.required);
          if (body.kind === 'problem') return body.response;
          // zod drops a "__proto__" key of a record silently (it cannot be an own property of
          // its output), so a body naming one would pass as if the key were absent.
          issues.push(...prototypeKeys(body.value).map((path) => ({ path, message: 'is not a known field' })));
          validate('body', spec.body.schema, body.value);
        }
        if (issues.length > 0) return invalid(c, [...new Map(issues.map((i) => [`${i.path}|${i.message}`, i])).values()]);
        return handler(c, input as unknown as RouteInput<P, Q, H, B>);
      }),
  };
}

async function readJsonBody(
  c: Context<AppEnv>,
  required: boolean,
): Promise<{ kind: 'value'; value: unknown } | { kind: 'problem'; response: Response }> {
  const contentType = c.req.header('content-type');
  const text = await c.req.text();
  if (contentType !== undefined && !JSON_CONTENT.test(contentType)) return { kind: 'problem', response: unsupportedMediaType(c) };
  if (text.trim() === '') {
    if (!required) return { kind: 'value', value: {} };
    return { kind: 'problem', response: notJson(c) };
  }
  if (contentType === undefined) return { kind: 'problem', response: unsupportedMediaType(c) };
  try {
    return { kind: 'value', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'problem', response: notJson(c) };
  }
}

/** Paths of "__proto__" keys anywhere in a parsed JSON value (JSON.parse makes them own properties). */
function prototypeKeys(value: unknown): string[] {
  interface Node {
    value: unknown;
    key?: string;
    parent?: Node;
  }
  const pathOf = (node: Node, key: string): string => {
    const path = [key];
    for (let at: Node | undefined = node; at?.key !== undefined; at = at.parent) path.unshift(at.key);
    return issuePath(path);
  };
  const found: string[] = [];
  // A loop with parent links, not recursion or copied paths: a body may nest thousands of levels deep.
  const pending: Node[] = [{ value }];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.value === null || typeof node.value !== 'object') continue;
    for (const [key, child] of Object.entries(node.value)) {
      if (key === '__proto__') found.push(pathOf(node, key));
      else pending.push({ value: child, key, parent: node });
    }
  }
  return found;
}

export function invalid(c: Context<AppEnv>, errors: FieldIssue[]): Response {
  const detail = errors
    .slice(0, 3)
    .map((e) => `${e.path}: ${e.message}`)
    .join('; ');
  return problemResponse(c, 'invalid', errors.length > 3 ? `${detail}; and ${errors.length - 3} more` : detail, { errors });
}

const unsupportedMediaType = (c: Context<AppEnv>) =>
  problemResponse(c, 'unsupported-media-type', 'send the body as JSON with Content-Type: application/json', {
    errors: [{ path: 'content-type', message: 'must be application/json' }],
  });

const notJson = (c: Context<AppEnv>) =>
  problemResponse(c, 'invalid', 'the request body is not valid JSON', { errors: [{ path: '(body)', message: 'must be valid JSON' }] });
