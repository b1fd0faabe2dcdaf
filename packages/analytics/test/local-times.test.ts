import { zoneOffsets } from '@spoti/catalog';
import { describe, expect, it } from 'vitest';
import { localTimes } from '../src/internal/local-times.js';
import { createPlayIndex } from '../src/stats/play-index.js';
import { at, play } from './helpers.js';

describe('local-time column', () => {
  // Every 7 minutes across the spring-forward night in Paris (01:00 UTC), plus far-apart plays
  // out of order and in another zone change (autumn), so buckets are entered and left often.
  const times = [
    ...Array.from(
      { length: 60 },
      (_, k) => at('2025-03-29T22:00:00Z') + k * 7 * 60_000 + k * 1_013,
    ),
    at('2025-10-26T00:59:59.999Z'),
    at('2025-10-26T01:00:00Z'),
    at('2024-01-01T12:00:00Z'),
    at('2025-10-26T00:59:00Z'),
  ];
  const build = () => {
    const index = createPlayIndex({ dedupe: false });
    index.addAll(times.map((endedAt, k) => play({ endedAt, trackId: `t${k}` })));
    return index;
  };

  it('equals the zone offsets play by play, across daylight-saving changes', () => {
    const index = build();
    for (const zone of ['Europe/Paris', 'America/St_Johns', 'Asia/Kathmandu', 'UTC']) {
      const offsets = zoneOffsets(zone);
      const local = localTimes(index, offsets);
      expect(local.length).toBe(index.size);
      expect(Array.from(local)).toEqual(times.map((t) => offsets.local(t)));
    }
  });

  it('is reused while the index is unchanged and rebuilt after a play is added', () => {
    const index = build();
    const paris = zoneOffsets('Europe/Paris');
    const first = localTimes(index, paris);
    expect(localTimes(index, paris)).toBe(first);
    const later = at('2026-07-01T10:00:00Z');
    index.add(play({ endedAt: later, trackId: 'new' }));
    const second = localTimes(index, paris);
    expect(second).not.toBe(first);
    expect(second[index.size - 1]).toBe(paris.local(later));
    expect(localTimes(index, zoneOffsets('Asia/Tokyo'))[0]).toBe(
      zoneOffsets('Asia/Tokyo').local(times[0] as number),
    );
  });
});
