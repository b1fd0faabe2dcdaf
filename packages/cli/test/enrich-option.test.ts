import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type ProviderMockServer, startProviderMocks, writeDataExport } from '@spoti/mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';

const SEED = 5;
let dir: string;
let zip: string;
let services: ProviderMockServer;
const saved = { ...process.env };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spoti-cli-enrich-'));
  zip = join(dir, 'my_spotify_data.zip');
  await writeDataExport({ seed: SEED, persona: 'night-owl', plays: 800, out: zip });
  services = await startProviderMocks({
    seed: SEED,
    rateLimits: { reccobeats: null, musicbrainz: null, lastfm: null, deezer: null },
  });
  process.env.SPOTI_RECCOBEATS_URL = services.reccoBeatsUrl;
  process.env.SPOTI_MUSICBRAINZ_URL = services.musicBrainzUrl;
  process.env.SPOTI_ENRICH_MIN_INTERVAL_MS = '0';
});
afterAll(async () => {
  process.env = saved;
  await services.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => services.controls.reset());

async function inProcess(args: readonly string[], tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) =>
    new Writable({
      write(chunk, _encoding, done) {
        into.push(String(chunk));
        done();
      },
    });
  // stderr can pose as a terminal to get the progress line.
  const stderr = Object.assign(sink(err), { isTTY: tty });
  const code = await runCli(args, { stdout: sink(out), stderr });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('--enrich', () => {
  it('spoti face names the services in its reasons, and a second run asks nothing', async () => {
    const cache = join(dir, 'cache-face');
    const args = [
      'face',
      zip,
      '--out',
      join(dir, 'me.png'),
      '--json',
      '--enrich',
      '--cache-dir',
      cache,
    ];
    const first = await inProcess(args);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(
      /enriched: audio features for [\d,]+ of [\d,]+ tracks \(ReccoBeats\)/,
    );
    const params = JSON.parse(first.stdout).params as Record<string, { reason: string }>;
    expect(params.e?.reason).toMatch(/via ReccoBeats/);
    expect(params.h?.reason).toMatch(/genres via MusicBrainz/);
    expect(await readdir(cache)).toEqual(['features_ReccoBeats.jsonl', 'genres_MusicBrainz.jsonl']);
    const calls = services.controls.counts();
    expect(calls.reccobeats).toBeGreaterThan(0);

    const second = await inProcess(args);
    expect(second.code).toBe(0);
    expect(services.controls.counts()).toEqual(calls);
    expect(JSON.parse(second.stdout).params).toEqual(JSON.parse(first.stdout).params);
  });

  it('spoti stats uses enriched features in its profile and survives a service that is down', async () => {
    services.controls.down('reccobeats', 503);
    const result = await inProcess([
      'stats',
      zip,
      '--json',
      '--enrich',
      '--enrich-providers',
      'reccobeats,musicbrainz',
      '--cache-dir',
      join(dir, 'cache-stats'),
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/note: ReccoBeats stopped answering \(RATE_LIMITED|UNAVAILABLE/);
    const { profile } = JSON.parse(result.stdout);
    expect(profile.signals.energy.source).toBe('estimated');
    expect(profile.topGenre.via).toBe('MusicBrainz');
  });

  it('asks Last.fm for genres when chosen, with the key from the environment', async () => {
    process.env.SPOTI_LASTFM_URL = services.lastFmUrl;
    process.env.SPOTI_LASTFM_API_KEY = 'fedcba9876543210fedcba9876543210';
    const result = await inProcess([
      'stats',
      zip,
      '--json',
      '--enrich',
      '--enrich-providers',
      'lastfm',
      '--cache-dir',
      join(dir, 'cache-lastfm'),
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).profile.topGenre.via).toBe('Last.fm');
    expect(result.stderr + result.stdout).not.toContain('fedcba9876543210fedcba9876543210');
    expect(services.controls.counts().reccobeats).toBe(0);
  });

  it('shows progress on a terminal', async () => {
    const result = await inProcess(
      ['stats', zip, '--enrich', '--cache-dir', join(dir, 'cache-tty')],
      true,
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/\rEnriching features via ReccoBeats: [\d,]+\/[\d,]+/);
    expect(result.stderr).toMatch(/\rEnriching genres via MusicBrainz: [\d,]+\/[\d,]+/);
  });

  it('asks Deezer for genres when chosen', async () => {
    process.env.SPOTI_DEEZER_URL = services.deezerUrl;
    const result = await inProcess([
      'stats',
      zip,
      '--json',
      '--enrich',
      '--enrich-providers',
      'deezer',
      '--cache-dir',
      join(dir, 'cache-deezer'),
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).profile.topGenre.via).toBe('Deezer');
  });

  it('stays offline without the flag', async () => {
    const result = await inProcess(['stats', zip, '--json']);
    expect(result.code).toBe(0);
    expect(services.controls.counts()).toEqual({
      reccobeats: 0,
      musicbrainz: 0,
      lastfm: 0,
      deezer: 0,
    });
  });

  it('rejects bad usage with exit code 2', async () => {
    const orphan = await inProcess(['stats', zip, '--cache-dir', dir]);
    expect(orphan.code).toBe(2);
    expect(orphan.stderr).toMatch(/need --enrich/);
    const unknown = await inProcess([
      'face',
      zip,
      '--out',
      join(dir, 'x.png'),
      '--enrich',
      '--enrich-providers',
      'spotify',
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/invalid --enrich-providers "spotify"/);
    delete process.env.SPOTI_LASTFM_API_KEY;
    const keyless = await inProcess(['stats', zip, '--enrich', '--enrich-providers', 'lastfm']);
    expect(keyless.code).toBe(2);
    expect(keyless.stderr).toMatch(/SPOTI_LASTFM_API_KEY/);
  });
});
