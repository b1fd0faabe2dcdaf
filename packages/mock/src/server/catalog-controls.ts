import { z } from 'zod';
import { addRelease as addToCatalog } from '../world/added-release.js';
import { MARKETS } from '../world/catalog.js';
import { catalogOf } from '../world/create-world.js';
import { mixSeed, Rng } from '../world/prng.js';
import { MockError } from './mock-error.js';
import { parseOptions } from './parse-options.js';
import type { MockRuntime } from './runtime.js';
import type { MockControls } from './types.js';

const marketsSchema = z
  .array(z.string().regex(/^[A-Z]{2}$/))
  .readonly()
  .nullable();

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const releaseSchema = z
  .object({
    artistId: z.string().min(1),
    name: z.string().min(1).optional(),
    type: z.enum(['album', 'single', 'compilation']),
    releaseDate: z.string().refine((value) => {
      const m = DATE.exec(value);
      if (m === null) return false;
      const month = m[2] === undefined ? 1 : Number(m[2]);
      const day = m[3] === undefined ? 1 : Number(m[3]);
      const date = new Date(Date.UTC(Number(m[1]), month - 1, day));
      return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
    }, 'expected a date like "1999", "1999-04" or "1999-04-23"'),
    availableAtMs: z.number().int().optional(),
    markets: z
      .array(z.string().regex(/^[A-Z]{2}$/))
      .min(1)
      .optional(),
    explicitAndClean: z.boolean().optional(),
    tracks: z.number().int().min(1).max(100).optional(),
  })
  .strict();
const DEFAULT_TRACKS = { album: 10, single: 1, compilation: 14 } as const;

type ReleaseAdder = MockControls['catalog']['addRelease'];

/** `controls.catalog.addRelease`: validates the release and adds it to the world's catalogue. */
function releaseAdder(rt: MockRuntime): ReleaseAdder {
  const { world, clock } = rt;
  let addedReleases = 0;
  return (release) => {
    const spec = parseOptions(releaseSchema, release, 'release');
    if (!world.artists.has(spec.artistId))
      throw new MockError({ code: 'UNKNOWN_ARTIST', message: `No such artist: ${spec.artistId}` });
    const catalog = catalogOf(world);
    if (catalog === undefined)
      throw new MockError({
        code: 'INVALID_OPTIONS',
        message: 'addRelease needs a world made by createWorld',
      });
    const parts = spec.releaseDate.split('-').length;
    addedReleases++;
    return addToCatalog(catalog, new Rng(mixSeed(world.seed, 0xadd, addedReleases)), {
      artistId: spec.artistId,
      name: spec.name,
      type: spec.type,
      releaseDate: spec.releaseDate,
      releaseDatePrecision: parts === 1 ? 'year' : parts === 2 ? 'month' : 'day',
      availableAtMs: spec.availableAtMs ?? clock.now(),
      markets: spec.markets === undefined ? MARKETS : [...new Set(spec.markets)].sort(),
      explicitAndClean: spec.explicitAndClean ?? false,
      tracks: spec.tracks ?? DEFAULT_TRACKS[spec.type],
    });
  };
}

/** `controls.catalog`: removing, restricting and restoring tracks, and adding releases. */
export function catalogControls(rt: MockRuntime): MockControls['catalog'] {
  const { world, clock, availability } = rt;
  const requireTrackId = (trackId: string) => {
    if (typeof trackId !== 'string' || !world.tracks.has(trackId))
      throw new MockError({ code: 'UNKNOWN_TRACK', message: `No such track: ${String(trackId)}` });
  };
  return {
    removeTrack(trackId) {
      requireTrackId(trackId);
      availability.remove(trackId, clock.now());
    },
    restrictTrack(trackId, markets) {
      requireTrackId(trackId);
      const checked = parseOptions(
        marketsSchema,
        markets,
        'markets for restrictTrack (null or ISO 3166-1 alpha-2 codes like "DE")',
      );
      availability.restrict(trackId, checked, clock.now());
    },
    restoreTrack(trackId) {
      requireTrackId(trackId);
      availability.restore(trackId);
    },
    addRelease: releaseAdder(rt),
  };
}
