/**
 * The OpenAPI 3.1 document, written from the route declarations and the domain's zod schemas
 * with zod's own JSON Schema generator (OpenAPI 3.1 schemas are JSON Schema 2020-12). Schemas
 * with an id (`z.meta({ id })`) become components and are referenced by `$ref`.
 */
import * as z from 'zod/mini';
import type { Route } from './route';

type JsonSchema = Record<string, unknown>;

const COMPONENT_PREFIX = '#/components/schemas/';
const JSON_SCHEMA_OPTIONS = { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' } as const;

export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
}

function idOf(schema: z.ZodMiniType): string | undefined {
  const id = z.globalRegistry.get(schema)?.id;
  return typeof id === 'string' ? id : undefined;
}

/** A schema as a JSON Schema: a $ref when it is a registered component, else inline. */
function schemaFor(schema: z.ZodMiniType): JsonSchema {
  const id = idOf(schema);
  if (id) return { $ref: `${COMPONENT_PREFIX}${id}` };
  const json = z.toJSONSchema(schema, { ...JSON_SCHEMA_OPTIONS, metadata: z.globalRegistry }) as JsonSchema;
  delete json.$schema;
  // Registered schemas met inside come back as local $defs; point them at the components instead.
  const text = JSON.stringify(json).replace(/"#\/\$defs\/([^"]+)"/g, (_, name: string) => `"${COMPONENT_PREFIX}${name}"`);
  const inline = JSON.parse(text) as JsonSchema;
  delete inline.$defs;
  return inline;
}

function isOptional(schema: z.ZodMiniType): boolean {
  return schema.safeParse(undefined).success;
}

function parameters(shapeOwner: z.ZodMiniType | undefined, where: 'path' | 'query' | 'header'): JsonSchema[] {
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

export function buildOpenApiDocument(routes: readonly Route[], info: OpenApiInfo): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const { spec } of routes) {
    const operation: JsonSchema = {
      tags: spec.tags,
      summary: spec.summary,
      ...(spec.secured ? { security: [{ bearerAuth: [] }] } : {}),
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
        default: {
          description: 'RFC 9457 problem details',
          content: { 'application/problem+json': { schema: { $ref: `${COMPONENT_PREFIX}Problem` } } },
        },
      },
    };
    (paths[spec.path] ??= {})[spec.method] = operation;
  }
  const components = z.toJSONSchema(z.globalRegistry, { ...JSON_SCHEMA_OPTIONS, uri: (id) => `${COMPONENT_PREFIX}${id}` }) as {
    schemas: Record<string, JsonSchema>;
  };
  for (const schema of Object.values(components.schemas)) delete schema.$schema;
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: { schemas: components.schemas, securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
  };
}
