import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenCipher } from '../src/auth/token-cipher.js';
import { loadConfig } from '../src/config.js';
import { readOrCreateLocalSecrets, readOrCreateSecretFile } from '../src/local-secrets.js';
import { isServerError } from '../src/server-error.js';

const FAKE_KEY = `k1:${'ab'.repeat(32)}`;

describe('zero-config secrets kept in the data folder', () => {
  const folders: string[] = [];
  afterEach(async () => {
    await Promise.all(folders.splice(0).map((f) => rm(f, { recursive: true, force: true })));
  });
  const folder = async () => {
    const f = await mkdtemp(join(tmpdir(), 'spoti-secrets-'));
    folders.push(f);
    return f;
  };
  const start = (baseDir: string, env: Record<string, string> = {}) =>
    loadConfig(env, {
      baseDir,
      randomBytes,
      localSecrets: (dataDir) => readOrCreateLocalSecrets(dataDir, randomBytes),
    });

  it('a restart on the same data folder opens the tokens the first start sealed', async () => {
    const base = await folder();
    const first = start(base);
    const sealed = createTokenCipher(first.tokenKeys).seal('u1', '{"refresh":"fake"}');
    const second = start(base);
    expect(second.sessionSecret).toBe(first.sessionSecret);
    expect(createTokenCipher(second.tokenKeys).open('u1', sealed)).toBe('{"refresh":"fake"}');
    for (const name of ['session.key', 'token.key']) {
      expect((await stat(join(base, '.data', name))).mode & 0o777).toBe(0o600);
    }
    expect((await readdir(join(base, '.data'))).sort()).toEqual(['session.key', 'token.key']);
  });

  it('another data folder gets other secrets', async () => {
    const [a, b] = [start(await folder()), start(await folder())];
    expect(a.sessionSecret).not.toBe(b.sessionSecret);
    expect(a.tokenKeys[0]?.key.equals(b.tokenKeys[0]?.key ?? Buffer.alloc(0))).toBe(false);
  });

  it('configured secrets are used as given and nothing is written', async () => {
    const base = await folder();
    const config = start(base, { SESSION_SECRET: 'x'.repeat(40), TOKEN_KEYS: FAKE_KEY });
    expect(config.sessionSecret).toBe('x'.repeat(40));
    expect(config.tokenKeys.map((k) => k.id)).toEqual(['k1']);
    await expect(stat(join(base, '.data'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('one configured secret keeps the other generated one from the data folder', async () => {
    const base = await folder();
    const first = start(base, { TOKEN_KEYS: FAKE_KEY });
    expect(start(base, { TOKEN_KEYS: FAKE_KEY }).sessionSecret).toBe(first.sessionSecret);
  });

  it.each([
    ['empty', ''],
    ['a short key', 'abcd\n'],
    ['not hexadecimal', `${'zz'.repeat(32)}\n`],
    ['binary', '\u0000\u0001'],
  ])(
    'a damaged key file (%s) is an INVALID_CONFIG error naming it, and is kept',
    async (_, text) => {
      const base = await folder();
      const file = join(base, '.data', 'token.key');
      start(base);
      await writeFile(file, text);
      let caught: unknown;
      try {
        start(base);
      } catch (error) {
        caught = error;
      }
      expect(isServerError(caught) && caught.code).toBe('INVALID_CONFIG');
      expect((caught as Error).message).toContain(file);
      expect(await readFile(file, 'utf8')).toBe(text);
    },
  );

  it('repeated starts read one secret and leave no temporary files', async () => {
    const base = await folder();
    const path = join(base, 'releases.key');
    const values = await Promise.all(
      Array.from({ length: 20 }, async () => readOrCreateSecretFile(path, randomBytes)),
    );
    expect(new Set(values).size).toBe(1);
    expect(await readdir(base)).toEqual(['releases.key']);
  });

  it('a hand-written value is kept when it matches what the caller accepts', async () => {
    const base = await folder();
    const path = join(base, 'releases.key');
    await writeFile(path, `${'a-long-hand-written-link-secret!'.repeat(2)}\n`);
    expect(readOrCreateSecretFile(path, randomBytes, /^\S{32,}$/)).toBe(
      'a-long-hand-written-link-secret!'.repeat(2),
    );
  });
});
