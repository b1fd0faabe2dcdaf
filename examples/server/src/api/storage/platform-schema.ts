import type { ColumnType } from 'kysely';
import type { Ms } from '../../storage/schema.js';

/** The platform roles. */
export type PlatformRole = 'listener' | 'artist' | 'admin';

/** `spoti_server_api_accounts`: one platform account (email + password). */
export interface ApiAccountsTable {
  /** The account id; also the listener's id in the catalog. */
  user_id: string;
  /** Lower-cased. */
  email: string;
  /** argon2id PHC string. */
  password_hash: string;
  role: PlatformRole;
  /** The catalog artist profile managed by this account (role `artist`). */
  artist_id: string | null;
  /** The Spotify-signed-in web user (`spoti_server_users.id`) linked to this account. */
  web_user_id: string | null;
  display_name: string;
  created_at: Ms;
  updated_at: Ms;
}

/** `spoti_server_api_tokens`: bearer tokens, stored as SHA-256 hashes. */
export interface ApiTokensTable {
  id: string;
  user_id: string;
  token_hash: string;
  name: string;
  created_at: Ms;
  last_used_at: ColumnType<number | string | null, number | null, number | null>;
}

/** `spoti_server_api_skips`: the skips of each listener (for the Free plan's limit). */
export interface ApiSkipsTable {
  user_id: string;
  song_id: string;
  skipped_at: Ms;
}

/** The platform API's tables. */
export interface PlatformDatabase {
  spoti_server_api_accounts: ApiAccountsTable;
  spoti_server_api_tokens: ApiTokensTable;
  spoti_server_api_skips: ApiSkipsTable;
}
