import type { FaceInput } from '../face.js';
import { PARAM_NAMES, type ParamKey } from '../params.js';
import type { FaceProfile } from '../profile-input.js';
import { type Band, selectBand } from './bands.js';
import type { MappingRow, ParamMappingDefinition } from './rule-types.js';

/** The profile signals the banded rules read. */
export type SignalName =
  | 'energy'
  | 'valence'
  | 'acousticness'
  | 'instrumentalness'
  | 'intensity'
  | 'genreConsistency'
  | 'timeOfDayDiversity';

/** A 0..1 value as a whole percentage (`0.42` is `42%`). */
export const percent = (v: number): string => `${Math.round(v * 100)}%`;

/**
 * Below this confidence a signal is treated as unknown in reasons.
 *
 * @example
 * ```ts
 * const unknown = profile.signals.energy.confidence < UNKNOWN_CONFIDENCE;
 * ```
 */
export const UNKNOWN_CONFIDENCE = 0.05;

const SIGNAL_LABELS: Readonly<Record<SignalName, string>> = {
  energy: "music's energy",
  valence: "music's mood",
  acousticness: 'acoustic listening',
  instrumentalness: 'instrumental listening',
  intensity: "music's intensity",
  genreConsistency: 'genre consistency',
  timeOfDayDiversity: 'spread of listening over the day',
};

/** A signal of the profile as a mapping input, with its value, source and confidence. */
export function signalInput(profile: FaceProfile, name: SignalName): FaceInput {
  const s = profile.signals[name];
  return {
    name: `signals.${name}`,
    value: s.value,
    source: s.source,
    confidence: s.confidence,
    ...(typeof s.via === 'string' && s.via !== '' ? { via: s.via } : {}),
    ...(s.basis === undefined ? {} : { basis: s.basis }),
  };
}

const MEASURED_SOURCES = new Set(['spotify', 'supplied', 'enriched']);

/**
 * Where a value came from, in words: `from audio features of 412 of your 500 tracks, via
 * ReccoBeats` for measured features whose service is named, `genres via MusicBrainz` for
 * history signals computed over a service's genres, or nothing.
 */
function provenance(input: FaceInput): string {
  if (input.via === undefined) return '';
  if (input.basis !== undefined && input.basis.tracks > 0)
    return `audio features of ${input.basis.tracks} of your ${input.basis.of} tracks, via ${input.via}`;
  return `genres via ${input.via}`;
}

/**
 * `82%`; `82%, estimated from your genres` for estimated signals; `a rough estimate` under 0.4
 * confidence; and an explicit "unknown" when the signal has no evidence at all. A value from a
 * named service says so: `82% from audio features of 412 of your 500 tracks, via ReccoBeats`.
 */
export function basis(input: FaceInput): string {
  const v = typeof input.value === 'number' ? percent(input.value) : String(input.value);
  if (input.confidence < UNKNOWN_CONFIDENCE) return `${v}: unknown, so a middle value is assumed`;
  const from = provenance(input);
  if (input.source === 'estimated')
    return from === ''
      ? `${v}, estimated from your genres`
      : input.basis !== undefined && input.basis.tracks > 0
        ? `${v}, estimated from your genres and ${from}`
        : `${v}, estimated from your ${from}`;
  const measured =
    from === '' ? v : MEASURED_SOURCES.has(input.source) ? `${v} from ${from}` : `${v}, ${from}`;
  if (input.confidence < 0.4) return `${measured}, a rough estimate`;
  return measured;
}

/** Replaces each `{name}` in a reason template with its value. */
export function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? `{${k}}`);
}

const bandRows = (bands: readonly Band[], input: string): MappingRow[] =>
  bands.map((b, i) => ({
    when:
      i === bands.length - 1
        ? `${b.from.toFixed(2)} <= ${input} <= 1`
        : `${b.from.toFixed(2)} <= ${input} < ${b.to.toFixed(2)}`,
    tag: b.tag,
    reason: b.reason,
  }));

/** A rule that picks the tag of the band one signal falls in, with hysteresis at the edges. */
export function banded(
  key: ParamKey,
  signal: SignalName,
  summary: string,
  bands: readonly Band[],
): ParamMappingDefinition {
  return {
    key,
    inputs: [`signals.${signal}`],
    summary,
    rows: bandRows(bands, signal),
    notes: [
      'Hysteresis: with a previous face, its tag is kept while the value stays within the margin (default 0.04) of that band.',
      `A signal with no evidence (confidence under ${UNKNOWN_CONFIDENCE}) still picks a band from its assumed value, and the reason says the input is unknown.`,
    ],
    map: ({ profile, previousTag, hysteresis }) => {
      const input = signalInput(profile, signal);
      const band = selectBand(input.value as number, bands, previousTag, hysteresis);
      const reason =
        input.confidence < UNKNOWN_CONFIDENCE
          ? `Your ${SIGNAL_LABELS[signal]} is unknown without genres or audio features, so the middle option "${band.tag}" is used for your ${PARAM_NAMES[key]}.`
          : fill(band.reason, { value: basis(input) });
      return { tag: band.tag, reason, inputs: [input] };
    },
  };
}
