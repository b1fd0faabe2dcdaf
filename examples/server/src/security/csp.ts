import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** Bytes of randomness in one nonce. */
const NONCE_BYTES = 16;
/** Nonces drawn from the system's generator at once (each is still used for one response only). */
const NONCES_PER_DRAW = 256;
/** Stands for the nonce while helmet's headers are computed once. */
const NONCE_MARK = 'spoti-nonce-mark';

/**
 * Fresh nonces, 16 random bytes each: the bytes of many are drawn from the system's generator at
 * once (one call instead of one per response), and each is handed out once.
 */
export class NonceSource {
  #bytes = Buffer.alloc(0);
  #offset = 0;

  /** A nonce never handed out before, base64. */
  next(): string {
    if (this.#offset + NONCE_BYTES > this.#bytes.length) {
      this.#bytes = randomBytes(NONCE_BYTES * NONCES_PER_DRAW);
      this.#offset = 0;
    }
    const nonce = this.#bytes.toString('base64', this.#offset, this.#offset + NONCE_BYTES);
    this.#offset += NONCE_BYTES;
    return nonce;
  }
}

type HelmetOptions = Parameters<typeof helmet>[0];

/**
 * The headers helmet sets for `options`, computed once by running it on a stand-in response whose
 * nonce is {@link NONCE_MARK}: the same names and values, in the same order, and the headers it
 * removes. Helmet's answer depends on nothing of the request but the nonce.
 */
function helmetHeaders(options: HelmetOptions): { set: [string, string][]; remove: string[] } {
  const set: [string, string][] = [];
  const remove: string[] = [];
  const res = {
    locals: { nonce: NONCE_MARK },
    setHeader(name: string, value: string) {
      set.push([name, String(value)]);
    },
    removeHeader(name: string) {
      remove.push(name);
    },
  };
  let done = false;
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (error?: unknown) => {
    if (error !== undefined) throw error;
    done = true;
  });
  if (!done) throw new Error('helmet did not answer synchronously');
  return { set, remove };
}

/**
 * A fresh nonce per response (`res.locals.nonce`), then the headers of helmet with a strict
 * policy: scripts only with that nonce, styles and images from this origin (SVG charts use
 * attributes, not inline styles), no framing, forms only to this origin (and to Spotify's
 * authorize page for sign-in). Helmet's headers are computed once; a response gets them with its
 * nonce put in (one middleware, no per-request policy building).
 */
export function securityHeaders(options: {
  https: boolean;
  formTargets: readonly string[];
}): RequestHandler[] {
  const { set, remove } = helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: [
          (_req, res) =>
            `'nonce-${(res as unknown as { locals: { nonce: string } }).locals.nonce}'`,
          "'strict-dynamic'",
        ],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'", ...options.formTargets],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(options.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: options.https
      ? { maxAge: 31_536_000, includeSubDomains: true }
      : false,
    crossOriginEmbedderPolicy: false,
  });
  // In helmet's order; a value holding the nonce is kept as the parts around it.
  const headerParts = set.map(([name, value]) => [name, value.split(NONCE_MARK)] as const);
  const nonces = new NonceSource();
  const headers: RequestHandler = (_req, res, next) => {
    const nonce = nonces.next();
    res.locals.nonce = nonce;
    for (const name of remove) res.removeHeader(name);
    for (const [name, parts] of headerParts)
      res.setHeader(name, parts.length === 1 ? (parts[0] as string) : parts.join(nonce));
    next();
  };
  return [headers];
}
