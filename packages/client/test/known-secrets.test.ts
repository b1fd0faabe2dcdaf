import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SpotifyError } from '../src/index.js';
import { KnownSecrets } from '../src/internal/secrets.js';

describe('KnownSecrets', () => {
  it('redacts known values literally, also URL-encoded, longest first', () => {
    const secrets = new KnownSecrets();
    secrets.addPermanent('fake-secret/with+chars');
    secrets.add('fake-token-abc');
    secrets.add('fake-token-abc-longer');
    const text = `a fake-token-abc-longer b ${encodeURIComponent('fake-secret/with+chars')} c fake-token-abc`;
    expect(secrets.redact(text)).toBe('a [redacted] b [redacted] c [redacted]');
  });

  it('ignores values too short to be secrets, and keeps only the newest rotating ones', () => {
    const secrets = new KnownSecrets();
    secrets.add('abc');
    expect(secrets.redact('abc')).toBe('abc');
    for (let i = 0; i < 40; i++) secrets.add(`fake-token-${String(i).padStart(3, '0')}`);
    expect(secrets.leaks('fake-token-000')).toBe(false);
    expect(secrets.leaks('fake-token-039')).toBe(true);
    secrets.addPermanent('fake-permanent-secret');
    for (let i = 0; i < 40; i++) secrets.add(`fake-other-${String(i).padStart(3, '0')}`);
    expect(secrets.leaks('fake-permanent-secret')).toBe(true);
  });

  it('scrubs message, stack, apiMessage and a deep cause chain in place', () => {
    const secrets = new KnownSecrets();
    secrets.add('fake-token-deep-1234');
    const root = new Error('root fake-token-deep-1234');
    const middle = new Error('middle', { cause: root });
    const error = new SpotifyError({
      code: 'BAD_REQUEST',
      message: 'outer fake-token-deep-1234',
      apiMessage: 'api fake-token-deep-1234',
      cause: middle,
    });
    expect(secrets.scrub(error)).toBe(error);
    const text = inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true });
    expect(text).not.toContain('fake-token-deep-1234');
    expect(error.message).toBe('outer [redacted]');
    expect(error.apiMessage).toBe('api [redacted]');
    expect(error.code).toBe('BAD_REQUEST');
  });

  it('leaves a cause without secrets as it is (identity kept)', () => {
    const secrets = new KnownSecrets();
    secrets.add('fake-token-unrelated');
    const cause = new TypeError('nothing secret');
    const error = new SpotifyError({ code: 'NETWORK', message: 'x', cause });
    secrets.scrub(error);
    expect(error.cause).toBe(cause);
  });
});
