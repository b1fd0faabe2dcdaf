import { readFile } from 'node:fs/promises';
import { EXPORT_LIMITS } from '@spoti/analytics';
import { cut } from './format.js';
import { UsageError } from './io.js';

/**
 * Reads a `--genres` file: a JSON object of artist name -> genre names. Keys are lower-cased;
 * non-string genres are dropped and names are cut to the importer's text limit, so a hostile file
 * cannot blow up any output. Bad files raise {@link UsageError} with the reason.
 */
export async function loadGenres(path: string): Promise<Map<string, readonly string[]>> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `cannot read --genres ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError(`--genres ${path} must hold a JSON object of artist name -> genre list`);
  }
  const max = EXPORT_LIMITS.maxTextLength;
  const map = new Map<string, readonly string[]>();
  for (const [artist, genres] of Object.entries(data)) {
    if (Array.isArray(genres))
      map.set(
        cut(artist, max).toLowerCase(),
        genres.filter((g): g is string => typeof g === 'string').map((g) => cut(g, max)),
      );
  }
  return map;
}
