import type { SpotifySimplifiedAlbum } from '@spoti/client';
import { describe, expect, it } from 'vitest';
import type { Release, ReleaseGroup } from '../src/index.js';
import {
  foldEditions,
  releaseTypeOf,
  splitScan,
  withinHorizon,
} from '../src/logic/fold-editions.js';
import type { ScannedEdition } from '../src/scan.js';

const NOW = Date.UTC(2026, 11, 6);

function album(
  id: string,
  name: string,
  date: string,
  artists: readonly [string, string][] = [['a1', 'Ada']],
  precision: 'day' | 'month' | 'year' = 'day',
): SpotifySimplifiedAlbum {
  return {
    id,
    name,
    album_type: 'album',
    release_date: date,
    release_date_precision: precision,
    total_tracks: 10,
    artists: artists.map(([artistId, artistName]) => ({ id: artistId, name: artistName })),
    images: [],
    external_urls: { spotify: `https://open.spotify.com/album/${id}` },
  } as unknown as SpotifySimplifiedAlbum;
}

function item(a: SpotifySimplifiedAlbum, group: ReleaseGroup = 'album'): ScannedEdition {
  return { album: a, group };
}

describe('releaseTypeOf', () => {
  it('keeps singles and compilations, and calls everything else an album', () => {
    expect(releaseTypeOf('SINGLE')).toBe('single');
    expect(releaseTypeOf('compilation')).toBe('compilation');
    expect(releaseTypeOf('ep')).toBe('album');
  });
});

describe('splitScan', () => {
  it('notes the newest album per group, drops seen and repeated albums, and learns the name', () => {
    const items = [
      item(album('n1', 'New', '2026-12-04', [['a1', 'Ada L.']])),
      item(album('s1', 'Seen', '2026-11-01')),
      item(album('n1', 'New', '2026-12-04')),
      item(album('x1', 'Guest spot', '2026-12-01', [['b2', 'Bo']]), 'appears_on'),
    ];
    const split = splitScan(items, new Set(['s1']), 'a1', null);
    expect(split.newestSeen).toEqual({ album: 'n1', appears_on: 'x1' });
    expect(split.unseen.map((i) => i.album.id)).toEqual(['n1', 'x1']);
    expect(split.name).toBe('Ada');
  });

  it('keeps the known name when no album names the artist', () => {
    const items = [item(album('x1', 'Guest spot', '2026-12-01', [['b2', 'Bo']]), 'appears_on')];
    expect(splitScan(items, new Set(), 'a1', 'Ada').name).toBe('Ada');
  });
});

describe('withinHorizon', () => {
  it('keeps releases that may end after the horizon and undated ones', () => {
    const items = [
      item(album('old', 'Old', '2025-01-01')),
      item(album('year', 'This year', '2026', undefined, 'year')),
      item(album('bad', 'Bad date', 'soon')),
    ];
    const kept = withinHorizon(items, Date.UTC(2026, 10, 1));
    expect(kept.map((i) => i.album.id)).toEqual(['year', 'bad']);
  });
});

describe('foldEditions', () => {
  const base = { artistId: 'a1', foldWindowDays: 30, now: NOW, existing: [] as Release[] };

  it('folds a clean version into the release of the explicit one, oldest edition first', () => {
    const result = foldEditions({
      ...base,
      editions: [
        item(album('clean', 'Night Drive (Clean)', '2026-12-05')),
        item(album('explicit', 'Night Drive', '2026-12-04')),
      ],
    });
    expect(result.created).toBe(1);
    expect(result.attached).toBe(1);
    expect(result.changed).toHaveLength(1);
    const [release] = result.changed;
    expect(release?.id).toBe('explicit');
    expect(release?.editionIds).toEqual(['explicit', 'clean']);
    expect(release?.discoveredAt).toBe(NOW);
    expect(Object.fromEntries(result.releaseOfEdition)).toEqual({
      explicit: 'explicit',
      clean: 'explicit',
    });
  });

  it('keeps a re-release outside the fold window apart', () => {
    const result = foldEditions({
      ...base,
      editions: [
        item(album('first', 'Night Drive', '2024-03-01')),
        item(album('again', 'Night Drive', '2026-12-04')),
      ],
    });
    expect(result.created).toBe(2);
    expect(result.attached).toBe(0);
  });

  it('attaches to a stored release and upgrades an appears_on group to the own group', () => {
    const stored = foldEditions({
      ...base,
      artistId: 'b2',
      editions: [
        item(
          album('r1', 'Duet', '2026-12-01', [
            ['a1', 'Ada'],
            ['b2', 'Bo'],
          ]),
          'appears_on',
        ),
      ],
    }).changed;
    expect(stored[0]?.group).toBe('appears_on');
    const result = foldEditions({
      ...base,
      existing: stored,
      editions: [item(album('r1-jp', 'Duet (Japan Edition)', '2026-12-02'))],
    });
    expect(result.created).toBe(0);
    expect(result.attached).toBe(1);
    expect(result.changed[0]).toMatchObject({
      id: 'r1',
      group: 'album',
      editionIds: ['r1', 'r1-jp'],
      foundVia: ['b2', 'a1'],
    });
  });

  it('changes nothing when an edition is already folded by this artist', () => {
    const stored = foldEditions({
      ...base,
      editions: [item(album('r1', 'Solo', '2026-12-01'))],
    }).changed;
    const result = foldEditions({
      ...base,
      existing: stored,
      editions: [item(album('r1', 'Solo', '2026-12-01'))],
    });
    expect(result.changed).toEqual([]);
    expect(result.releaseOfEdition.get('r1')).toBe('r1');
  });
});
