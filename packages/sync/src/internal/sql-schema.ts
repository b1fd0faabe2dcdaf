import type { ColumnType, Generated } from 'kysely';

type Big = ColumnType<number | string | bigint, number, number>;
type BigNull = ColumnType<number | string | bigint | null, number | null, number | null>;
type Json<T> = ColumnType<T, string, string>;

export interface SyncDatabase {
  spoti_sync_values: { user_id: string; key: string; value: Json<unknown> };
  spoti_sync_gaps: {
    id: string;
    user_id: string;
    from_ms: Big;
    to_ms: Big;
    estimated_missed: number;
    detected_at: Big;
    filled_at: BigNull;
  };
  spoti_sync_library: {
    user_id: string;
    kind: string;
    item_id: string;
    added_at: Big;
    seen_at: Big;
  };
  spoti_sync_album_tracks: { album_id: string; track_ids: Json<string[]> };
  spoti_sync_track_refs: { track_id: string; user_id: string; ref: string };
  spoti_sync_availability: {
    user_id: string;
    track_id: string;
    status: string;
    reason: string | null;
    market: string | null;
    noticed_at: Big;
    checked_at: Big;
  };
  spoti_sync_runs: {
    seq: Generated<Big>;
    id: string;
    user_id: string;
    kind: string;
    data: Json<unknown>;
  };
}
