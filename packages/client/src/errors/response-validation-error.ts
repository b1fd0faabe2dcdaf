import { SpotifyError, type SpotifyErrorRequest } from './spotify-error.js';

/** One schema mismatch: where in the body, and what was wrong. */
export interface ValidationIssue {
  /** Path into the response body. */
  readonly path: ReadonlyArray<string | number>;
  /** What was expected. */
  readonly message: string;
}

/** A response body that did not match its schema, or was not valid JSON. */
export class SpotifyResponseValidationError extends SpotifyError {
  override readonly code = 'RESPONSE_VALIDATION' as const;
  /** The mismatches (empty when the body was not JSON). */
  readonly issues: readonly ValidationIssue[];

  constructor(options: {
    message: string;
    issues: readonly ValidationIssue[];
    status?: number | undefined;
    request?: SpotifyErrorRequest | undefined;
    cause?: unknown;
  }) {
    super({ ...options, code: 'RESPONSE_VALIDATION' });
    this.issues = options.issues;
  }
}
