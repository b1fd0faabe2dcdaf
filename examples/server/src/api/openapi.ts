import { z } from 'zod';
import { problemSchema } from './problem.js';

/** An HTTP method of an operation. */
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One documented answer of an operation. */
export interface ResponseSpec {
  readonly description: string;
  /** The JSON body; omitted for an empty answer (204). */
  readonly schema?: z.ZodType;
  /** The media type of the body (default `application/json`). */
  readonly contentType?: string;
}

/** What the registry knows about one operation. */
export interface OperationSpec {
  readonly method: HttpMethod;
  /** Express-style path under `/api/v1`, e.g. `/songs/:id`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  /** `required`: a bearer token; `optional`: read with one if sent; `none`: ignored. */
  readonly auth: 'none' | 'optional' | 'required';
  /** Roles allowed (any when omitted). */
  readonly roles?: readonly string[];
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** A `multipart/form-data` body instead: its OpenAPI media type object (schema, encoding). */
  readonly multipart?: Readonly<Record<string, unknown>>;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /** Error statuses the operation may answer, each documented as a problem. */
  readonly problems?: readonly number[];
}

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'The input is invalid (the `fields` say which and why).',
  401: 'No valid bearer token (or wrong credentials).',
  403: 'The token is valid but its account may not do this.',
  404: 'No such resource (or it is private to someone else).',
  409: 'Conflicts with the current state.',
  413: 'The body is too large.',
  415: 'The body is not JSON.',
  429: 'Too many requests; `Retry-After` says when to come back.',
};

/**
 * Where the API's operations are described. Every router adds its operations here (through
 * `defineRoute`), and {@link OpenApiRegistry.document} turns them into an OpenAPI 3.1 document
 * whose schemas are generated from the same zod schemas that validate requests.
 */
export class OpenApiRegistry {
  readonly #operations: OperationSpec[] = [];

  /** Adds an operation; throws when the method and path are already taken. */
  add(spec: OperationSpec): void {
    const key = `${spec.method} ${spec.path}`;
    if (this.#operations.some((o) => `${o.method} ${o.path}` === key))
      throw new Error(`OpenAPI: ${key} is registered twice`);
    if (this.#operations.some((o) => o.operationId === spec.operationId))
      throw new Error(`OpenAPI: operationId ${spec.operationId} is registered twice`);
    this.#operations.push(spec);
  }

  /** The operations in registration order. */
  operations(): readonly OperationSpec[] {
    return this.#operations;
  }

  /** The OpenAPI 3.1 document (`serverUrl`: the API's base URL). */
  document(serverUrl: string): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const op of this.#operations) {
      const path = openApiPath(op.path);
      const item = paths[path] ?? {};
      item[op.method] = operationObject(op);
      paths[path] = item;
    }
    return {
      openapi: '3.1.0',
      info: {
        title: 'spoti platform API',
        version: '1.0.0',
        description:
          'Accounts, songs, albums, artists, genres, search, trending, plays, likes and follows of the spoti streaming catalog. Errors are `application/problem+json` with a stable `code`.',
      },
      servers: [{ url: serverUrl }],
      jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API token from `POST /auth/login` or `POST /tokens`.',
          },
        },
      },
      paths,
    };
  }
}

/** `/songs/:id` → `/songs/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** JSON Schema (2020-12) of a zod schema, as the request (`input`) or the answer (`output`). */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  delete out.$schema;
  return withoutSafeIntegerBounds(out) as Record<string, unknown>;
}

/** zod writes ±2^53−1 as the bounds of every integer; they say nothing, so they go. */
function withoutSafeIntegerBounds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutSafeIntegerBounds);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (
      (key === 'minimum' || key === 'maximum') &&
      Math.abs(Number(value)) === Number.MAX_SAFE_INTEGER
    )
      continue;
    out[key] = withoutSafeIntegerBounds(value);
  }
  return out;
}

function parameters(op: OperationSpec): unknown[] {
  const list: unknown[] = [];
  for (const [where, schema] of [
    ['path', op.params],
    ['query', op.query],
  ] as const) {
    if (schema === undefined) continue;
    const json = jsonSchemaOf(schema, 'input') as {
      properties?: Record<string, Record<string, unknown>>;
      required?: string[];
    };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      const { description, ...rest } = property;
      list.push({
        name,
        in: where,
        required: where === 'path' || (json.required ?? []).includes(name),
        ...(typeof description === 'string' ? { description } : {}),
        schema: rest,
      });
    }
  }
  return list;
}

function requestBody(op: OperationSpec): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  if (op.body !== undefined)
    content['application/json'] = { schema: jsonSchemaOf(op.body, 'input') };
  if (op.multipart !== undefined) content['multipart/form-data'] = op.multipart;
  return Object.keys(content).length === 0 ? {} : { requestBody: { required: true, content } };
}

function operationObject(op: OperationSpec): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(op.responses)) {
    responses[status] = {
      description: r.description,
      ...(r.schema === undefined
        ? {}
        : {
            content: {
              [r.contentType ?? 'application/json']: { schema: jsonSchemaOf(r.schema, 'output') },
            },
          }),
    };
  }
  const problems = new Set<number>(op.problems ?? []);
  if (
    op.params !== undefined ||
    op.query !== undefined ||
    op.body !== undefined ||
    op.multipart !== undefined
  )
    problems.add(400);
  if (op.auth === 'required') problems.add(401);
  if (op.roles !== undefined) problems.add(403);
  problems.add(429);
  const problem = { 'application/problem+json': { schema: jsonSchemaOf(problemSchema, 'output') } };
  for (const status of [...problems].sort()) {
    responses[String(status)] = {
      description: PROBLEM_DESCRIPTIONS[status] ?? 'An error.',
      content: problem,
    };
  }
  responses['500'] = { description: 'Server error.', content: problem };
  const roles = op.roles === undefined ? '' : `\n\nRoles: ${op.roles.join(', ')}.`;
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description === undefined && roles === ''
      ? {}
      : { description: `${op.description ?? ''}${roles}`.trim() }),
    tags: [op.tag],
    ...(op.auth === 'none'
      ? {}
      : { security: op.auth === 'required' ? [{ bearer: [] }] : [{ bearer: [] }, {}] }),
    parameters: parameters(op),
    ...requestBody(op),
    responses,
  };
}
