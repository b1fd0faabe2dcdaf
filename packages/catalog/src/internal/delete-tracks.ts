import { z } from 'zod';
import type { DeleteTracksResult, KeptTrackReason } from '../store/catalog-store.js';
import { parseOptions } from './parse-options.js';

const trackIdsSchema = z.array(z.string());

/** Validates the argument of `deleteTracks` and drops repeats (first occurrence kept). */
export function deleteTrackIds(trackIds: unknown): string[] {
  return [...new Set(parseOptions(trackIdsSchema, trackIds, 'track ids'))];
}

/** Reasons in reporting order: the first that applies is the one reported. */
export const KEPT_REASONS: readonly KeptTrackReason[] = [
  'played',
  'liked',
  'favourite',
  'in-playlist',
];

/**
 * Splits the existing requested ids into deleted and kept, in request order. `reasons` maps a
 * reason to the ids it applies to; `deletable` holds the ids actually deleted.
 */
export function deleteTracksResult(
  ids: readonly string[],
  reasons: ReadonlyMap<KeptTrackReason, ReadonlySet<string>>,
  deleted: ReadonlySet<string>,
): DeleteTracksResult {
  const out: DeleteTracksResult = { deleted: [], kept: [] };
  for (const id of ids) {
    if (deleted.has(id)) {
      out.deleted.push(id);
      continue;
    }
    const reason = KEPT_REASONS.find((r) => reasons.get(r)?.has(id) === true);
    if (reason !== undefined) out.kept.push({ id, reason });
  }
  return out;
}
