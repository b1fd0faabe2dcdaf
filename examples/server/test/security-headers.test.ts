import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import { describe, expect, it } from 'vitest';
import { NonceSource, securityHeaders } from '../src/security/csp.js';

/** A stand-in response that records the headers set on it, in order. */
function recorder(nonce?: string) {
  const headers: [string, string][] = [];
  const removed: string[] = [];
  const res = {
    locals: nonce === undefined ? {} : { nonce },
    setHeader(name: string, value: string) {
      headers.push([name.toLowerCase(), String(value)]);
    },
    removeHeader(name: string) {
      removed.push(name.toLowerCase());
    },
  } as unknown as ServerResponse & { locals: { nonce?: string } };
  return { res, headers, removed };
}

const run = (handler: (req: never, res: never, next: () => void) => void, res: unknown) => {
  let called = false;
  handler({} as never, res as never, () => {
    called = true;
  });
  expect(called).toBe(true);
};

describe('securityHeaders', () => {
  for (const https of [false, true]) {
    it(`sets exactly helmet's headers with the response's own nonce (https: ${https})`, () => {
      const [handler] = securityHeaders({ https, formTargets: ['https://accounts.example.test'] });
      const ours = recorder();
      run(handler as never, ours.res);
      const nonce = ours.res.locals.nonce ?? '';
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      // Helmet itself, configured as before, on a response holding the same nonce.
      const theirs = recorder(nonce);
      const reference = helmet({
        contentSecurityPolicy: {
          useDefaults: false,
          directives: {
            defaultSrc: ["'none'"],
            scriptSrc: [
              (_req: IncomingMessage, res: ServerResponse) =>
                `'nonce-${(res as unknown as { locals: { nonce: string } }).locals.nonce}'`,
              "'strict-dynamic'",
            ],
            styleSrc: ["'self'"],
            imgSrc: ["'self'", 'data:'],
            fontSrc: ["'self'"],
            connectSrc: ["'self'"],
            formAction: ["'self'", 'https://accounts.example.test'],
            frameAncestors: ["'none'"],
            baseUri: ["'none'"],
            objectSrc: ["'none'"],
            ...(https ? { upgradeInsecureRequests: [] } : {}),
          },
        },
        strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
        crossOriginEmbedderPolicy: false,
      });
      run(reference as never, theirs.res);
      expect(ours.headers).toEqual(theirs.headers);
      expect(ours.removed).toEqual(theirs.removed);
      const csp = ours.headers.find(([name]) => name === 'content-security-policy')?.[1];
      expect(csp).toContain(`script-src 'nonce-${nonce}' 'strict-dynamic'`);
    });
  }

  it('gives every response a nonce of its own', () => {
    const [handler] = securityHeaders({ https: false, formTargets: [] });
    const seen = new Set<string>();
    for (let i = 0; i < 1_000; i++) {
      const r = recorder();
      run(handler as never, r.res);
      seen.add(r.res.locals.nonce ?? '');
    }
    expect(seen.size).toBe(1_000);
  });
});

describe('NonceSource', () => {
  it('hands out 16 random bytes per nonce, never the same twice across draws', () => {
    const source = new NonceSource();
    const nonces = Array.from({ length: 600 }, () => source.next());
    expect(new Set(nonces).size).toBe(600);
    for (const n of nonces) expect(Buffer.from(n, 'base64')).toHaveLength(16);
  });
});
