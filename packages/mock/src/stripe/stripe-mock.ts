import { createServer } from 'node:http';
import { z } from 'zod';
import { closeServer, listen } from '../server/http.js';
import { parseOptions } from '../server/parse-options.js';
import { createStripeControls, type StripeMockControls } from './stripe-controls.js';
import { sendStripeError } from './stripe-errors.js';
import { handleStripeRequest } from './stripe-handler.js';
import { createReplays } from './stripe-replay.js';
import { createStripeState } from './stripe-state.js';

export type { StripeMockChange, StripeMockControls } from './stripe-controls.js';
export type { StripeMockRequest } from './stripe-state.js';

/** Options of {@link startStripeMock}. */
export interface StripeMockOptions {
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Price ids the stand-in knows; default: any id starting with `price_`. */
  readonly prices?: readonly string[];
  /** Time source in Unix ms (default the wall clock); Stripe timestamps are its seconds. */
  readonly clock?: { now(): number };
  /** Length of a billing period in days (default 30). */
  readonly periodDays?: number;
  /** API version stamped on events (default the one the current `stripe` SDK pins). */
  readonly apiVersion?: string;
}

/** A running Stripe stand-in. */
export interface StripeMockServer {
  /** Base URL, like `http://127.0.0.1:40123`. */
  readonly url: string;
  /** The SDK's `host`, `port` and `protocol` options that point it here. */
  readonly sdkOptions: { readonly host: string; readonly port: number; readonly protocol: 'http' };
  readonly controls: StripeMockControls;
  close(): Promise<void>;
}

const optionsSchema = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(0),
  prices: z.array(z.string().regex(/^price_/)).optional(),
  clock: z
    .custom<{ now(): number }>((v) => typeof (v as { now?: unknown })?.now === 'function')
    .optional(),
  periodDays: z.number().int().positive().default(30),
  apiVersion: z.string().min(1).default('2026-11-18.endive'),
});

/**
 * Starts a local stand-in of the Stripe API for the calls a subscription checkout makes:
 * customers (create, retrieve), Checkout Sessions in subscription mode (create, retrieve, with a
 * trial), subscriptions (retrieve, update `cancel_at_period_end`, cancel). It answers in Stripe's
 * shapes and error format, requires a bearer key, replays `Idempotency-Key` requests, and
 * `controls` move subscriptions through trial, renewal, failed payment and cancellation,
 * returning the webhook events Stripe would send. Point the official SDK at it with
 * `new Stripe(key, { ...mock.sdkOptions })`.
 *
 * @example
 * ```ts
 * const stripeMock = await startStripeMock({ prices: ['price_individual'] });
 * const stripe = new Stripe('sk_test_fake', { ...stripeMock.sdkOptions });
 * const session = await stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: 'price_individual', quantity: 1 }], success_url: 'http://x/ok' });
 * const { events } = stripeMock.controls.completeCheckout(session.id);
 * await stripeMock.close();
 * ```
 */
export async function startStripeMock(options: StripeMockOptions = {}): Promise<StripeMockServer> {
  const o = parseOptions(optionsSchema, options, 'Stripe mock options');
  const state = createStripeState(o);
  const replays = createReplays();
  const server = createServer((req, res) => {
    handleStripeRequest(state, replays, req, res).catch((error: unknown) =>
      sendStripeError(res, error),
    );
  });
  state.base = await listen(server, o.host, o.port);
  const base = new URL(state.base);
  return {
    url: state.base,
    sdkOptions: {
      host: base.hostname.replace(/^\[|\]$/g, ''),
      port: Number(base.port),
      protocol: 'http',
    },
    controls: createStripeControls(state),
    close: () => closeServer(server),
  };
}
