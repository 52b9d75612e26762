/**
 * The OpenAPI 3.1 document, written from the route declarations and the domain's zod schemas
 * with zod's own JSON Schema generator (OpenAPI 3.1 schemas are JSON Schema 2020-12). Schemas
 * with an id (`z.meta({ id })`) become components and are referenced by `$ref`; only those the
 * routes reach are listed. It lints clean with Redocly's recommended rules (redocly.yaml).
 */
import * as z from 'zod/mini';
import { PROBLEM_CONTENT_TYPE, problemSchema, problemStatus, problemTitle, type ProblemKind } from './problem';
import type { Route } from './route';

type JsonObject = Record<string, unknown>;

const COMPONENT_PREFIX = '#/components/schemas/';
const JSON_SCHEMA_OPTIONS = { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' } as const;
const OPERATION_ID = /^[a-z][a-zA-Z0-9]*$/;
const SECURITY_SCHEME = 'bearerAuth';

export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
  license: { name: string; identifier?: string; url?: string };
}

export interface OpenApiServer {
  url: string;
  description: string;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: OpenApiInfo;
  servers: OpenApiServer[];
  security: Record<string, string[]>[];
  paths: Record<string, Record<string, JsonObject>>;
  components: { schemas: Record<string, JsonObject>; securitySchemes: Record<string, JsonObject> };
}

/** Relative, so the document is right wherever it is served: API Gateway's stage or the local server. */
export const DEFAULT_SERVERS: readonly OpenApiServer[] = [{ url: '/', description: 'The origin serving this document' }];

/** What API Gateway itself answers, before the app runs (deployed API only). */
const gatewayMessageSchema = z
  .object({ message: z.string() })
  .check(z.meta({ id: 'GatewayMessage', description: "API Gateway's own error body, for what it refuses before the app runs" }));

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function idOf(schema: z.ZodMiniType): string | undefined {
  const id = z.globalRegistry.get(schema)?.id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * zod writes a record keyed by an enum (every key required) as propertyNames + required, without
 * properties; naming each key as a property keeps the required keys defined (and typed).
 */
function defineEnumRecordKeys(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(defineEnumRecordKeys);
    return;
  }
  if (!isObject(node)) return;
  const { required, propertyNames, properties, additionalProperties } = node;
  if (Array.isArray(required) && propertyNames !== undefined && properties === undefined && isObject(additionalProperties)) {
    node.properties = Object.fromEntries(required.map((key) => [String(key), additionalProperties]));
  }
  Object.values(node).forEach(defineEnumRecordKeys);
}

/** A schema as a JSON Schema: a $ref when it is a registered component, else inline. */
function schemaFor(schema: z.ZodMiniType): JsonObject {
  const id = idOf(schema);
  if (id) return { $ref: `${COMPONENT_PREFIX}${id}` };
  const json = z.toJSONSchema(schema, { ...JSON_SCHEMA_OPTIONS, metadata: z.globalRegistry }) as JsonObject;
  delete json.$schema;
  // Registered schemas met inside come back as local $defs; point them at the components instead.
  const text = JSON.stringify(json).replace(/"#\/\$defs\/([^"]+)"/g, (_, name: string) => `"${COMPONENT_PREFIX}${name}"`);
  const inline = JSON.parse(text) as JsonObject;
  delete inline.$defs;
  defineEnumRecordKeys(inline);
  return inline;
}

function isOptional(schema: z.ZodMiniType): boolean {
  return schema.safeParse(undefined).success;
}

function parameters(shapeOwner: z.ZodMiniType | undefined, where: 'path' | 'query' | 'header'): JsonObject[] {
  if (!shapeOwner || !(shapeOwner instanceof z.ZodMiniObject)) return [];
  return Object.entries(shapeOwner.shape as Record<string, z.ZodMiniType>).map(([name, field]) => {
    const description = z.globalRegistry.get(field)?.description;
    return {
      name,
      in: where,
      required: where === 'path' || !isOptional(field),
      ...(typeof description === 'string' ? { description } : {}),
      schema: schemaFor(field),
    };
  });
}

/** The problems a declaration implies, whatever its handler does (see the app's middleware and route()). */
function impliedProblems(spec: Route['spec']): ProblemKind[] {
  const kinds: ProblemKind[] = [];
  if (spec.secured) kinds.push('unauthenticated', 'forbidden');
  if (spec.params || spec.query || spec.headers || spec.body) kinds.push('invalid');
  if (spec.body) kinds.push('payload-too-large', 'unsupported-media-type');
  return kinds;
}

/** One response per 4xx status the route can answer, naming each problem type it covers. */
function clientErrorResponses(spec: Route['spec']): Record<string, JsonObject> {
  const problem = { [PROBLEM_CONTENT_TYPE]: { schema: schemaFor(problemSchema) } };
  const gateway = { 'application/json': { schema: schemaFor(gatewayMessageSchema) } };
  const byStatus = new Map<number, ProblemKind[]>();
  for (const kind of new Set([...impliedProblems(spec), ...(spec.problems ?? [])])) {
    const status = problemStatus(kind);
    if (status >= 400 && status < 500) byStatus.set(status, [...(byStatus.get(status) ?? []), kind]);
  }
  const responses: Record<string, JsonObject> = {};
  for (const [status, kinds] of byStatus) {
    const described = kinds.map((kind) => `\`${kind}\`: ${problemTitle(kind)}`).join('; ');
    responses[status] =
      status === 401
        ? {
            description: `${described}. Deployed, the API's JWT authorizer refuses a missing or invalid token itself, with API Gateway's body`,
            content: { ...problem, ...gateway },
          }
        : { description: described, content: problem };
  }
  responses[429] = { description: "Too many requests: the deployed API's throttle, with API Gateway's body", content: gateway };
  return responses;
}

function operationFor(spec: Route['spec']): JsonObject {
  return {
    operationId: spec.operationId,
    tags: spec.tags,
    summary: spec.summary,
    // The document's security applies to every other operation.
    ...(spec.secured ? {} : { security: [] }),
    parameters: [...parameters(spec.params, 'path'), ...parameters(spec.query, 'query'), ...parameters(spec.headers, 'header')],
    ...(spec.body
      ? { requestBody: { required: spec.body.required, content: { 'application/json': { schema: schemaFor(spec.body.schema) } } } }
      : {}),
    responses: {
      ...Object.fromEntries(
        Object.entries(spec.responses).map(([status, response]) => [
          status,
          {
            description: response.description,
            ...(response.schema ? { content: { 'application/json': { schema: schemaFor(response.schema) } } } : {}),
          },
        ]),
      ),
      ...clientErrorResponses(spec),
      default: {
        description: 'Any other failure as RFC 9457 problem details: `internal` (500), `unavailable` (503, with Retry-After)',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: schemaFor(problemSchema) } },
      },
    },
  };
}

function checkOperationIds(routes: readonly Route[]): void {
  const seen = new Set<string>();
  for (const { spec } of routes) {
    if (!OPERATION_ID.test(spec.operationId)) throw new Error(`operationId ${spec.operationId} is not camelCase`);
    if (seen.has(spec.operationId)) throw new Error(`operationId ${spec.operationId} is declared twice`);
    seen.add(spec.operationId);
  }
}

/** The components the document reaches from its paths, in registry order; a $ref to nothing is a bug. */
function reachableComponents(paths: unknown, all: Record<string, JsonObject>): Record<string, JsonObject> {
  const used = new Set<string>();
  const pending: unknown[] = [paths];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) pending.push(...(node as unknown[]));
    if (!isObject(node)) continue;
    const ref = node.$ref;
    if (typeof ref === 'string' && ref.startsWith(COMPONENT_PREFIX)) {
      const name = ref.slice(COMPONENT_PREFIX.length);
      const component = all[name];
      if (!component) throw new Error(`the document refers to ${ref}, which no schema registers`);
      if (!used.has(name)) {
        used.add(name);
        pending.push(component);
      }
    }
    pending.push(...Object.values(node));
  }
  return Object.fromEntries(Object.entries(all).filter(([name]) => used.has(name)));
}

export function buildOpenApiDocument(
  routes: readonly Route[],
  info: OpenApiInfo,
  servers: readonly OpenApiServer[] = DEFAULT_SERVERS,
): OpenApiDocument {
  checkOperationIds(routes);
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const { spec } of routes) (paths[spec.path] ??= {})[spec.method] = operationFor(spec);

  const registry = z.toJSONSchema(z.globalRegistry, { ...JSON_SCHEMA_OPTIONS, uri: (id) => `${COMPONENT_PREFIX}${id}` }) as {
    schemas: Record<string, JsonObject>;
  };
  for (const schema of Object.values(registry.schemas)) {
    // $id is zod's base for its own $refs; in a component it would rebase them (and is no plain name).
    delete schema.$schema;
    delete schema.$id;
    defineEnumRecordKeys(schema);
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [...servers],
    security: [{ [SECURITY_SCHEME]: [] }],
    paths,
    components: {
      schemas: reachableComponents(paths, registry.schemas),
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: "A JWT with the caller's Fundshare roles: from Microsoft Entra ID when deployed, from the local dev issuer locally",
        },
      },
    },
  };
}
