import type { Play } from '@spoti/catalog';

/** A hand-built play (defaults for everything not under test). */
export function play(overrides: Partial<Play> & Pick<Play, 'endedAt'>): Play {
  return {
    userId: 'u1',
    trackId: 't1',
    trackName: 'Song',
    artistIds: ['a1'],
    artistName: 'Artist',
    albumId: 'al1',
    albumName: 'Album',
    msPlayed: 180_000,
    skipped: false,
    reasonStart: 'trackdone',
    reasonEnd: 'trackdone',
    shuffle: false,
    offline: false,
    offlineTimestamp: null,
    platform: 'linux',
    source: 'api',
    ...overrides,
  };
}

/** Unix ms of an ISO instant. */
export const at = (iso: string): number => Date.parse(iso);
