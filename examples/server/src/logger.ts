import pino, { type DestinationStream, type Logger } from 'pino';

/** Paths pino removes from every line: credentials, cookies, tokens and OAuth codes. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'req.query.code',
  'req.query.state',
  'req.query._csrf',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.password',
  '*.secret',
];

/**
 * The server's logger: JSON lines with redaction; request URLs are logged without their query
 * string (it may hold an OAuth code).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
}
