/** Every failure code a {@link FaceError} can carry. */
export type FaceErrorCode =
  | 'INVALID_PROFILE'
  | 'INVALID_OPTIONS'
  | 'INVALID_FACE_STRING'
  | 'OUT_OF_RANGE'
  | 'UNKNOWN_PART'
  | 'INVALID_PLUGIN'
  | 'PLUGIN_RESULT_INVALID'
  | 'PLUGIN_FAILED'
  | 'UNKNOWN_TARGET'
  | 'RENDER_FAILED'
  | 'HOST_NOT_ALLOWED'
  | 'REMOTE_FAILED'
  | 'ABORTED';

/** Options accepted by the {@link FaceError} constructor. */
export interface FaceErrorOptions {
  /** Machine-readable reason. */
  readonly code: FaceErrorCode;
  /** Human-readable explanation (never contains secrets). */
  readonly message: string;
  /** The plugin at fault, for plugin errors. */
  readonly plugin?: string;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

const brand = Symbol.for('@spoti/face/FaceError');

/**
 * The one error class thrown by `@spoti/face`. Plugin failures carry the plugin's name.
 *
 * @example
 * ```ts
 * try {
 *   parseNotionFaceUrl('https://faces.notion.com/?face=s1e99');
 * } catch (e) {
 *   if (isFaceError(e) && e.code === 'INVALID_FACE_STRING') console.error(e.message);
 * }
 * ```
 */
export class FaceError extends Error {
  override readonly name = 'FaceError' as const;
  /** Machine-readable reason. */
  readonly code: FaceErrorCode;
  /** The plugin at fault, when a plugin caused the error. */
  readonly plugin: string | undefined;
  readonly [brand] = true;

  constructor(options: FaceErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.plugin = options.plugin;
  }
}

/**
 * Type guard for {@link FaceError} that works across bundles (ESM/CJS copies).
 *
 * @example
 * ```ts
 * if (isFaceError(err)) console.log(err.code, err.plugin);
 * ```
 */
export function isFaceError(value: unknown): value is FaceError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true &&
    (value as { name?: unknown }).name === 'FaceError'
  );
}
