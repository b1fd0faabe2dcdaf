import type { ServerResponse } from 'node:http';
import { sendJson } from '../server/http.js';

/** An error the Stripe stand-in answers in Stripe's `{ error: { type, message, param, code } }` shape. */
export class StripeHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: 'invalid_request_error' | 'api_error' = 'invalid_request_error',
    readonly param?: string,
    readonly errorCode?: string,
  ) {
    super(message);
  }
}

/** A 400 about one request parameter, with Stripe's error `code` when it has one. */
export const invalidParam = (message: string, param?: string, code?: string): StripeHttpError =>
  new StripeHttpError(400, message, 'invalid_request_error', param, code);

/** `No such <what>: '<id>'` (`resource_missing`), 404 for the resource itself, 400 for a reference. */
export const noSuch = (what: string, id: string | undefined, param: string, status = 404) =>
  new StripeHttpError(
    status,
    `No such ${what}: '${id}'`,
    'invalid_request_error',
    param,
    'resource_missing',
  );

/** The 404 Stripe gives a method and path it does not serve. */
export const unrecognized = (method: string, path: string): StripeHttpError =>
  new StripeHttpError(404, `Unrecognized request URL (${method}: ${path}).`);

/** Answers `error` in Stripe's shape; anything but a {@link StripeHttpError} is a 500 `api_error`. */
export function sendStripeError(res: ServerResponse, error: unknown): void {
  const e =
    error instanceof StripeHttpError
      ? error
      : new StripeHttpError(500, 'The stand-in failed', 'api_error');
  sendJson(res, e.status, {
    error: {
      type: e.type,
      message: e.message,
      ...(e.param === undefined ? {} : { param: e.param }),
      ...(e.errorCode === undefined ? {} : { code: e.errorCode }),
    },
  });
}
