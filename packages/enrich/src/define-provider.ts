import { z } from 'zod';
import { parseOptions } from './internal/parse-options.js';
import type { EnrichmentProvider, FeatureProvider, GenreProvider } from './types.js';

const definitionSchema = z.object({
  kind: z.enum(['features', 'genres']),
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$/, {
    message: 'a name of 1-40 letters, digits, spaces, ".", "_" or "-"',
  }),
  confidence: z.number().min(0).max(1),
  batchSize: z.number().int().min(1).max(1_000),
  fetch: z.custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function', {
    message: 'expected a function',
  }),
});

/**
 * Defines an enrichment provider: a source of audio features (keyed by Spotify track id) or of
 * genres (keyed by artist name). The definition is validated here, once, and frozen; the
 * enricher tries providers of a kind in the order they are given.
 *
 * @example
 * ```ts
 * const mine = defineEnrichmentProvider({
 *   kind: 'genres',
 *   name: 'My tags',
 *   confidence: 0.6,
 *   batchSize: 50,
 *   async fetch(artists) {
 *     return new Map(artists.map((a) => [a.name, { genres: ['indie rock'] }]));
 *   },
 * });
 * ```
 */
export function defineEnrichmentProvider<P extends EnrichmentProvider>(definition: P): P;
export function defineEnrichmentProvider(
  definition: FeatureProvider | GenreProvider,
): EnrichmentProvider {
  const name =
    typeof (definition as { name?: unknown })?.name === 'string'
      ? (definition as { name: string }).name
      : undefined;
  parseOptions(
    definitionSchema,
    definition,
    `enrichment provider${name === undefined ? '' : ` "${name}"`}`,
    {
      code: 'INVALID_PROVIDER',
      ...(name === undefined ? {} : { provider: name }),
    },
  );
  return Object.freeze({ ...definition });
}
