import { describe, expect, it } from 'vitest';
import { describeWithMarker } from '../src/plan/playlist-marker.js';
import { MAX_DESCRIPTION_LENGTH, playlistMarker } from '../src/index.js';

describe('playlist marker', () => {
  it('is stable per slug, distinct between slugs, and survives HTML escaping', () => {
    expect(playlistMarker('most-played')).toBe(playlistMarker('most-played'));
    expect(playlistMarker('most-played')).toMatch(/^spoti:[0-9a-f]{16}$/);
    const markers = new Set(Array.from({ length: 5_000 }, (_, k) => playlistMarker(`slug-${k}`)));
    expect(markers.size).toBe(5_000);
    expect(playlistMarker('<script>&"/')).toMatch(/^spoti:[0-9a-f]{16}$/);
  });

  it('fits any description into Spotify’s 300 characters with the marker intact', () => {
    const marker = playlistMarker('x');
    expect(describeWithMarker('', marker)).toBe(`(${marker})`);
    expect(describeWithMarker('  Saved, never played  ', marker)).toBe(
      `Saved, never played (${marker})`,
    );
    const long = describeWithMarker('a'.repeat(1_000_000), marker);
    expect(long.length).toBeLessThanOrEqual(MAX_DESCRIPTION_LENGTH);
    expect(long.endsWith(`… (${marker})`)).toBe(true);
  });
});
