/**
 * Every scope the mock knows; tokens issued by the controls get all of them by default.
 *
 * @example
 * ```ts
 * mock.controls.auth.issueTokens({ scopes: ALL_SCOPES.filter((s) => s !== 'user-top-read') });
 * ```
 */
export const ALL_SCOPES: readonly string[] = [
  'user-read-private',
  'user-read-email',
  'user-top-read',
  'user-read-recently-played',
  'user-library-read',
  'user-library-modify',
  'user-follow-read',
  'user-follow-modify',
  'playlist-read-private',
  'playlist-read-collaborative',
  'playlist-modify-public',
  'playlist-modify-private',
  'user-read-playback-state',
];
