import type { AnalyticsErrorCode } from '../errors/analytics-error.js';
import { decodeText } from './decode-text.js';

/** A history file's bytes, or why they could not be read. */
export type Read = { bytes: Buffer } | { error: unknown };

/** The message of a thrown value. */
export const messageOf = (cause: unknown): string =>
  cause instanceof Error ? cause.message : String(cause);

/** Why a file's text is not usable JSON rows, in words ("empty", "not valid JSON (...)"). */
function unusable(text: string): string {
  return text.trim() === '' ? 'is empty' : 'is not valid JSON';
}

/** Reports a problem with one file (its path is added by the caller). */
export type FileProblem = (code: AnalyticsErrorCode, reason: string, cause?: unknown) => void;

/**
 * The rows of one file, or null when it is unusable (reported through `fileProblem`: a read error,
 * a file that is not a JSON array). `replaced` is called when some bytes were not UTF-8.
 */
export function parseFile(
  read: Read,
  replaced: () => void,
  fileProblem: FileProblem,
): unknown[] | null {
  if ('error' in read) {
    fileProblem('EXPORT_BAD_ARCHIVE', `cannot be read: ${messageOf(read.error)}`, read.error);
    return null;
  }
  const decoded = decodeText(read.bytes);
  if (decoded.replaced) replaced();
  let rows: unknown;
  try {
    rows = JSON.parse(decoded.text);
  } catch (cause) {
    const reason = unusable(decoded.text);
    fileProblem(
      'EXPORT_MALFORMED_FILE',
      reason === 'is empty' ? reason : `${reason}: ${messageOf(cause)}`,
      cause,
    );
    return null;
  }
  if (!Array.isArray(rows)) {
    fileProblem(
      'EXPORT_MALFORMED_FILE',
      `does not hold a JSON array of rows (it holds ${rows === null ? 'null' : typeof rows === 'object' ? 'an object' : `a ${typeof rows}`})`,
    );
    return null;
  }
  return rows;
}
