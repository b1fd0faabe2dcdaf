// Real calls on every entry point of the packed packages, shared by the ESM and CommonJS
// consumers (each passes in the modules it loaded its own way). Run from a project outside the
// workspace where the tarballs are installed with npm; fails loudly on the first wrong answer.
'use strict';
const assert = require('node:assert/strict');

/** A hand-written ListeningProfile (the contract of @spoti/profile). */
function handWrittenProfile() {
  const signal = (value) => ({ value, source: 'history', confidence: 1 });
  return {
    version: 1,
    period: { label: '2025', from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
    timeZone: 'Europe/Berlin',
    signals: {
      energy: signal(0.7),
      valence: signal(0.4),
      acousticness: signal(0.2),
      instrumentalness: signal(0.1),
      danceability: signal(0.5),
      intensity: signal(0.6),
      genreConsistency: signal(0.5),
      timeOfDayDiversity: signal(0.6),
      nightShare: signal(0.3),
      discovery: signal(0.2),
    },
    topGenre: { name: 'indie rock', family: 'rock', share: 0.4 },
    genreFamilies: [
      { family: 'rock', share: 0.6 },
      { family: 'pop', share: 0.3 },
    ],
    topArtists: [{ id: null, name: 'Some Band', plays: 10, msPlayed: 2000000 }],
    topTracks: [],
    hours: Array.from({ length: 24 }, () => 1 / 24),
    achievements: [],
    totals: { plays: 10, msPlayed: 2000000, uniqueTracks: 3, uniqueArtists: 1, days: 2 },
  };
}

/**
 * @param {string} flavour 'esm' | 'cjs' (only for messages)
 * @param {Record<string, any>} m the loaded entry points, keyed by package short name
 * @param {{ exportZip: string }} env
 */
async function exercise(flavour, m, env) {
  const done = [];
  const ok = (...names) => done.push(...names);

  // @spoti/profile
  const profile = handWrittenProfile();
  assert.equal(m.profile.listeningProfileSchema.safeParse(profile).success, true);
  assert.equal(m.profile.genreFamilyOf('dream pop'), 'rock');
  ok('profile');

  // @spoti/catalog (domain)
  assert.equal(m.catalog.normalizeText('Sigur Rós'), m.catalog.normalizeText('SIGUR ROS'));
  ok('catalog');

  // @spoti/mock + @spoti/client: a real HTTP call against the mock on 127.0.0.1
  const mock = await m.mock.startMock({
    seed: 7,
    profile: 'development-2026',
    port: 0,
    worldOptions: { size: 'tiny' },
  });
  try {
    const issued = mock.controls.auth.issueTokens({ clientId: 'smoke-app' });
    const client = m.client.createSpotifyClient({
      apiBaseUrl: mock.apiUrl,
      accountsBaseUrl: mock.accountsUrl,
      clientId: 'smoke-app',
      tokenStore: m.client.createMemoryTokenStore({
        accessToken: issued.access_token,
        refreshToken: issued.refresh_token,
        expiresAt: Date.now() + issued.expires_in * 1000,
      }),
      mode: 'development',
    });
    const me = await client.getMe();
    assert.equal(typeof me.id, 'string');
    const top = await client.getTopTracks({ timeRange: 'short_term', limit: 3 });
    assert.ok(top.items.length > 0, 'top tracks from the mock');
    ok('mock', 'client');

    // @spoti/sync: recent plays from the mock into a memory catalog store
    const sync = m.sync.createSync({
      store: m.catalog.createMemoryStore(),
      state: m.sync.createMemorySyncStateStore(),
    });
    const poll = await sync.syncRecentPlays({ id: me.id, client });
    assert.ok(poll.inserted > 0, `sync stored plays (${JSON.stringify(poll.inserted)})`);
    ok('sync');
    await client.close();
  } finally {
    await mock.close();
  }

  // @spoti/analytics on the small generated export
  const imported = await m.analytics.importSpotifyExport(env.exportZip, { userId: 'smoke' });
  assert.ok(imported.plays.size > 0, 'plays imported from the export');
  const { profile: built } = m.analytics.buildListeningProfile(imported.plays, {
    timeZone: 'UTC',
    period: 'all',
  });
  assert.equal(m.profile.listeningProfileSchema.safeParse(built).success, true);
  ok('analytics');

  // @spoti/face and @spoti/face/render
  const face = m.face.mapFace(built);
  assert.match(m.face.toNotionFaceUrl(face), /^https:\/\/faces\.notion\.com\/\?face=/);
  m.face.mapFace(profile);
  const image = await m.faceRender.renderFace(face, { format: 'png' });
  assert.equal(image.mimeType, 'image/png');
  assert.deepEqual([...image.data.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  ok('face', 'face/render');
  // @spoti/face/notionists: the browser-safe drawing from art data gives the server's bytes
  const art = JSON.parse(JSON.stringify(m.faceNotionists.notionistsArt()));
  assert.equal(m.faceNotionists.notionistsSvg(face, art), m.faceRender.toNotionistsSvg(face));
  ok('face/notionists');

  // @spoti/playlists, @spoti/releases: pure calls
  assert.ok(m.playlists.parseQuery('plays:0 added:-30d..'));
  ok('playlists');
  assert.equal(m.releases.normaliseTitle('Mañana (Deluxe Edition)'), 'manana deluxe edition');
  ok('releases');

  // @spoti/cli in-process
  const out = [];
  const sink = {
    write: (chunk) => {
      out.push(String(chunk));
      return true;
    },
  };
  const code = await m.cli.runCli(['--help'], { stdout: sink, stderr: sink });
  assert.equal(code, 0);
  assert.match(out.join(''), /spoti <command>/);
  ok('cli');

  process.stdout.write(`${flavour}: ${done.join(', ')} ok\n`);
}

module.exports = { exercise, handWrittenProfile };
