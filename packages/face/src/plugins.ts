import { z } from 'zod';
import { FaceError } from './errors/face-error.js';
import type { Face, FaceInput, FaceParam } from './face.js';
import type { PartDrawContext, Shape } from './draw/shape.js';
import { PARAM_KEYS, type ParamKey } from './params.js';
import type { FaceProfile } from './profile-input.js';

/** What a plugin's parameter mapping receives. */
export interface PluginMappingContext {
  readonly profile: FaceProfile;
  /** The parameter as decided so far (default mapping, then earlier plugins). */
  readonly current: FaceParam;
  /** All eight parameters as decided so far. */
  readonly params: Readonly<Record<ParamKey, FaceParam>>;
}

/**
 * What a plugin's parameter mapping returns: a tag from the catalogue (including parts added by
 * plugins) or a Notion index, and the reason. Return `undefined` to keep the current value.
 */
export interface PluginMappingResult {
  readonly tag?: string;
  readonly value?: number;
  readonly variant?: number;
  readonly reason: string;
  readonly inputs?: readonly FaceInput[];
}

/** A plugin's mapping of one parameter. */
export type PluginMapping = (ctx: PluginMappingContext) => PluginMappingResult | undefined;

/** A plugin's mapping of an extra value (beside the eight parameters). */
export type PluginExtraMapping = (ctx: {
  readonly profile: FaceProfile;
  readonly params: Readonly<Record<ParamKey, FaceParam>>;
}) => { readonly value: string | number; readonly reason: string } | undefined;

/** A part a plugin adds to the catalogue, with its own line-art. */
export interface PluginPart {
  readonly tag: string;
  readonly description: string;
  /** Notion indices (one per variant); must be inside the ranges and unused by other parts. */
  readonly notion: readonly number[];
  /** Draws the part in the 400x400 face box (line-art style, and over Notionists figures). */
  readonly draw: (ctx: PartDrawContext) => readonly Shape[];
  /**
   * Optional DiceBear Notionists equivalent, one value per variant (see `NOTIONISTS_PARTS` for
   * the part each parameter uses). Without it the Notionists style draws `draw`'s line-art over
   * the figure, aligned to its head.
   */
  readonly notionists?: readonly string[];
}

/** Context of an overlay's drawing function. */
export interface OverlayContext {
  readonly face: Face;
  readonly ink: string;
  readonly paper: string;
}

/** Shapes a plugin draws over the face (in the 400x400 face box), e.g. a badge. */
export interface FaceOverlay {
  readonly id: string;
  readonly draw: (ctx: OverlayContext) => readonly Shape[];
}

/** A render target a plugin adds: turns a face into a string or bytes (an embed, ASCII, ...). */
export type FaceTarget = (
  face: Face,
  ctx: { readonly profile: FaceProfile | undefined },
) => string | Uint8Array;

/** The definition passed to {@link defineFacePlugin}. */
export interface FacePluginDefinition {
  /** Unique name, lowercase letters, digits, `-`, `/`, `@` and `.`. */
  readonly name: string;
  /** The plugin's version (semver). */
  readonly version: string;
  /** `pre` plugins run before normal ones, `post` after; default normal. */
  readonly enforce?: 'pre' | 'post';
  /** Within the same `enforce` group, higher runs first (default 0); ties keep registration order. */
  readonly priority?: number;
  readonly mappings?: Partial<Record<ParamKey, PluginMapping>>;
  readonly extras?: Readonly<Record<string, PluginExtraMapping>>;
  readonly targets?: Readonly<Record<string, FaceTarget>>;
  readonly parts?: Partial<Record<ParamKey, readonly PluginPart[]>>;
  readonly overlays?: readonly FaceOverlay[];
}

/** A validated plugin, made by {@link defineFacePlugin}. */
export interface FacePlugin extends FacePluginDefinition {
  readonly kind: 'spoti-face-plugin';
}

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', {
  message: 'must be a function',
});

const partSchema = z.object({
  tag: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'tags are lowercase words joined by -'),
  description: z.string().min(1),
  notion: z.array(z.number().int().min(0)).min(1),
  draw: fn,
  notionists: z
    .array(z.string().regex(/^[#\w-]+$/, 'a Notionists component name or a colour'))
    .optional(),
});

const definitionSchema = z.object({
  name: z.string().regex(/^[a-z0-9@][a-z0-9@/._-]*$/, 'use lowercase letters, digits, - / @ .'),
  version: z.string().regex(/^\d+\.\d+\.\d+([-+][\w.-]+)?$/, 'must be a semver version'),
  enforce: z.enum(['pre', 'post']).optional(),
  priority: z.number().finite().optional(),
  mappings: z.partialRecord(z.enum(PARAM_KEYS), fn).optional(),
  extras: z.record(z.string().regex(/^[a-z][\w.-]*$/), fn).optional(),
  targets: z.record(z.string().regex(/^[a-z][\w.-]*$/), fn).optional(),
  parts: z.partialRecord(z.enum(PARAM_KEYS), z.array(partSchema)).optional(),
  overlays: z.array(z.object({ id: z.string().min(1), draw: fn })).optional(),
});

/**
 * Defines a face plugin: overrides or adds mappings, adds render targets, parts or overlays.
 * The definition is validated now; ranges and part clashes are checked when the plugin is
 * registered with {@link createFaceMapper}.
 *
 * @example
 * ```ts
 * const sunny = defineFacePlugin({
 *   name: 'always-sunny',
 *   version: '1.0.0',
 *   mappings: { m: () => ({ tag: 'big-smile', reason: 'This plugin keeps everyone smiling.' }) },
 * });
 * const mapper = createFaceMapper({ plugins: [sunny] });
 * ```
 */
export function defineFacePlugin(definition: FacePluginDefinition): FacePlugin {
  const parsed = definitionSchema.safeParse(definition);
  if (!parsed.success) {
    const name = typeof definition?.name === 'string' ? definition.name : '(unnamed)';
    throw new FaceError({
      code: 'INVALID_PLUGIN',
      plugin: name,
      message: `Invalid face plugin "${name}": ${parsed.error.issues
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}`,
      cause: parsed.error,
    });
  }
  return Object.freeze({ ...definition, kind: 'spoti-face-plugin' as const });
}

/** Sorts plugins: `pre`, normal, `post`; then priority descending; ties keep their order. */
export function orderPlugins(plugins: readonly FacePlugin[]): FacePlugin[] {
  const group = (p: FacePlugin): number => (p.enforce === 'pre' ? 0 : p.enforce === 'post' ? 2 : 1);
  return plugins
    .map((plugin, index) => ({ plugin, index }))
    .sort(
      (x, y) =>
        group(x.plugin) - group(y.plugin) ||
        (y.plugin.priority ?? 0) - (x.plugin.priority ?? 0) ||
        x.index - y.index,
    )
    .map((x) => x.plugin);
}
