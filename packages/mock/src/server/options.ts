import { z } from 'zod';
import type { World, WorldOptions } from '../world/types.js';
import type { FaultSettings } from './types.js';

/** Schemes a browser would run or render instead of handing the code to an app. */
const UNSAFE_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:']);

const rate = z.number().min(0).max(1).optional();

export const faultSettingsSchema = z
  .object({
    errorRate: rate,
    statuses: z.array(z.number().int().min(400).max(599)).optional(),
    latencyMs: z.number().int().min(0).optional(),
    dropRate: rate,
    malformedRate: rate,
    earlyExpiryRate: rate,
    paths: z.instanceof(RegExp).optional(),
    retryAfterSeconds: z.number().int().min(0).optional(),
    lostAnswerRate: rate,
    lostAnswerDelayMs: z.number().int().min(1).max(600_000).optional(),
  })
  .strict();

/** The options of `startMock`, with every default in one place. */
export const mockOptionsSchema = z
  .object({
    seed: z.number().int().default(42),
    profile: z.enum(['extended', 'development-2026']).default('development-2026'),
    port: z.number().int().min(0).max(65_535).default(0),
    host: z.string().min(1).default('127.0.0.1'),
    world: z
      .custom<World>(
        (value) =>
          typeof value === 'object' &&
          value !== null &&
          typeof (value as World).playsOf === 'function',
        'world must be a World (from createWorld)',
      )
      .optional(),
    worldOptions: z
      .custom<Partial<WorldOptions>>((v) => typeof v === 'object' && v !== null)
      .optional(),
    accessTokenTtlSeconds: z.number().int().positive().default(3600),
    clients: z
      .array(
        z
          .object({
            clientId: z.string().min(1),
            clientSecret: z.string().min(1).optional(),
            redirectUris: z
              .array(
                z
                  .string()
                  .refine((v) => URL.canParse(v), 'redirect URI must be a URL')
                  .refine(
                    (v) => !URL.canParse(v) || !UNSAFE_SCHEMES.has(new URL(v).protocol),
                    'redirect URI must not use javascript:, data:, vbscript: or file:',
                  )
                  .refine((v) => !v.includes('#'), 'redirect URI must not have a fragment'),
              )
              .optional(),
          })
          .strict(),
      )
      .optional(),
    rateLimit: z
      .object({
        windowMs: z.number().int().positive().optional(),
        allowance: z.number().int().min(0),
        retryAfterSeconds: z.number().int().min(1).optional(),
      })
      .strict()
      .optional(),
    quota: z
      .object({
        daily: z.number().int().min(0),
        retryAfterSeconds: z.number().int().min(1).optional(),
      })
      .strict()
      .optional(),
    faults: faultSettingsSchema.optional(),
    startTimeMs: z.number().int().optional(),
  })
  .strict();

export type ParsedMockOptions = z.output<typeof mockOptionsSchema>;

/** Strips `undefined` values so the result satisfies `exactOptionalPropertyTypes`. */
export function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

export type { FaultSettings };
