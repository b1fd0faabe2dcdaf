// Smart playlists: rules over the listener's library and play history, kept in sync with
// Spotify playlists through @spoti/client with the fewest write calls.
import { createSpotifyClient, createMemoryTokenStore } from '@spoti/client';
import type { MockServer } from '@spoti/mock';
import {
  BUILTIN_RULES,
  createLibraryIndex,
  createMemoryPlaylistMap,
  evaluateRule,
  evaluateRules,
  explainTrack,
  type LibraryIndex,
  type LibraryInput,
  type PlaylistMap,
  type PlaylistWriter,
  parseQuery,
  type Rule,
  syncSmartPlaylist,
} from '@spoti/playlists';

/** What this step needs from the demo: the running mock (any profile). */
export interface PlaylistsDemoContext {
  readonly mock: MockServer;
}

/** The consent user's saved tracks and full play history (as a data export would give them). */
function libraryOf(mock: MockServer, userId: string, now: number): LibraryInput {
  const world = mock.world;
  const user = world.users.get(userId)!;
  const history = world.playsOf(userId, now);
  const ids = new Set([...user.savedTracks.keys(), ...history.map((p) => p.trackId)]);
  const tracks = [...ids].flatMap((id) => {
    const t = world.tracks.get(id);
    if (t === undefined) return [];
    return [
      {
        id: t.id,
        name: t.name,
        albumId: t.albumId,
        artistIds: t.artistIds,
        ownerArtistId: t.artistIds[0] ?? null,
        durationMs: t.durationMs,
        isrc: t.isrc,
        explicit: t.explicit,
        visibility: 'public' as const,
        discNumber: t.discNumber,
        trackNumber: t.trackNumber,
        addedAt: 0,
      },
    ];
  });
  const artistIds = new Set(tracks.flatMap((t) => t.artistIds));
  const artists = [...artistIds].flatMap((id) => {
    const a = world.artists.get(id);
    return a
      ? [{ id, name: a.name, genres: a.genres, ownerUserId: null, imageUrl: null, addedAt: 0 }]
      : [];
  });
  const plays = history.map((p) => ({
    trackId: p.trackId,
    artistIds: world.tracks.get(p.trackId)?.artistIds ?? [],
    albumId: world.tracks.get(p.trackId)?.albumId ?? null,
    endedAt: p.endedAtMs,
    msPlayed: p.msPlayed,
    skipped: p.skipped,
  }));
  const likes = [...user.savedTracks].map(([trackId, likedAt]) => ({ trackId, likedAt }));
  return { tracks, artists, likes, plays };
}

/** A client of the mock signed in as `userId`. */
function demoClient(mock: PlaylistsDemoContext['mock'], userId: string) {
  const issued = mock.controls.auth.issueTokens({ clientId: 'spoti-demo-playlists', userId });
  return createSpotifyClient({
    apiBaseUrl: mock.apiUrl,
    accountsBaseUrl: mock.accountsUrl,
    clientId: 'spoti-demo-playlists',
    mode: mock.profile === 'extended' ? 'extended' : 'development',
    tokenStore: createMemoryTokenStore({
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      expiresAt: Date.now() + issued.expires_in * 1000,
    }),
    rateLimit: { allowance: 10_000, windowMs: 1000 },
  });
}

/** Evaluates the built-in rules and two custom ones over one index and prints what each holds. */
function evaluateAll(library: LibraryInput, index: LibraryIndex) {
  console.log(
    `Smart playlists: ${library.likes?.length ?? 0} saved tracks, ${index.playCount} plays, ${index.size} tracks known`,
  );
  const nightQuery = 'plays@8w:>1 hour:22..4 plays- limit:50';
  const rules: Record<string, Rule> = {
    ...BUILTIN_RULES,
    'late-night': { name: 'Late night', ...parseQuery(nightQuery), separateArtists: true },
    'all-saved': { name: 'All saved tracks', all: [{ is: { saved: true } }] },
  };
  console.log(`  custom rule from the query "${nightQuery}"`);
  const started = performance.now();
  const results = evaluateRules(rules, index);
  const ms = (performance.now() - started).toFixed(0);
  for (const [slug, result] of Object.entries(results)) {
    const minutes = Math.round(result.durationMs / 60_000);
    console.log(
      `  ${slug.padEnd(22)} ${String(result.trackIds.length).padStart(4)} tracks, ${minutes} min`,
    );
  }
  console.log(`  (${Object.keys(rules).length} rules evaluated in ${ms} ms over one shared index)`);

  return { rules, results };
}

type Evaluated = ReturnType<typeof evaluateAll>;

/** Syncs every result to a Spotify playlist, then again with nothing changed. */
async function syncAll(client: PlaylistWriter, map: PlaylistMap, { rules, results }: Evaluated) {
  let writes = 0;
  for (const [slug, result] of Object.entries(results)) {
    const report = await syncSmartPlaylist({
      writer: client,
      map,
      slug,
      name: rules[slug]?.name ?? slug,
      result,
    });
    writes += report.writeCalls;
  }
  console.log(
    `Synced ${Object.keys(results).length} Spotify playlists: ${writes} write calls (create + fill)`,
  );
  let again = 0;
  for (const [slug, result] of Object.entries(results)) {
    again += (await syncSmartPlaylist({ writer: client, map, slug, result })).writeCalls;
  }
  console.log(`Synced again with nothing changed: ${again} write calls`);
}

/** The day before: the last day of plays had not happened, and the saves were a little different. */
async function syncChangedLibrary(
  client: PlaylistWriter,
  map: PlaylistMap,
  { library, index, now }: { library: LibraryInput; index: LibraryIndex; now: number },
  rules: Evaluated['rules'],
) {
  const likes = library.likes ?? [];
  const unsaved = new Set(likes.slice(0, 2).map((l) => l.trackId));
  const extra = library.tracks
    .filter((t) => !likes.some((l) => l.trackId === t.id))
    .slice(0, 3)
    .map((t) => ({ trackId: t.id, likedAt: now - 3_600_000 }));
  const later = createLibraryIndex(
    {
      ...library,
      likes: [...likes.filter((l) => !unsaved.has(l.trackId)), ...extra],
      plays: (library.plays ?? []).filter((p) => p.endedAt < now - 86_400_000),
    },
    { now, timeZone: index.timeZone },
  );
  for (const slug of ['most-played', 'all-saved'] as const) {
    const result = evaluateRule(rules[slug]!, later);
    const update = await syncSmartPlaylist({ writer: client, map, slug, result });
    const { removed, added, reordered } = update.plan.summary;
    console.log(
      `${slug}, changed library: ${removed} out, ${added} in, ${reordered} reordered -> ${update.writeCalls} write call${update.writeCalls === 1 ? '' : 's'} (${update.plan.strategy}; replacing all: ${update.plan.naiveWriteCalls})`,
    );
  }
}

/** Evaluates the built-in smart playlists and a custom one, syncs them to the mock, explains one track. */
export async function runPlaylistsStep(ctx: PlaylistsDemoContext): Promise<void> {
  const { mock } = ctx;
  const userId = mock.controls.truth.user([...mock.world.users.keys()][0]!).id;
  const client = demoClient(mock, userId);
  const now = mock.controls.clock.now();
  const library = libraryOf(mock, userId, now);
  const index = createLibraryIndex(library, {
    now,
    timeZone: mock.world.users.get(userId)!.timezone,
  });
  const { rules, results } = evaluateAll(library, index);
  const map = createMemoryPlaylistMap();
  await syncAll(client, map, { rules, results });
  await syncChangedLibrary(client, map, { library, index, now }, rules);
  for (const trackId of [
    results['late-night']?.trackIds[0],
    results['never-played']?.trackIds[0],
  ]) {
    if (trackId === undefined) continue;
    const name = mock.world.tracks.get(trackId)?.name ?? trackId;
    console.log(
      `late-night, "${name}": ${explainTrack(rules['late-night']!, index, trackId).summary}`,
    );
  }
}
