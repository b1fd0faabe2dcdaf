import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../server/http.js';
import { decodeForm } from './form-body.js';
import { StripeHttpError } from './stripe-errors.js';
import type { StripeReplays } from './stripe-replay.js';
import { routeStripe } from './stripe-routes.js';
import type { StripeState } from './stripe-state.js';

const CHECKOUT_PAGE =
  '<!doctype html><title>Stripe stand-in checkout</title><p>This is a local stand-in of Stripe Checkout: tests complete sessions through its controls.</p>';

const API_KEY = /^Bearer (sk|rk)_(test|live)_\S+$/;

/**
 * One request: the hosted checkout page, else the API key, the request log, an idempotent
 * replay or the routed answer (remembered for replays).
 */
export async function handleStripeRequest(
  state: StripeState,
  replays: StripeReplays,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://stand-in');
  const method = req.method ?? 'GET';
  const raw = await readBody(req);
  if (method === 'GET' && url.pathname.startsWith('/c/pay/')) {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(CHECKOUT_PAGE);
    return;
  }
  if (!API_KEY.test(req.headers.authorization ?? '')) {
    throw new StripeHttpError(
      401,
      'You did not provide an API key. Provide your secret key in the Authorization header (Bearer sk_...).',
    );
  }
  const body =
    method === 'GET' || method === 'DELETE'
      ? Object.fromEntries(url.searchParams)
      : decodeForm(raw);
  const idempotencyKey =
    typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
  state.log.push({ method, path: url.pathname, body, idempotencyKey });
  const previous = replays.find(method, url.pathname, idempotencyKey);
  if (previous !== undefined) {
    sendJson(res, previous.status, previous.body, {
      'Idempotent-Replayed': 'true',
      'Request-Id': state.nextId('req'),
    });
    return;
  }
  const answer = routeStripe(state, method, url.pathname, body);
  const snapshot = structuredClone(answer.body);
  replays.remember(method, url.pathname, idempotencyKey, { status: answer.status, body: snapshot });
  sendJson(res, answer.status, snapshot, { 'Request-Id': state.nextId('req') });
}
