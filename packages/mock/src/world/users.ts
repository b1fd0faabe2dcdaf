import { type Catalog, upperBound } from './catalog.js';
import { GENRE_FAMILIES } from './genres.js';
import { PERSONAS, type Persona, TIMEZONE_COUNTRY } from './personas.js';
import { mixSeed, Rng } from './prng.js';
import type {
  GenreFamily,
  PersonaName,
  WorldPlaylist,
  WorldPlaylistItem,
  WorldUser,
} from './types.js';
import { firstName, lastName, title } from './words.js';

const DAY_MS = 86_400_000;

/** What the history generator needs to know about a user. */
export interface Listener {
  readonly index: number;
  readonly user: WorldUser;
  readonly persona: Persona;
  /** Artists the user may come to like, in the order the taste window slides over them. */
  readonly candidates: readonly string[];
  readonly platforms: readonly string[];
  readonly mobilePlatform: string;
  readonly historyStartMs: number;
  readonly familyWeights: readonly number[];
}

/** Draws an artist of a family (any family when it has none), biased towards popular artists. */
export function artistOfFamily(rng: Rng, catalog: Catalog, family: GenreFamily): string {
  let list = catalog.artistsByFamily.get(family) as string[];
  if (list.length === 0)
    list = catalog.artistsByFamily.get(
      GENRE_FAMILIES[rng.int(GENRE_FAMILIES.length)] as GenreFamily,
    ) as string[];
  if (list.length === 0)
    for (const l of catalog.artistsByFamily.values()) if (l.length > 0) list = l;
  const a = rng.pick(list);
  const b = rng.pick(list);
  return (catalog.artists.get(a)?.popularity ?? 0) >= (catalog.artists.get(b)?.popularity ?? 0)
    ? a
    : b;
}

/** Family weights of a persona, in GENRE_FAMILIES order. */
export function familyWeights(persona: Persona): number[] {
  return GENRE_FAMILIES.map((f) => persona.families[f] ?? 0);
}

function releasedTracks(catalog: Catalog, artistId: string, atMs: number): readonly string[] {
  const own = catalog.listenable.get(artistId);
  if (own === undefined) return [];
  return own.trackIds.slice(0, upperBound(own.releasedAt, atMs));
}

/**
 * Taste: a cyclic list of artists from the persona's families; a window slides over it as the
 * years pass. Small catalogues may list an artist more than once (it is then liked more).
 */
function tasteCandidates(rng: Rng, catalog: Catalog, weights: readonly number[]): string[] {
  const candidates: string[] = [];
  const seen = new Set<string>();
  for (let slot = 0; slot < 120; slot++) {
    const family = GENRE_FAMILIES[rng.weighted(weights)] as GenreFamily;
    let artistId = artistOfFamily(rng, catalog, family);
    for (let retry = 0; retry < 3 && seen.has(artistId); retry++)
      artistId = artistOfFamily(rng, catalog, family);
    seen.add(artistId);
    candidates.push(artistId);
  }

  return candidates;
}

/** A user's saved tracks and albums and followed artists, each with the time it was added. */
function library(
  rng: Rng,
  catalog: Catalog,
  candidates: readonly string[],
  persona: Persona,
  startTimeMs: number,
  addedAt: (notBefore: number) => number,
): Pick<WorldUser, 'savedTracks' | 'savedAlbums' | 'followedArtists'> {
  const savedTracks = new Map<string, number>();
  const savedAlbums = new Map<string, number>();
  const followedArtists = new Map<string, number>();
  const libraryArtists = candidates.slice(0, 40);
  const trackTarget = Math.min(40 + rng.int(200), libraryArtists.length * 6);
  for (let tries = 0; savedTracks.size < trackTarget && tries < trackTarget * 3; tries++) {
    const artistId = rng.pick(libraryArtists);
    const available = releasedTracks(catalog, artistId, startTimeMs);
    if (available.length === 0) continue;
    const trackId = rng.pick(available);
    const album = catalog.albums.get(catalog.tracks.get(trackId)?.albumId ?? '');
    savedTracks.set(trackId, addedAt(album?.releasedAtMs ?? 0));
  }
  const albumTarget = 5 + rng.int(25);
  for (let tries = 0; savedAlbums.size < albumTarget && tries < albumTarget * 3; tries++) {
    const albumIds = catalog.albumsByArtist.get(rng.pick(libraryArtists)) ?? [];
    const albumId = albumIds.length === 0 ? undefined : rng.pick(albumIds);
    const album = albumId === undefined ? undefined : catalog.albums.get(albumId);
    if (
      album === undefined ||
      album.releasedAtMs > startTimeMs ||
      album.cleanVersionOf !== undefined
    )
      continue;
    savedAlbums.set(album.id, addedAt(album.releasedAtMs));
  }
  for (const artistId of candidates.slice(0, 15 + rng.int(25)))
    followedArtists.set(artistId, addedAt(0));
  // Follow some artists with upcoming releases (preferably of the persona's families).
  const upcoming = catalog.futureArtists.filter(
    (a) => (persona.families[catalog.familyOfArtist.get(a) as GenreFamily] ?? 0) > 0,
  );
  const pool = upcoming.length >= 2 ? upcoming : catalog.futureArtists;
  for (let k = 0; k < Math.min(3, pool.length); k++)
    followedArtists.set(rng.pick(pool), addedAt(0));
  const sortedFollows = [...followedArtists].sort((x, y) => x[1] - y[1]);
  followedArtists.clear();
  for (const [artistId, at] of sortedFollows) followedArtists.set(artistId, at);
  return { savedTracks, savedAlbums, followedArtists };
}

/** A user's own playlists, in the order they are listed. */
function ownPlaylists(
  rng: Rng,
  catalog: Catalog,
  candidates: readonly string[],
  user: WorldUser,
  persona: Persona,
  startTimeMs: number,
  addedAt: (notBefore: number) => number,
): WorldPlaylist[] {
  const out: WorldPlaylist[] = [];
  const ownCount = 2 + rng.int(3);
  for (let p = 0; p < ownCount; p++) {
    const items: WorldPlaylistItem[] = [];
    let at = addedAt(0);
    const size = 8 + rng.int(35);
    for (let tries = 0; items.length < size && tries < size * 3; tries++) {
      const available = releasedTracks(catalog, rng.pick(candidates), at);
      if (available.length === 0) continue;
      items.push({ trackId: rng.pick(available), addedAtMs: at, addedBy: user.id });
      at = Math.min(startTimeMs - 1000, at + rng.int(20) * DAY_MS + rng.int(DAY_MS));
    }
    const playlist: WorldPlaylist = {
      id: rng.id(),
      name: title(rng),
      description: rng.chance(0.5) ? '' : `${persona.description.split(',')[0]}.`,
      ownerId: user.id,
      public: rng.chance(0.7),
      collaborative: false,
      items,
      version: 1,
      editorial: false,
    };
    out.push(playlist);
  }
  return out;
}

/** The Spotify editorial playlist of a genre family: a track of each of its top 25 artists. */
function editorialPlaylist(
  seed: number,
  catalog: Catalog,
  mainFamily: GenreFamily,
  startTimeMs: number,
): WorldPlaylist {
  const erng = new Rng(mixSeed(seed, 0xed17, GENRE_FAMILIES.indexOf(mainFamily)));
  const ranked = (catalog.artistsByFamily.get(mainFamily) ?? [])
    .map((a) => catalog.artists.get(a))
    .filter((a) => a !== undefined)
    .sort((a, b) => b.popularity - a.popularity || (a.id < b.id ? -1 : 1))
    .slice(0, 25);
  const items: WorldPlaylistItem[] = [];
  for (const artist of ranked) {
    const available = releasedTracks(catalog, artist.id, startTimeMs);
    if (available.length > 0)
      items.push({
        trackId: erng.pick(available),
        addedAtMs: startTimeMs - erng.int(14) * DAY_MS,
        addedBy: 'spotify',
      });
  }
  return {
    id: erng.id(),
    name: `${mainFamily.replace(/^./, (c) => c.toUpperCase())} Essentials`,
    description: `The essential ${mainFamily} tracks right now.`,
    ownerId: 'spotify',
    public: true,
    collaborative: false,
    items,
    version: 1,
    editorial: true,
  };
}

/** What {@link generateUsers} is asked for. */
interface UserOptions {
  users: number;
  personas: readonly PersonaName[];
  startTimeMs: number;
  historyDays: number;
}

/** What every user of one world shares while it is generated. */
interface UserBatch {
  readonly seed: number;
  readonly catalog: Catalog;
  readonly options: UserOptions;
  readonly historyStartMs: number;
  readonly playlists: Map<string, WorldPlaylist>;
  /** The editorial playlist id of each genre family, made by the first user who needs it. */
  readonly editorialByFamily: Map<GenreFamily, string>;
}

/** A time the user added something: after `notBefore` and their sign-up, before the start time. */
function addedAtOf(rng: Rng, createdAtMs: number, startTimeMs: number) {
  return (notBefore: number) => {
    const from = Math.max(notBefore, createdAtMs);
    return from >= startTimeMs
      ? startTimeMs - 1000
      : from + Math.floor(rng.next() * (startTimeMs - from));
  };
}

/** Lists the user's own playlists, then one Spotify editorial playlist of their main family. */
function addPlaylists(
  batch: UserBatch,
  rng: Rng,
  user: WorldUser,
  taste: { persona: Persona; candidates: readonly string[]; weights: readonly number[] },
  addedAt: (notBefore: number) => number,
): void {
  const { seed, catalog, playlists, editorialByFamily } = batch;
  const { startTimeMs } = batch.options;
  const own = ownPlaylists(
    rng,
    catalog,
    taste.candidates,
    user,
    taste.persona,
    startTimeMs,
    addedAt,
  );
  for (const playlist of own) {
    playlists.set(playlist.id, playlist);
    user.playlistIds.push(playlist.id);
  }
  const { weights } = taste;
  const mainFamily = GENRE_FAMILIES[weights.indexOf(Math.max(...weights))] as GenreFamily;
  let editorialId = editorialByFamily.get(mainFamily);
  if (editorialId === undefined) {
    const editorial = editorialPlaylist(seed, catalog, mainFamily, startTimeMs);
    playlists.set(editorial.id, editorial);
    editorialId = editorial.id;
    editorialByFamily.set(mainFamily, editorialId);
  }
  user.playlistIds.push(editorialId);
}

/** The platforms a user listens on (one or two of the persona's), and their phone's. */
function platformsOf(rng: Rng, persona: Persona) {
  const platforms = rng.chance(0.5)
    ? [rng.pick(persona.platforms)]
    : [rng.pick(persona.platforms), rng.pick(persona.platforms)];
  const mobilePlatform =
    platforms.find((p) => p === 'android' || p === 'ios') ?? (rng.chance(0.5) ? 'android' : 'ios');
  return { platforms, mobilePlatform };
}

/**
 * User `u` and the listener behind their history. Every draw comes from the user's own RNG, in
 * a fixed order (name, taste, sign-up, library, product, playlists, platforms): the world is
 * the same for the same seed.
 */
function generateUser(batch: UserBatch, u: number): Listener {
  const { catalog, options } = batch;
  const { startTimeMs } = options;
  const rng = new Rng(mixSeed(batch.seed, 0x5e5, u));
  const persona = PERSONAS[options.personas[u % options.personas.length] as PersonaName];
  const timezone = persona.timezones[
    Math.floor(u / options.personas.length) % persona.timezones.length
  ] as string;
  const first = firstName(rng);
  const last = lastName(rng);
  const id = `${first}${last}${u + 1}`.toLowerCase();
  const weights = familyWeights(persona);
  const candidates = tasteCandidates(rng, catalog, weights);
  const createdAtMs = batch.historyStartMs - (30 + rng.int(400)) * DAY_MS;
  const addedAt = addedAtOf(rng, createdAtMs, startTimeMs);
  const saved = library(rng, catalog, candidates, persona, startTimeMs, addedAt);
  const user: WorldUser = {
    id,
    displayName: `${first} ${last}`,
    email: `${id}@example.com`,
    country: TIMEZONE_COUNTRY[timezone] ?? 'US',
    product: rng.chance(0.8) ? 'premium' : 'free',
    timezone,
    persona: persona.name,
    createdAtMs,
    savedTracks: saved.savedTracks,
    savedAlbums: saved.savedAlbums,
    followedArtists: saved.followedArtists,
    playlistIds: [],
  };
  addPlaylists(batch, rng, user, { persona, candidates, weights }, addedAt);
  return {
    index: u,
    user,
    persona,
    candidates,
    ...platformsOf(rng, persona),
    historyStartMs: batch.historyStartMs,
    familyWeights: weights,
  };
}

/** Generates users (library, follows, playlists) and the listeners behind their histories. */
export function generateUsers(
  seed: number,
  catalog: Catalog,
  options: UserOptions,
  playlists: Map<string, WorldPlaylist>,
): { users: Map<string, WorldUser>; listeners: Map<string, Listener> } {
  const users = new Map<string, WorldUser>();
  const listeners = new Map<string, Listener>();
  const batch: UserBatch = {
    seed,
    catalog,
    options,
    historyStartMs: options.startTimeMs - options.historyDays * DAY_MS,
    playlists,
    editorialByFamily: new Map(),
  };
  for (let u = 0; u < options.users; u++) {
    const listener = generateUser(batch, u);
    users.set(listener.user.id, listener.user);
    listeners.set(listener.user.id, listener);
  }
  return { users, listeners };
}
