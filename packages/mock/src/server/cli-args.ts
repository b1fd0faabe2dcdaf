import { parseArgs } from 'node:util';
import type { PersonaName, ProfileName, WorldSize } from '../world/types.js';

/** What the `spoti-mock` command was asked to do. */
export type CliCommand =
  | { readonly kind: 'help' }
  | {
      readonly kind: 'serve';
      readonly port: number;
      readonly host: string;
      readonly seed: number;
      readonly profile: ProfileName;
      readonly size: WorldSize | undefined;
    }
  | {
      readonly kind: 'export';
      readonly seed: number;
      readonly persona: PersonaName;
      readonly plays: number;
      readonly out: string;
      readonly naming: 'extended' | 'endsong';
      readonly accountData: boolean;
    };

/** A usage error with a message meant for the terminal. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export const USAGE = `Usage:
  spoti-mock [--port 8888] [--host 127.0.0.1] [--seed 42] [--profile development-2026|extended] [--size tiny|small|medium|large]
      Serve a local Spotify Web API (under /v1) and accounts service (/authorize, /api/token).
  spoti-mock export --out my_spotify_data.zip [--seed 42] [--persona night-owl] [--plays 500000]
                    [--naming extended|endsong] [--account-data]
      Write a synthetic "Extended streaming history" data export.
`;

const PROFILES: readonly ProfileName[] = ['extended', 'development-2026'];
const SIZES: readonly WorldSize[] = ['tiny', 'small', 'medium', 'large'];
const PERSONAS: readonly PersonaName[] = [
  'night-owl',
  'morning-acoustic',
  'eclectic-explorer',
  'heavy-pop',
  'jazz-commuter',
  'weekend-raver',
];

function integer(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new CliUsageError(
      `--${name} must be an integer between ${min} and ${max} (got "${raw}")`,
    );
  }
  return value;
}

function oneOf<T extends string>(
  name: string,
  raw: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new CliUsageError(`--${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}

/** Parses the command line (without `node` and the script). Throws {@link CliUsageError}. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const isExport = argv[0] === 'export';
  const args = isExport ? argv.slice(1) : [...argv];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: isExport
        ? {
            seed: { type: 'string' },
            persona: { type: 'string' },
            plays: { type: 'string' },
            out: { type: 'string' },
            naming: { type: 'string' },
            'account-data': { type: 'boolean' },
            help: { type: 'boolean', short: 'h' },
          }
        : {
            port: { type: 'string', short: 'p' },
            host: { type: 'string' },
            seed: { type: 'string' },
            profile: { type: 'string' },
            size: { type: 'string' },
            help: { type: 'boolean', short: 'h' },
          },
    });
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const str = (name: string) => (typeof v[name] === 'string' ? (v[name] as string) : undefined);
  if (v.help === true) return { kind: 'help' };
  const seed = integer('seed', str('seed'), 42, 0, 2 ** 32 - 1);
  if (isExport) {
    const out = str('out');
    if (out === undefined || out === '') throw new CliUsageError('export needs --out <file.zip>');
    return {
      kind: 'export',
      seed,
      persona: oneOf('persona', str('persona'), PERSONAS, 'night-owl'),
      plays: integer('plays', str('plays'), 10_000, 1, 100_000_000),
      out,
      naming: oneOf('naming', str('naming'), ['extended', 'endsong'] as const, 'extended'),
      accountData: v['account-data'] === true,
    };
  }
  return {
    kind: 'serve',
    port: integer('port', str('port'), 8888, 0, 65_535),
    host: str('host') ?? '127.0.0.1',
    seed,
    profile: oneOf('profile', str('profile'), PROFILES, 'development-2026'),
    size: str('size') === undefined ? undefined : oneOf('size', str('size'), SIZES, 'small'),
  };
}
