/**
 * Every failure code a {@link CatalogError} can carry.
 *
 * @example
 * ```ts
 * const code: CatalogErrorCode = 'INVALID_INPUT';
 * ```
 */
export type CatalogErrorCode =
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'UNSUPPORTED_MEDIA'
  | 'FILE_TOO_LARGE'
  | 'STORE_FAILURE';

/**
 * Options accepted by the {@link CatalogError} constructor.
 *
 * @example
 * ```ts
 * throw new CatalogError({ code: 'NOT_FOUND', message: 'No track t1' });
 * ```
 */
export interface CatalogErrorOptions {
  /** Machine-readable reason. */
  readonly code: CatalogErrorCode;
  /** Human-readable explanation (never contains secrets). */
  readonly message: string;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

const brand = Symbol.for('@spoti/catalog/CatalogError');

/**
 * The one error class thrown by `@spoti/catalog`.
 *
 * @example
 * ```ts
 * try { await store.getTrack('x'); } catch (e) { if (isCatalogError(e) && e.code === 'NOT_FOUND') {} }
 * ```
 */
export class CatalogError extends Error {
  override readonly name = 'CatalogError' as const;
  /** Machine-readable reason. */
  readonly code: CatalogErrorCode;
  readonly [brand] = true;

  constructor(options: CatalogErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
  }
}

/**
 * Type guard for {@link CatalogError} that works across bundles (ESM/CJS copies).
 *
 * @example
 * ```ts
 * if (isCatalogError(error) && error.code === 'FILE_TOO_LARGE') reply(413);
 * ```
 */
export function isCatalogError(value: unknown): value is CatalogError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true &&
    (value as { name?: unknown }).name === 'CatalogError'
  );
}
