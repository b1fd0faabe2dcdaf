import type { World, WorldAlbum, WorldArtist, WorldTrack } from '../../world/types.js';
import { ApiError } from '../api-error.js';
import type { Route, RouteContext } from '../context.js';
import {
  albumTracks,
  marketOf,
  playableIn,
  relink,
  requireAlbum,
  requireArtist,
  requireTrack,
  visibleAlbum,
  visibleTrack,
} from '../lookup.js';
import { offsetPage, parseIds, parseLimit, parseOffset } from '../paging.js';
import {
  audioFeatures,
  fullAlbum,
  fullArtist,
  fullTrack,
  publicUser,
  simplifiedAlbum,
  simplifiedPlaylist,
  simplifiedTrack,
} from '../serialize.js';

const EXTENDED = ['extended'] as const;
const GROUPS = ['album', 'single', 'compilation', 'appears_on'] as const;
type Group = (typeof GROUPS)[number];

const appearsOnCache = new WeakMap<World, Map<string, string[]>>();

/** Albums the artist appears on without being the primary artist (built once per world). */
function appearsOn(world: World, artistId: string): readonly string[] {
  let index = appearsOnCache.get(world);
  if (index === undefined) {
    index = new Map();
    for (const album of world.albums.values()) {
      for (const id of album.artistIds.slice(1)) {
        const list = index.get(id) ?? [];
        list.push(album.id);
        index.set(id, list);
      }
    }
    appearsOnCache.set(world, index);
  }
  return index.get(artistId) ?? [];
}

function isDev(ctx: RouteContext): boolean {
  return ctx.state.profile === 'development-2026';
}

function artistAlbums(ctx: RouteContext): unknown {
  const artist = requireArtist(ctx.state, ctx.params.id ?? '');
  const raw = ctx.query.get('include_groups');
  const groups = new Set<Group>();
  for (const value of (raw ?? GROUPS.join(',')).split(',')) {
    const group = value.trim();
    if (group === '') continue;
    if (!(GROUPS as readonly string[]).includes(group))
      throw new ApiError(400, 'Invalid include_groups');
    groups.add(group as Group);
  }
  const dev = isDev(ctx);
  const limit = parseLimit(ctx.query, dev ? 5 : 20, dev ? 10 : 50);
  const offset = parseOffset(ctx.query);
  const market = marketOf(ctx);
  const entries: { album: WorldAlbum; group: Group }[] = [];
  const add = (ids: readonly string[], groupOf: (album: WorldAlbum) => Group) => {
    for (const id of ids) {
      const album = visibleAlbum(ctx.state, id);
      if (album === undefined) continue;
      if (market !== undefined && !album.markets.includes(market)) continue;
      const group = groupOf(album);
      if (groups.has(group)) entries.push({ album, group });
    }
  };
  add(ctx.state.world.albumsOfArtist(artist.id), (album) => album.albumType);
  add(appearsOn(ctx.state.world, artist.id), () => 'appears_on');
  entries.sort(
    (a, b) =>
      GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group) ||
      b.album.releasedAtMs - a.album.releasedAtMs ||
      (a.album.id < b.album.id ? -1 : 1),
  );
  const query = new URLSearchParams();
  if (raw !== null) query.set('include_groups', raw);
  if (market !== undefined) query.set('market', ctx.query.get('market') ?? market);
  return offsetPage(entries, {
    base: `${ctx.state.api}/artists/${artist.id}/albums`,
    query,
    offset,
    limit,
    map: ({ album, group }) => simplifiedAlbum(ctx.state, album, group),
  });
}

interface SearchQuery {
  readonly terms: string[];
  readonly fields: Map<string, string>;
}

function parseSearch(q: string): SearchQuery {
  const fields = new Map<string, string>();
  const terms: string[] = [];
  const pattern = /(\w+):(?:"([^"]*)"|(\S+))|"([^"]*)"|(\S+)/g;
  for (const match of q.matchAll(pattern)) {
    if (match[1] !== undefined)
      fields.set(match[1].toLowerCase(), (match[2] ?? match[3] ?? '').toLowerCase());
    else terms.push((match[4] ?? match[5] ?? '').toLowerCase());
  }
  return { terms: terms.filter((t) => t !== ''), fields };
}

function matches(text: string, terms: readonly string[]): boolean {
  const lower = text.toLowerCase();
  return terms.every((term) => lower.includes(term));
}

/** One search request's query, as the per-type searches use it. */
interface SearchScope {
  readonly ctx: RouteContext;
  readonly terms: readonly string[];
  readonly fields: ReadonlyMap<string, string>;
  readonly market: string | undefined;
}

/** The terms of a `field:value` filter, or none when the query has no such filter. */
function fieldTerms(fields: ReadonlyMap<string, string>, name: string): string[] {
  const value = fields.get(name);
  return value === undefined ? [] : [value];
}

function artistNames(scope: SearchScope, ids: readonly string[]): string {
  return ids.map((id) => scope.ctx.state.world.artists.get(id)?.name ?? '').join(' ');
}

function yearOk(scope: SearchScope, album: WorldAlbum): boolean {
  const year = scope.fields.get('year');
  if (year === undefined) return true;
  const [from, to = from] = year.split('-');
  const y = album.releaseDate.slice(0, 4);
  return from !== undefined && y >= from && y <= (to ?? from);
}

const byPopularity = <T extends { popularity: number; id: string }>(a: T, b: T) =>
  b.popularity - a.popularity || (a.id < b.id ? -1 : 1);

function searchTracks(scope: SearchScope): WorldTrack[] {
  const { ctx, terms, fields, market } = scope;
  const { availability, world } = ctx.state;
  return [...world.tracks.values()]
    .filter((track) => {
      const album = visibleAlbum(ctx.state, track.albumId);
      if (album === undefined || availability.isRemoved(track.id)) return false;
      if (market !== undefined && !playableIn(ctx.state, track, market)) return false;
      const artists = artistNames(scope, track.artistIds);
      return (
        matches(`${track.name} ${artists} ${album.name}`, terms) &&
        matches(track.name, fieldTerms(fields, 'track')) &&
        matches(artists, fieldTerms(fields, 'artist')) &&
        matches(album.name, fieldTerms(fields, 'album')) &&
        yearOk(scope, album)
      );
    })
    .sort(byPopularity);
}

function searchArtists(scope: SearchScope): WorldArtist[] {
  const { ctx, terms, fields } = scope;
  return [...ctx.state.world.artists.values()]
    .filter(
      (artist) =>
        matches(artist.name, terms) &&
        matches(artist.name, fieldTerms(fields, 'artist')) &&
        (!fields.has('genre') ||
          artist.genres.some((g) => g.toLowerCase() === fields.get('genre'))),
    )
    .sort(byPopularity);
}

function searchAlbums(scope: SearchScope): WorldAlbum[] {
  const { ctx, terms, fields, market } = scope;
  return [...ctx.state.world.albums.values()]
    .filter((album) => {
      if (visibleAlbum(ctx.state, album.id) === undefined) return false;
      if (market !== undefined && !album.markets.includes(market)) return false;
      const artists = artistNames(scope, album.artistIds);
      return (
        matches(`${album.name} ${artists}`, terms) &&
        matches(album.name, fieldTerms(fields, 'album')) &&
        matches(artists, fieldTerms(fields, 'artist')) &&
        yearOk(scope, album)
      );
    })
    .sort(byPopularity);
}

const SEARCH_TYPES = ['album', 'artist', 'playlist', 'track', 'show', 'episode', 'audiobook'];

/** `GET /search`: field filters (`artist:`, `album:`, `track:`, `year:`, `genre:`) and free terms. */
function search(ctx: RouteContext): unknown {
  const q = ctx.query.get('q');
  if (q === null || q.trim() === '') throw new ApiError(400, 'No search query');
  const typeRaw = ctx.query.get('type');
  if (typeRaw === null || typeRaw === '') throw new ApiError(400, 'Missing parameter type');
  const types = typeRaw.split(',').map((t) => t.trim());
  for (const type of types)
    if (!SEARCH_TYPES.includes(type)) throw new ApiError(400, 'Bad search type field');
  const dev = isDev(ctx);
  const limit = parseLimit(ctx.query, dev ? 5 : 20, dev ? 10 : 50);
  const offset = parseOffset(ctx.query, 1000);
  const market = marketOf(ctx);
  const scope: SearchScope = { ctx, ...parseSearch(q), market };
  const base = `${ctx.state.api}/search`;
  const query = new URLSearchParams({ q, type: typeRaw });
  if (market !== undefined) query.set('market', ctx.query.get('market') ?? market);
  const page = <T>(items: T[], map: (item: T) => unknown) =>
    offsetPage(items, { base, query, offset, limit, map });
  const result: Record<string, unknown> = {};
  if (types.includes('track'))
    result.tracks = page(searchTracks(scope), (track) => fullTrack(ctx.state, track));
  if (types.includes('artist'))
    result.artists = page(searchArtists(scope), (artist) => fullArtist(ctx.state, artist));
  if (types.includes('album'))
    result.albums = page(searchAlbums(scope), (album) => simplifiedAlbum(ctx.state, album));
  if (types.includes('playlist')) {
    const items = [...ctx.state.world.playlists.values()]
      .filter(
        (p) => (p.public || p.editorial) && !(dev && p.editorial) && matches(p.name, scope.terms),
      )
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    result.playlists = page(items, (p) => simplifiedPlaylist(ctx.state, p));
  }
  for (const type of ['show', 'episode', 'audiobook']) {
    if (types.includes(type)) result[`${type}s`] = page([], () => null);
  }
  return result;
}

function trackFor(ctx: RouteContext, id: string): unknown {
  const track = requireTrack(ctx.state, id);
  const market = marketOf(ctx);
  const served = relink(ctx.state, track, market);
  return fullTrack(ctx.state, served, served === track ? undefined : track);
}

/** Artists, albums, tracks, search, batch gets and audio features. */
export const catalogRoutes: readonly Route[] = [
  {
    method: 'GET',
    pattern: '/v1/artists/{id}',
    auth: 'any',
    handler: (ctx) => ({
      body: fullArtist(ctx.state, requireArtist(ctx.state, ctx.params.id ?? '')),
    }),
  },
  {
    method: 'GET',
    pattern: '/v1/artists/{id}/albums',
    auth: 'any',
    handler: (ctx) => ({ body: artistAlbums(ctx) }),
  },
  {
    method: 'GET',
    pattern: '/v1/artists/{id}/top-tracks',
    auth: 'any',
    profiles: EXTENDED,
    handler: (ctx) => {
      const artist = requireArtist(ctx.state, ctx.params.id ?? '');
      const market = marketOf(ctx);
      const tracks = ctx.state.world
        .albumsOfArtist(artist.id)
        .flatMap((id) => {
          const album = visibleAlbum(ctx.state, id);
          if (album === undefined || (market !== undefined && !album.markets.includes(market)))
            return [];
          return albumTracks(ctx.state, album).filter(
            (track) => market === undefined || playableIn(ctx.state, track, market),
          );
        })
        .sort((a, b) => b.popularity - a.popularity || (a.id < b.id ? -1 : 1))
        .slice(0, 10);
      return { body: { tracks: tracks.map((t) => fullTrack(ctx.state, t)) } };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/albums/{id}',
    auth: 'any',
    handler: (ctx) => ({
      body: fullAlbum(ctx.state, requireAlbum(ctx.state, ctx.params.id ?? '')),
    }),
  },
  {
    method: 'GET',
    pattern: '/v1/albums/{id}/tracks',
    auth: 'any',
    handler: (ctx) => {
      const album = requireAlbum(ctx.state, ctx.params.id ?? '');
      const limit = parseLimit(ctx.query, 20, 50);
      const offset = parseOffset(ctx.query);
      const market = marketOf(ctx);
      const query = new URLSearchParams();
      if (market !== undefined) query.set('market', ctx.query.get('market') ?? market);
      return {
        body: offsetPage(albumTracks(ctx.state, album), {
          base: `${ctx.state.api}/albums/${album.id}/tracks`,
          query,
          offset,
          limit,
          map: (track) => simplifiedTrack(ctx.state, track),
        }),
      };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/tracks/{id}',
    auth: 'any',
    handler: (ctx) => ({ body: trackFor(ctx, ctx.params.id ?? '') }),
  },
  { method: 'GET', pattern: '/v1/search', auth: 'any', handler: (ctx) => ({ body: search(ctx) }) },
  {
    method: 'GET',
    pattern: '/v1/artists',
    auth: 'any',
    profiles: EXTENDED,
    handler: (ctx) => ({
      body: {
        artists: parseIds(ctx.query, 50).map((id) => {
          const artist = ctx.state.world.artists.get(id);
          return artist === undefined ? null : fullArtist(ctx.state, artist);
        }),
      },
    }),
  },
  {
    method: 'GET',
    pattern: '/v1/tracks',
    auth: 'any',
    profiles: EXTENDED,
    handler: (ctx) => {
      const market = marketOf(ctx);
      return {
        body: {
          tracks: parseIds(ctx.query, 50).map((id) => {
            const track = visibleTrack(ctx.state, id);
            if (track === undefined) return null;
            const served = relink(ctx.state, track, market);
            return fullTrack(ctx.state, served, served === track ? undefined : track);
          }),
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/albums',
    auth: 'any',
    profiles: EXTENDED,
    handler: (ctx) => ({
      body: {
        albums: parseIds(ctx.query, 20).map((id) => {
          const album = visibleAlbum(ctx.state, id);
          return album === undefined ? null : fullAlbum(ctx.state, album);
        }),
      },
    }),
  },
  {
    method: 'GET',
    pattern: '/v1/audio-features',
    auth: 'any',
    profiles: EXTENDED,
    handler: (ctx) => ({
      body: {
        audio_features: parseIds(ctx.query, 100).map((id) => {
          const track = visibleTrack(ctx.state, id);
          return track === undefined ? null : audioFeatures(ctx.state, track);
        }),
      },
    }),
  },
  {
    method: 'GET',
    pattern: '/v1/audio-features/{id}',
    auth: 'any',
    profiles: EXTENDED,
    handler: (ctx) => ({
      body: audioFeatures(ctx.state, requireTrack(ctx.state, ctx.params.id ?? '')),
    }),
  },
  {
    method: 'GET',
    pattern: '/v1/markets',
    auth: 'any',
    profiles: EXTENDED,
    handler: (ctx) => {
      const markets = new Set<string>();
      for (const album of ctx.state.world.albums.values())
        for (const m of album.markets) markets.add(m);
      return { body: { markets: [...markets].sort() } };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/users/{id}',
    auth: 'any',
    profiles: EXTENDED,
    handler: (ctx) => {
      const user = ctx.state.world.users.get(ctx.params.id ?? '');
      if (user === undefined) throw new ApiError(404, 'Resource not found');
      return { body: publicUser(ctx.state, user) };
    },
  },
];

/** Endpoints removed for Development Mode apps that the mock does not otherwise serve: 403 there. */
export const REMOVED_IN_DEVELOPMENT: readonly string[] = [
  '/v1/artists/{id}/related-artists',
  '/v1/recommendations',
  '/v1/recommendations/available-genre-seeds',
  '/v1/audio-analysis/{id}',
  '/v1/browse/new-releases',
  '/v1/browse/categories',
  '/v1/browse/categories/{id}',
  '/v1/browse/categories/{id}/playlists',
  '/v1/browse/featured-playlists',
];
