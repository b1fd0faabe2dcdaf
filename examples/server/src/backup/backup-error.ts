const brand = Symbol.for('@spoti/example-server/BackupError');

/** What went wrong with a backup or a restore. */
export type BackupErrorCode =
  /** `BACKUP_KEY` is missing or not 64 hex characters. */
  | 'INVALID_KEY'
  /** The archive was written with another key. */
  | 'WRONG_KEY'
  /** A chunk failed authentication: the archive was altered or damaged. */
  | 'DAMAGED'
  /** The archive ends before its last chunk. */
  | 'TRUNCATED'
  /** Not a spoti backup, or one of another format version. */
  | 'INVALID_ARCHIVE'
  /** The target database has rows and `--force` was not given. */
  | 'NOT_EMPTY'
  /** The archive's tables or migrations differ from the target's. */
  | 'SCHEMA_MISMATCH'
  /** `--out`/`--in` names no usable place (e.g. `s3://` without S3 configured). */
  | 'INVALID_LOCATION';

/**
 * The error of `spoti-server backup` and `restore`: a code and a message that says what to do.
 *
 * @example
 * ```ts
 * throw new BackupError('WRONG_KEY', 'BACKUP_KEY does not match the key this archive was written with');
 * ```
 */
export class BackupError extends Error {
  override readonly name = 'BackupError';
  readonly code: BackupErrorCode;
  readonly [brand] = true;

  constructor(code: BackupErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** True for a {@link BackupError}, across bundled copies. */
export function isBackupError(value: unknown): value is BackupError {
  return typeof value === 'object' && value !== null && brand in value;
}
