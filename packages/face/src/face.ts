import type { ParamKey, ParamName } from './params.js';

/** One input a parameter's choice was based on. */
export interface FaceInput {
  /** Profile field, e.g. `signals.energy` or `topGenre.family`. */
  readonly name: string;
  /** The value read (a 0..1 signal, a genre family, an achievement id), or null when missing. */
  readonly value: number | string | null;
  /** Where the value came from (`spotify`, `estimated`, `history`, `profile`, `pin`, ...). */
  readonly source: string;
  /** 0..1 trust in the value. */
  readonly confidence: number;
  /** The service(s) the value came from (`ReccoBeats`, `MusicBrainz`), when the profile names them. */
  readonly via?: string | undefined;
  /** For audio-feature signals: how many of the listener's tracks had measured features. */
  readonly basis?: { readonly tracks: number; readonly of: number } | undefined;
}

/** Who decided a parameter: the default mapping, a listener's pin, a plugin, or a parsed URL. */
export type FaceParamSource = 'mapping' | 'pin' | 'plugin' | 'parsed';

/** One of the eight parameters of a {@link Face}, with its explanation. */
export interface FaceParam {
  /** One-letter key of the parameter (`s e m n h a y b`). */
  readonly key: ParamKey;
  /** Readable name of the parameter (`skin`, `eyes`, `mouth`, ...). */
  readonly name: ParamName;
  /** The Notion Faces index. */
  readonly value: number;
  /** Meaning tag from the parts catalogue (`big-smile`). */
  readonly tag: string;
  /** Variant of the tag (index into the option's `notion` list). */
  readonly variant: number;
  /** One sentence a listener understands. */
  readonly reason: string;
  /** The inputs used, with their confidence. */
  readonly inputs: readonly FaceInput[];
  /** 0..1: the lowest confidence among the inputs (1 for pins). */
  readonly confidence: number;
  /** Who decided the value: the mapping, a pin, a plugin or a parsed URL. */
  readonly source: FaceParamSource;
  /** Name of the plugin that set the parameter last, or null. */
  readonly plugin: string | null;
}

/** A value a plugin added beside the eight parameters (for its own overlays or targets). */
export interface FaceExtra {
  /** The value the plugin computed. */
  readonly value: string | number;
  /** One sentence on why the value was chosen. */
  readonly reason: string;
  /** Name of the plugin that added the value. */
  readonly plugin: string;
}

/** A mapped face: eight explained parameters plus the versions that produced them. */
export interface Face {
  /** Version of the default mapping; a change of bands or reasons bumps it. */
  readonly mappingVersion: number;
  /** Plugins applied, in order, as `name@version`. */
  readonly plugins: readonly string[];
  /** Label of the profile's period (`short_term`, `2025`), or null for a parsed face. */
  readonly period: string | null;
  /** The eight parameters by key, each with its value, tag, reason and inputs. */
  readonly params: Readonly<Record<ParamKey, FaceParam>>;
  /** Values plugins added beside the eight parameters, by name (empty without plugins). */
  readonly extras: Readonly<Record<string, FaceExtra>>;
}
