import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { isServerError } from '../server-error.js';

const brand = Symbol.for('@spoti/example-server/ApiProblem');

/** The stable error codes of the platform API (the `code` member of every problem). */
export type ApiProblemCode =
  | 'INVALID_INPUT'
  | 'INVALID_JSON'
  | 'UNAUTHENTICATED'
  | 'INVALID_CREDENTIALS'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'EMAIL_TAKEN'
  | 'CONFLICT'
  | 'ALREADY_ARTIST'
  | 'SONG_HAS_PLAYS'
  | 'RATE_LIMITED'
  | 'SKIP_LIMIT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INTERNAL';

const STATUS: Record<ApiProblemCode, number> = {
  INVALID_INPUT: 400,
  INVALID_JSON: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  EMAIL_TAKEN: 409,
  CONFLICT: 409,
  ALREADY_ARTIST: 409,
  SONG_HAS_PLAYS: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  SKIP_LIMIT: 429,
  INTERNAL: 500,
};

/** One field that failed validation. */
export interface ProblemField {
  /** Where, e.g. `body.email` or `query.limit`. */
  readonly path: string;
  readonly message: string;
}

/**
 * An API error, sent as `application/problem+json` (RFC 9457) with a stable `code`.
 *
 * @example
 * ```ts
 * throw new ApiProblem('NOT_FOUND', 'No song with id s1');
 * ```
 */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  readonly code: ApiProblemCode;
  readonly status: number;
  readonly fields: readonly ProblemField[] | undefined;
  /** Extra members of the problem body (e.g. `retryAt`). */
  readonly extra: Readonly<Record<string, unknown>>;
  /** Seconds for a `Retry-After` header. */
  readonly retryAfterSeconds: number | undefined;
  readonly [brand] = true;

  constructor(
    code: ApiProblemCode,
    message: string,
    options: {
      cause?: unknown;
      fields?: readonly ProblemField[];
      extra?: Record<string, unknown>;
      retryAfterSeconds?: number;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = STATUS[code];
    this.fields = options.fields;
    this.extra = options.extra ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** True for an {@link ApiProblem}, across bundled copies. */
export function isApiProblem(value: unknown): value is ApiProblem {
  return typeof value === 'object' && value !== null && brand in value;
}

/** The body of every error answer, as documented in the OpenAPI document. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string(),
  instance: z.string().optional(),
  fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  retryAt: z.string().optional(),
  retryAfterSeconds: z.number().int().optional(),
});

/** The body of a problem as sent. */
export type ProblemBody = z.infer<typeof problemSchema>;

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Server error',
};

/** Converts a zod error into the fields of an `INVALID_INPUT` problem, under `where`. */
export function invalidInput(where: string, error: z.ZodError): ApiProblem {
  const fields = error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  const detail = fields.map((f) => `${f.path}: ${f.message}`).join('; ');
  return new ApiProblem('INVALID_INPUT', `Invalid ${where}: ${detail}`, { fields });
}

function toProblem(error: unknown): ApiProblem {
  if (isApiProblem(error)) return error;
  const e = error as { status?: number; statusCode?: number; type?: string; code?: string };
  const status = e.status ?? e.statusCode;
  if (e.type === 'entity.parse.failed')
    return new ApiProblem('INVALID_JSON', 'The request body is not valid JSON');
  if (e.type === 'entity.too.large' || status === 413)
    return new ApiProblem('PAYLOAD_TOO_LARGE', 'The request body is too large');
  if (status === 415 || e.type === 'charset.unsupported' || e.type === 'encoding.unsupported')
    return new ApiProblem('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json (UTF-8)');
  if (status === 429) return new ApiProblem('RATE_LIMITED', 'Too many requests: slow down');
  if (isServerError(error) && error.code === 'INVALID_INPUT')
    return new ApiProblem('INVALID_INPUT', error.message);
  if (isServerError(error) && error.code === 'NOT_FOUND')
    return new ApiProblem('NOT_FOUND', error.message);
  if (status === 400) return new ApiProblem('INVALID_INPUT', 'The request is malformed');
  return new ApiProblem('INTERNAL', 'Something went wrong on our side. Try again in a moment.', {
    cause: error,
  });
}

/** Sends `problem` as `application/problem+json`. */
export function sendProblem(
  res: Parameters<RequestHandler>[1],
  problem: ApiProblem,
  instance?: string,
): void {
  const body: ProblemBody = {
    type: `https://spoti.dev/problems/${problem.code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[problem.status] ?? 'Error',
    status: problem.status,
    code: problem.code,
    detail: problem.message,
    ...(instance === undefined ? {} : { instance }),
    ...(problem.fields === undefined ? {} : { fields: [...problem.fields] }),
    ...problem.extra,
  };
  if (problem.retryAfterSeconds !== undefined)
    res.setHeader('Retry-After', String(problem.retryAfterSeconds));
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(body));
}

/** The API router's error handler: every error becomes a problem; 5xx are logged, never shown. */
export const problemHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const problem = toProblem(error);
  if (problem.status >= 500) req.log?.error({ err: error }, 'api request failed');
  if (res.headersSent) {
    res.end();
    return;
  }
  sendProblem(res, problem, req.originalUrl.split('?')[0]);
};

/** 404 for every API path no route answered. */
export const notFoundProblem: RequestHandler = (req, _res, next) => {
  next(new ApiProblem('NOT_FOUND', `No API route ${req.method} ${req.path}`));
};
