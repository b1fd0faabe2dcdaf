import type { ReleaseDatePrecision } from '@spoti/catalog';
import type { Release, ReleaseType } from '../domain/types.js';
import { releaseDateRange } from './release-date.js';

const DAY_MS = 86_400_000;

// Edition markers that name a version of the same release, not a different release.
const EDITION_MARKER =
  /[([]\s*(?:explicit|clean|edited|censored|super clean|(?:explicit|clean|edited|censored) version|[a-z]+ edition|[a-z]+ version|international version|bonus track version)\s*[)\]]/g;
const TRAILING_MARKER = /\s+-\s+(?:explicit|clean|edited)(?:\s+version)?\s*$/;
const KEPT_EDITIONS =
  /\b(?:deluxe|expanded|anniversary|remaster(?:ed)?|live|acoustic|remix(?:es)?)\b/;

/**
 * Normalises a release title for folding: case, accents and punctuation removed, and edition
 * markers that do not make a different release dropped ("(Clean)", "(Explicit Version)",
 * "(Japan Edition)", " - Edited"). Markers of different content stay ("Deluxe", "Remastered",
 * "Live").
 *
 * @example
 * ```ts
 * normaliseTitle('Mañana (Clean Version)'); // 'manana'
 * normaliseTitle('Mañana (Deluxe Edition)'); // 'manana deluxe edition'
 * ```
 */
export function normaliseTitle(title: string): string {
  let t = title.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  t = t.replace(EDITION_MARKER, (marker) => (KEPT_EDITIONS.test(marker) ? marker : ' '));
  t = t.replace(TRAILING_MARKER, '');
  return t
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The fold key of an edition: `primaryArtistId|type|normalised title`. Editions with the same key
 * whose release dates lie within the fold window are one {@link Release}.
 *
 * @example
 * ```ts
 * foldKey({ primaryArtistId: 'a1', type: 'album', name: 'Night Drive (Clean)' }); // 'a1|album|night drive'
 * ```
 */
export function foldKey(edition: {
  readonly primaryArtistId: string;
  readonly type: ReleaseType;
  readonly name: string;
}): string {
  return `${edition.primaryArtistId}|${edition.type}|${normaliseTitle(edition.name)}`;
}

/**
 * An edition as the fold compares it.
 *
 * @example
 * ```ts
 * const edition: FoldableEdition = { albumId: 'x', foldKey: 'a|album|night drive', releaseDate: '2026-11-06', releaseDatePrecision: 'day', upc: null };
 * ```
 */
export interface FoldableEdition {
  readonly albumId: string;
  readonly foldKey: string;
  readonly releaseDate: string;
  readonly releaseDatePrecision: ReleaseDatePrecision;
  readonly upc: string | null;
}

/**
 * True when an edition belongs to a release: a shared UPC, or the same fold key with release
 * date ranges at most `windowDays` apart (a re-release years later with the same title stays a
 * separate release).
 *
 * @example
 * ```ts
 * if (belongsTo(edition, release, 30)) attach(edition, release);
 * ```
 */
export function belongsTo(edition: FoldableEdition, release: Release, windowDays: number): boolean {
  if (release.editionIds.includes(edition.albumId)) return true;
  if (edition.upc !== null && release.upcs.includes(edition.upc)) return true;
  if (edition.foldKey !== release.foldKey) return false;
  const a = releaseDateRange(edition.releaseDate, edition.releaseDatePrecision);
  const b = releaseDateRange(release.releaseDate, release.releaseDatePrecision);
  const gap = Math.max(0, a.start - b.end, b.start - a.end);
  return gap <= windowDays * DAY_MS;
}
