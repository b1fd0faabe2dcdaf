import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { EnrichError } from '../errors/enrich-error.js';
import { parseOptions } from '../internal/parse-options.js';
import type { CachedValue, EnrichmentCache } from './enrichment-cache.js';

const lineSchema = z.object({ k: z.string(), v: z.unknown(), t: z.number() });
const optionsSchema = z.object({ dir: z.string().min(1) });

/** Options of {@link createFileCache}. */
export interface FileCacheOptions {
  /** The cache folder (created when missing). */
  readonly dir: string;
}

/** A namespace as a safe file name. */
function fileOf(namespace: string): string {
  return `${namespace.replace(/[^A-Za-z0-9._-]+/g, '_')}.jsonl`;
}

/**
 * An {@link EnrichmentCache} in a folder: one append-only JSON-lines file per namespace (the last
 * line for a key wins), read once on first use. Made for the CLI's `--cache-dir`: a second run
 * asks no provider for what the first one fetched. Lines that do not parse are skipped, so a
 * half-written file loses only its last line.
 *
 * @example
 * ```ts
 * const cache = createFileCache({ dir: '.spoti-cache' });
 * ```
 */
export function createFileCache(options: FileCacheOptions): EnrichmentCache {
  const { dir } = parseOptions(optionsSchema, options, 'file cache options');
  const loaded = new Map<string, Promise<Map<string, CachedValue>>>();
  const fail = (action: string, cause: unknown) =>
    new EnrichError({
      code: 'CACHE_FAILURE',
      message: `Cannot ${action} the enrichment cache in ${dir}`,
      cause,
    });

  function load(namespace: string): Promise<Map<string, CachedValue>> {
    let space = loaded.get(namespace);
    if (space === undefined) {
      space = (async () => {
        const map = new Map<string, CachedValue>();
        let text: string;
        try {
          text = await readFile(join(dir, fileOf(namespace)), 'utf8');
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return map;
          throw fail('read', error);
        }
        for (const line of text.split('\n')) {
          if (line.trim() === '') continue;
          let parsed: unknown;
          try {
            parsed = JSON.parse(line);
          } catch {
            continue;
          }
          const entry = lineSchema.safeParse(parsed);
          if (entry.success)
            map.set(entry.data.k, { value: entry.data.v ?? null, fetchedAt: entry.data.t });
        }
        return map;
      })();
      loaded.set(namespace, space);
    }
    return space;
  }

  return {
    async getMany(namespace, keys) {
      const space = await load(namespace);
      const out = new Map<string, CachedValue>();
      for (const key of keys) {
        const hit = space.get(key);
        if (hit !== undefined) out.set(key, hit);
      }
      return out;
    },
    async setMany(namespace, entries) {
      if (entries.size === 0) return;
      const space = await load(namespace);
      let text = '';
      for (const [key, entry] of entries) {
        space.set(key, entry);
        text += `${JSON.stringify({ k: key, v: entry.value, t: entry.fetchedAt })}\n`;
      }
      try {
        await mkdir(dir, { recursive: true });
        await appendFile(join(dir, fileOf(namespace)), text, 'utf8');
      } catch (error) {
        throw fail('write', error);
      }
    },
  };
}
