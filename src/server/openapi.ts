/**
 * The OpenAPI 3.1 document, generated from the routes' zod schemas (the ones that validate the
 * requests) with z.toJSONSchema. OpenAPI 3.1 schemas are JSON Schema 2020-12, zod's default target.
 */
import { z } from 'zod';
import { STATUS_OF } from './errors.js';
import { ErrorResponse } from './responses.js';
import type { Route } from './route.js';
import type { Limits } from './schemas.js';

type JsonSchema = Record<string, unknown>;

/** Request-side schemas document what clients send (`io: 'input'`: defaults are optional). */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parametersOf(route: Route): JsonSchema[] {
  const parameters: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const object = schemaOf(schema, 'input');
    const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((object.required ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      const { description, ...rest } = property;
      parameters.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        ...(description !== undefined && { description }),
        schema: rest,
      });
    }
  }
  for (const header of route.headerDocs ?? []) {
    parameters.push({
      name: header.name,
      in: 'header',
      required: false,
      description: header.description,
      schema: schemaOf(header.schema, 'input'),
    });
  }
  return parameters;
}

/** The errors every route may answer, with their statuses from the one mapping table. */
function errorResponses(route: Route): Record<string, JsonSchema> {
  const codes = new Set<keyof typeof STATUS_OF>(['INVALID_INPUT', 'NOT_FOUND', 'INTERNAL', 'STORAGE']);
  if (route.scope) codes.add('UNAUTHORIZED').add('FORBIDDEN');
  if (route.body) codes.add('PAYLOAD_TOO_LARGE').add('UNSUPPORTED_MEDIA_TYPE');
  const out: Record<string, JsonSchema> = {};
  for (const code of codes) {
    const status = String(STATUS_OF[code]);
    const existing = out[status]?.description;
    out[status] = {
      description: existing ? `${existing}, ${code}` : `Error ${code}`,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  return out;
}

function operationOf(route: Route): JsonSchema {
  const responses: Record<string, JsonSchema> = errorResponses(route);
  for (const [status, doc] of Object.entries(route.responses)) {
    const type = doc.contentType ?? 'application/json';
    responses[status] = {
      description: doc.description,
      ...(doc.schema
        ? { content: { [type]: { schema: schemaOf(doc.schema, 'output') } } }
        : doc.contentType
          ? { content: { [type]: { schema: { type: 'string' } } } }
          : {}),
    };
  }
  return {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: route.summary,
    ...(route.description && { description: route.description }),
    tags: [route.tag],
    ...(route.scope ? { 'x-required-scope': route.scope } : { security: [] }),
    parameters: parametersOf(route),
    ...(route.body && {
      requestBody: {
        required: true,
        content: { 'application/json': { schema: schemaOf(route.body, 'input') } },
      },
    }),
    responses,
  };
}

/**
 * The document for a set of routes.
 *
 * @example
 * const doc = openApiDocument(routes, { version: '0.1.0', limits: DEFAULT_LIMITS });
 * Object.keys(doc.paths); // ['/events', '/users/{id}/recommendations', ...]
 */
export function openApiDocument(
  routes: readonly Route[],
  { version, limits }: { version: string; limits: Limits },
): { openapi: string; paths: Record<string, Record<string, JsonSchema>> } & JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z_]\w*)/g, '{$1}');
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tide recommender API',
      version,
      description:
        'Behaviour events in, recommendations that follow each user’s interests out. Errors are JSON ' +
        '`{ "error": { "code", "message", "field" } }`. Request bodies are JSON (Content-Type ' +
        `application/json, else 415), at most ${limits.maxBodyBytes} bytes (413 beyond), batches at most ` +
        `${limits.maxBatch} entries (413 beyond). Unknown JSON fields and query parameters are rejected (400), ` +
        'naming them. Keys: `Authorization: Bearer <key>` or `X-API-Key: <key>`; scopes read (GET), write ' +
        '(changing events and items), admin (deleting users; holds every scope). x-required-scope names ' +
        "each operation's scope.",
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      schemas: { Error: schemaOf(ErrorResponse, 'output') },
    },
    paths,
  };
}
