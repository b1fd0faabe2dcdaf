import { z } from 'zod';
import type { Face, FaceInput, FaceParam } from './face.js';
import type { PartDrawContext, Shape } from './draw/shape.js';
import { PARAM_KEYS, type ParamKey } from './params.js';
import type { FaceProfile } from './profile-input.js';
import { parseOptions } from './internal/parse-options.js';

/** What a plugin's parameter mapping receives. */
export interface PluginMappingContext {
  /** The profile being mapped. */
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
  /** A catalogue tag for the parameter (the plugin's own parts included); wins over `value`. */
  readonly tag?: string;
  /** A Notion Faces index, used when no `tag` is given; must be inside the ranges. */
  readonly value?: number;
  /** Variant of the tag (index into its `notion` list; default 0). */
  readonly variant?: number;
  /** One sentence a listener understands, shown with the parameter. */
  readonly reason: string;
  /** The profile inputs the decision used, with their confidence. */
  readonly inputs?: readonly FaceInput[];
}

/** A plugin's mapping of one parameter. */
export type PluginMapping = (ctx: PluginMappingContext) => PluginMappingResult | undefined;

/** A plugin's mapping of an extra value (beside the eight parameters). */
export type PluginExtraMapping = (ctx: {
  /** The profile being mapped. */
  readonly profile: FaceProfile;
  /** All eight parameters as decided so far. */
  readonly params: Readonly<Record<ParamKey, FaceParam>>;
}) => { readonly value: string | number; readonly reason: string } | undefined;

/** A part a plugin adds to the catalogue, with its own line-art. */
export interface PluginPart {
  /** Meaning tag of the part (lowercase words joined by `-`), unique within its parameter. */
  readonly tag: string;
  /** What the part looks like, for pickers and docs. */
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
  /** The face being drawn. */
  readonly face: Face;
  /** Line colour of the drawing (CSS colour). */
  readonly ink: string;
  /** Background colour of the drawing (CSS colour). */
  readonly paper: string;
}

/** Shapes a plugin draws over the face (in the 400x400 face box), e.g. a badge. */
export interface FaceOverlay {
  /** Identifier of the overlay, unique within the plugin. */
  readonly id: string;
  /** Draws the overlay's shapes in the 400x400 face box. */
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
  /** Mappings that replace or adjust parameters, by key. */
  readonly mappings?: Partial<Record<ParamKey, PluginMapping>>;
  /** Extra values computed beside the eight parameters, by name (land in `face.extras`). */
  readonly extras?: Readonly<Record<string, PluginExtraMapping>>;
  /** Render targets by name, used through `mapper.renderTarget(name, face)`. */
  readonly targets?: Readonly<Record<string, FaceTarget>>;
  /** Parts added to the catalogue, by parameter. */
  readonly parts?: Partial<Record<ParamKey, readonly PluginPart[]>>;
  /** Shapes drawn over every face, in order. */
  readonly overlays?: readonly FaceOverlay[];
}

/** A validated plugin, made by {@link defineFacePlugin}. */
export interface FacePlugin extends FacePluginDefinition {
  /** Brand set by {@link defineFacePlugin}; mappers only accept validated plugins. */
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
  const name = typeof definition?.name === 'string' ? definition.name : '(unnamed)';
  parseOptions(definitionSchema, definition, `face plugin "${name}"`, {
    code: 'INVALID_PLUGIN',
    plugin: name,
  });
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
