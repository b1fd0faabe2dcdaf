import { z } from 'zod';
import { isSpotifyError, SpotifyError } from '../errors/spotify-error.js';
import type { ClientCore } from '../internal/client-core.js';
import { args } from '../internal/args.js';
import { chunk } from '../internal/chunk.js';
import type { CallOptions } from './params.js';

/** Ids per call of the batch endpoints (Extended Quota apps only). */
export const batchLimits = {
  'batch-artists': 50,
  'batch-tracks': 50,
  'batch-albums': 20,
  'audio-features': 100,
} as const;

/** How to fetch one kind of item: the batch endpoint and its body key, or one by one. */
export interface BatchSpec<T> {
  batchPath: string;
  key: string;
  item: z.ZodType<T>;
  single: (id: string) => Promise<T>;
}

/**
 * Several items by id, in input order (null for unknown ids): the batch endpoint in chunks while
 * the app has it, else one single get per distinct id within `callBudget`.
 */
export async function batchGet<T>(
  core: ClientCore,
  capability: 'batch-artists' | 'batch-tracks' | 'batch-albums',
  ids: readonly string[],
  options: CallOptions,
  spec: BatchSpec<T>,
): Promise<Array<T | null>> {
  args.ids(ids);
  args.params(options);
  const batched = await core.withCapability(capability, ids.length > 0, () =>
    batchRequests(core, batchLimits[capability], ids, options, spec),
  );
  if (batched.done) return batched.value;
  return oneByOne(core, ids, spec.single);
}

async function batchRequests<T>(
  core: ClientCore,
  size: number,
  ids: readonly string[],
  options: CallOptions,
  spec: BatchSpec<T>,
): Promise<Array<T | null>> {
  const out: Array<T | null> = [];
  for (const part of chunk(ids, size)) {
    const body = await core.request({
      method: 'GET',
      endpoint: `GET ${spec.batchPath}`,
      path: spec.batchPath,
      query: { ids: part.join(',') },
      schema: z.object({ [spec.key]: z.array(spec.item.nullable()) }) as unknown as z.ZodType<
        Record<string, Array<T | null>>
      >,
      modeGated: true,
      signal: options.signal,
    });
    out.push(...(body[spec.key] ?? []));
  }
  return out;
}

async function oneByOne<T>(
  core: ClientCore,
  ids: readonly string[],
  single: (id: string) => Promise<T>,
): Promise<Array<T | null>> {
  const unique = [...new Set(ids)];
  const budget = core.options.callBudget;
  if (unique.length > budget) {
    throw new SpotifyError({
      code: 'CALL_BUDGET_EXCEEDED',
      message: `Fetching ${unique.length} items one by one exceeds the call budget of ${budget}`,
    });
  }
  const found = new Map<string, T | null>();
  await Promise.all(
    unique.map(async (id) => {
      try {
        found.set(id, await single(id));
      } catch (error) {
        if (isSpotifyError(error) && error.code === 'NOT_FOUND') found.set(id, null);
        else throw error;
      }
    }),
  );
  return ids.map((id) => found.get(id) ?? null);
}
