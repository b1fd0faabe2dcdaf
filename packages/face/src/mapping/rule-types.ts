import type { FaceInput } from '../face.js';
import type { ParamKey } from '../params.js';
import type { FaceProfile } from '../profile-input.js';

/** What a mapping rule decided for one parameter. */
export interface MappedChoice {
  /** The catalogue tag chosen. */
  readonly tag: string;
  /** One sentence a listener understands. */
  readonly reason: string;
  /** The profile inputs used, with their confidence. */
  readonly inputs: readonly FaceInput[];
}

/** Context handed to each parameter rule. */
export interface MappingContext {
  /** The profile being mapped. */
  readonly profile: FaceProfile;
  /** The previous face's tag for this parameter, for hysteresis. */
  readonly previousTag: string | undefined;
  /** How far past a band edge an input must move before the previous tag is left (0..1). */
  readonly hysteresis: number;
}

/** A row of a rule's documentation table. */
export interface MappingRow {
  /** The condition, in words (`energy < 35%`). */
  readonly when: string;
  /** The tag chosen when the condition holds. */
  readonly tag: string;
  /** The reason given with it. */
  readonly reason: string;
}

/** One parameter's default rule: what it reads, its table (for docs) and the rule itself. */
export interface ParamMappingDefinition {
  /** The parameter the rule decides. */
  readonly key: ParamKey;
  /** Profile fields read. */
  readonly inputs: readonly string[];
  /** One sentence on the idea behind the rule. */
  readonly summary: string;
  /** The rule as a table, in evaluation order, generated into docs/face-mapping.md. */
  readonly rows: readonly MappingRow[];
  /** Notes on hysteresis and edge cases. */
  readonly notes: readonly string[];
  /** The rule: profile in, tag and reason out. */
  readonly map: (ctx: MappingContext) => MappedChoice;
}
