import { seededHash } from '../internal/hash.js';
import type { PlaylistWriter } from './playlist-writer.js';

/** Spotify keeps at most this many characters of a playlist description. */
export const MAX_DESCRIPTION_LENGTH = 300;

/**
 * The durable marker a smart playlist carries in its Spotify description: `spoti:` and 16 hex
 * digits derived from the slug. Letters, digits and a colon only, so Spotify's HTML escaping of
 * descriptions leaves it intact.
 *
 * @example
 * ```ts
 * import { playlistMarker } from '@spoti/playlists';
 * playlistMarker('most-played'); // 'spoti:' followed by 16 hex digits, the same on every call
 * ```
 */
export function playlistMarker(slug: string): string {
  const high = seededHash(0x5b07, slug).toString(16).padStart(8, '0');
  const low = seededHash(0x1157, slug).toString(16).padStart(8, '0');
  return `spoti:${high}${low}`;
}

/**
 * The description a smart playlist is created with: the caller's text, then the marker in
 * parentheses (the text is shortened so the whole fits Spotify's 300 characters).
 */
export function describeWithMarker(description: string, marker: string): string {
  const tag = `(${marker})`;
  const room = MAX_DESCRIPTION_LENGTH - tag.length - 1;
  const text = description.trim();
  if (text === '') return tag;
  const kept = text.length > room ? `${text.slice(0, room - 1).trimEnd()}…` : text;
  return `${kept} ${tag}`;
}

/**
 * Pages through the user's playlists (asking Spotify, never a cache) and returns the ids of
 * those whose description carries `marker`, oldest first (Spotify lists the newest first).
 */
export async function findMarkedPlaylists(
  writer: PlaylistWriter,
  marker: string,
): Promise<string[]> {
  const found: string[] = [];
  for (let offset = 0; ; ) {
    const page = await writer.getMyPlaylists({ limit: 50, offset, cache: 'no-cache' });
    for (const playlist of page.items) {
      if (playlist.description?.includes(marker) === true) found.push(playlist.id);
    }
    offset += page.items.length;
    if (page.next === null || page.items.length === 0 || offset >= page.total) break;
  }
  return found.reverse();
}
