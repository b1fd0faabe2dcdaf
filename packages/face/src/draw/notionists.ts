import { DEFAULT_CATALOGUE, NOTIONISTS_BODY_BY_HAIR, type PartOption } from '../catalogue.js';
import type { Face } from '../face.js';
import type { FaceMapper } from '../mapper.js';
import { toFaceString } from '../notion-url.js';
import { PARAM_KEYS, type ParamKey } from '../params.js';
import { SKIN_TONES } from './parts.js';

/** DiceBear Notionists options for one face, from {@link notionistsOptions}. */
export interface NotionistsFace {
  /**
   * Options for `createAvatar(notionists, options)` (DiceBear 9): one component per part, so the
   * seed (the face string) never decides anything and the same face always gives the same SVG.
   */
  readonly options: {
    /** The face string (recorded by DiceBear; decides nothing here). */
    readonly seed: string;
    /** Head and body base component. */
    readonly base: readonly string[];
    /** Outfit, chosen from the hair style (so from the genre family). */
    readonly body: readonly string[];
    /** Hair component, from the hair parameter. */
    readonly hair: readonly string[];
    /** Eyes component, from the eyes parameter. */
    readonly eyes: readonly string[];
    /** Lips component, from the mouth parameter. */
    readonly lips: readonly string[];
    /** Nose component, from the nose parameter. */
    readonly nose: readonly string[];
    /** Brows component, from the eyebrows parameter. */
    readonly brows: readonly string[];
    /** Glasses component (ignored when `glassesProbability` is 0). */
    readonly glasses: readonly string[];
    /** 100 with glasses, 0 without. */
    readonly glassesProbability: number;
    /** Gesture component, from the accessories parameter (achievements). */
    readonly gesture: readonly string[];
    /** 100 with a gesture, 0 without. */
    readonly gestureProbability: number;
    /** Always 0: beards are not a Notion Faces parameter. */
    readonly beardProbability: number;
    /** Always 0: no icon on the outfit. */
    readonly bodyIconProbability: number;
  };
  /** Skin colour the renderer paints the face and hands with (Notionists has no skin option). */
  readonly skin: string;
  /** Parameters shown by a plugin part without a Notionists equivalent (drawn as line-art). */
  readonly lineArt: readonly ParamKey[];
}

/**
 * Where line-art of the 400x400 face box lands on a Notionists figure (also 400x400 after
 * scaling): `x' = scale * x + dx`, `y' = scale * y + dy`. It lines the line-art head (127..273
 * wide, top at 102) up with the Notionists head, so plugin hats and crowns sit on it.
 *
 * @example
 * ```ts
 * const { scale, dx, dy } = NOTIONISTS_LINE_ART_TRANSFORM;
 * ctx.transform(scale, 0, 0, scale, dx, dy);
 * ```
 */
export const NOTIONISTS_LINE_ART_TRANSFORM = { scale: 0.78, dx: 41.3, dy: 28.4 } as const;

function pick(option: PartOption | undefined, variant: number): string | null | undefined {
  if (option === undefined) return undefined;
  if (option.notionists === null) return null;
  if (option.notionists.length === 0) return undefined;
  return option.notionists[variant % option.notionists.length];
}

/**
 * Maps a face's eight parameters to DiceBear Notionists options through the parts catalogue
 * (each option's `notionists` column; plugin parts come from `mapper`). Pure and isomorphic: it
 * does not import DiceBear; `@spoti/face/render` builds and rasterises the SVG.
 *
 * @example
 * ```ts
 * const { options, skin } = notionistsOptions(mapFace(profile));
 * options.hair; // ['variant50'] for spiky hair
 * ```
 */
export function notionistsOptions(
  face: Face,
  options: { readonly mapper?: FaceMapper } = {},
): NotionistsFace {
  const chosen = {} as Record<ParamKey, string | null | undefined>;
  const lineArt: ParamKey[] = [];
  for (const key of PARAM_KEYS) {
    const param = face.params[key];
    const catalogue: readonly PartOption[] =
      options.mapper?.catalogue[key] ?? DEFAULT_CATALOGUE[key];
    const value = pick(
      catalogue.find((o) => o.tag === param.tag),
      param.variant,
    );
    chosen[key] = value;
    if (value === null && key !== 's') lineArt.push(key);
  }
  const one = (key: ParamKey): string[] => {
    const v = chosen[key];
    return typeof v === 'string' ? [v] : [];
  };
  const skin = chosen.s ?? SKIN_TONES[face.params.s.tag] ?? SKIN_TONES['tone-1'] ?? '#f7dcc6';
  const glasses = one('y');
  const gesture = one('a');
  return {
    options: {
      seed: toFaceString(face),
      base: ['variant01'],
      body: [NOTIONISTS_BODY_BY_HAIR[face.params.h.tag] ?? 'variant14'],
      hair: one('h'),
      eyes: one('e'),
      lips: one('m'),
      nose: one('n'),
      brows: one('b'),
      glasses,
      glassesProbability: glasses.length === 0 ? 0 : 100,
      gesture,
      gestureProbability: gesture.length === 0 ? 0 : 100,
      beardProbability: 0,
      bodyIconProbability: 0,
    },
    skin,
    lineArt,
  };
}
