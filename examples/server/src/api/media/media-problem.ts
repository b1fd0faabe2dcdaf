import type { ErrorRequestHandler, Response } from 'express';

const brand = Symbol.for('@spoti/example-server/MediaProblem');

/** Stable codes of the media and billing endpoints' `application/problem+json` answers. */
export type MediaProblemCode =
  | 'INVALID_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'FILE_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA'
  | 'MEDIA_TYPE_MISMATCH'
  | 'SIZE_MISMATCH'
  | 'IMAGE_TOO_LARGE'
  | 'RANGE_NOT_SATISFIABLE'
  | 'NO_AUDIO'
  | 'BILLING_DISABLED'
  | 'INVALID_SIGNATURE'
  | 'PLAN_NOT_PURCHASABLE'
  | 'ALREADY_SUBSCRIBED'
  | 'NO_SUBSCRIPTION'
  | 'MEMBERS_FULL'
  | 'NOT_A_FAMILY_PLAN'
  | 'STUDENT_NOT_VERIFIED'
  | 'INVALID_PROOF'
  | 'PAYMENT_PROVIDER_FAILED';

const STATUS: Record<MediaProblemCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  FILE_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA: 415,
  MEDIA_TYPE_MISMATCH: 415,
  SIZE_MISMATCH: 400,
  IMAGE_TOO_LARGE: 422,
  RANGE_NOT_SATISFIABLE: 416,
  NO_AUDIO: 404,
  BILLING_DISABLED: 503,
  INVALID_SIGNATURE: 400,
  PLAN_NOT_PURCHASABLE: 409,
  ALREADY_SUBSCRIBED: 409,
  NO_SUBSCRIPTION: 404,
  MEMBERS_FULL: 409,
  NOT_A_FAMILY_PLAN: 409,
  STUDENT_NOT_VERIFIED: 409,
  INVALID_PROOF: 400,
  PAYMENT_PROVIDER_FAILED: 502,
};

/**
 * An error of the media or billing endpoints: a stable code, the HTTP status it maps to, and a
 * message safe to show (never a secret or a file path).
 *
 * @example
 * ```ts
 * throw new MediaProblem('UNSUPPORTED_MEDIA', 'Not a supported audio file');
 * ```
 */
export class MediaProblem extends Error {
  override readonly name = 'MediaProblem';
  readonly code: MediaProblemCode;
  readonly status: number;
  readonly [brand] = true;

  constructor(code: MediaProblemCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = STATUS[code];
  }
}

/** True for a {@link MediaProblem}, across bundled copies. */
export function isMediaProblem(value: unknown): value is MediaProblem {
  return typeof value === 'object' && value !== null && brand in value;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  416: 'Range not satisfiable',
  422: 'Unprocessable content',
  502: 'Bad gateway',
  503: 'Service unavailable',
};

/** Sends a problem as `application/problem+json` (RFC 9457), shaped like the API's other errors. */
export function sendMediaProblem(res: Response, problem: MediaProblem, instance?: string): void {
  res
    .status(problem.status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: `https://spoti.dev/problems/${problem.code.toLowerCase().replaceAll('_', '-')}`,
        title: TITLES[problem.status] ?? 'Error',
        status: problem.status,
        code: problem.code,
        detail: problem.message,
        ...(instance === undefined ? {} : { instance }),
      }),
    );
}

/**
 * Answers {@link MediaProblem}s as problem documents; anything else goes on to the next error
 * handler (the API's own, or the app's).
 */
export const mediaProblemHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (!isMediaProblem(error)) return next(error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendMediaProblem(res, error, req.originalUrl.split('?')[0]);
};
