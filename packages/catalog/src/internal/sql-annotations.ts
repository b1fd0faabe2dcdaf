import type { Favourite, Follow, Like, TrackAnnotation } from '../domain/annotations.js';
import type { SharedRowWrites } from './shared-row-writes.js';
import { type Db, num, textC } from './sql-common.js';

// A listener's likes, favourites and follows, and the annotation of one track.

/** The items whose like counter a like of `trackId` moves: the track, its album, its artist. */
async function likeSubjects(db: Db, trackId: string): Promise<{ kind: string; id: string }[]> {
  const t = await db
    .selectFrom('catalog_tracks')
    .select(['album_id', 'primary_artist_id'])
    .where('id', '=', trackId)
    .executeTakeFirst();
  const out = [{ kind: 'track', id: trackId }];
  if (t?.album_id) out.push({ kind: 'album', id: t.album_id });
  if (t?.primary_artist_id) out.push({ kind: 'artist', id: t.primary_artist_id });
  return out;
}

/** Stores a like once; a new one moves the like counters (pending in `shared`). */
export async function writeLike(db: Db, like: Like, shared: SharedRowWrites): Promise<void> {
  const rows = await db
    .insertInto('catalog_likes')
    .values({ user_id: like.userId, track_id: like.trackId, liked_at: like.likedAt })
    .onConflict((oc) => oc.columns(['user_id', 'track_id']).doNothing())
    .returning('track_id')
    .execute();
  if (rows.length === 0) return;
  const subjects = await likeSubjects(db, like.trackId);
  shared.addLikes(subjects.map((s) => ({ ...s, by: 1 })));
}

/** Removes a like; a removed one moves the like counters back (pending in `shared`). */
export async function deleteLike(
  db: Db,
  userId: string,
  trackId: string,
  shared: SharedRowWrites,
): Promise<void> {
  const rows = await db
    .deleteFrom('catalog_likes')
    .where('user_id', '=', userId)
    .where('track_id', '=', trackId)
    .returning('track_id')
    .execute();
  if (rows.length === 0) return;
  const subjects = await likeSubjects(db, trackId);
  shared.addLikes(subjects.map((s) => ({ ...s, by: -1 })));
}

export async function readLikes(db: Db, userId: string): Promise<Like[]> {
  const rows = await db
    .selectFrom('catalog_likes')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('liked_at', 'desc')
    .orderBy(textC('track_id'))
    .execute();
  return rows.map((r) => ({ userId: r.user_id, trackId: r.track_id, likedAt: num(r.liked_at) }));
}

export async function writeFavourite(db: Db, f: Favourite): Promise<void> {
  await db
    .insertInto('catalog_favourites')
    .values({ user_id: f.userId, kind: f.kind, target_id: f.targetId, added_at: f.addedAt })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function deleteFavourite(
  db: Db,
  userId: string,
  kind: Favourite['kind'],
  targetId: string,
): Promise<void> {
  await db
    .deleteFrom('catalog_favourites')
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .where('target_id', '=', targetId)
    .execute();
}

export async function readFavourites(db: Db, userId: string): Promise<Favourite[]> {
  const rows = await db
    .selectFrom('catalog_favourites')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy(textC('kind'))
    .orderBy(textC('target_id'))
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    kind: r.kind === 'album' ? 'album' : 'track',
    targetId: r.target_id,
    addedAt: num(r.added_at),
  }));
}

export async function writeFollow(db: Db, f: Follow): Promise<void> {
  await db
    .insertInto('catalog_follows')
    .values({ user_id: f.userId, artist_id: f.artistId, followed_at: f.followedAt })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function deleteFollow(db: Db, userId: string, artistId: string): Promise<void> {
  await db
    .deleteFrom('catalog_follows')
    .where('user_id', '=', userId)
    .where('artist_id', '=', artistId)
    .execute();
}

export async function readFollows(db: Db, userId: string): Promise<Follow[]> {
  const rows = await db
    .selectFrom('catalog_follows')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy(textC('artist_id'))
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    artistId: r.artist_id,
    followedAt: num(r.followed_at),
  }));
}

export async function readAnnotation(
  db: Db,
  userId: string,
  trackId: string,
): Promise<TrackAnnotation> {
  const stats = await db
    .selectFrom('catalog_user_track_stats')
    .selectAll()
    .where('user_id', '=', userId)
    .where('track_id', '=', trackId)
    .executeTakeFirst();
  const liked = await db
    .selectFrom('catalog_likes')
    .select('track_id')
    .where('user_id', '=', userId)
    .where('track_id', '=', trackId)
    .executeTakeFirst();
  const fav = await db
    .selectFrom('catalog_favourites')
    .select('target_id')
    .where('user_id', '=', userId)
    .where('kind', '=', 'track')
    .where('target_id', '=', trackId)
    .executeTakeFirst();
  return {
    userId,
    trackId,
    playCount: stats?.play_count ?? 0,
    lastPlayedAt: stats === undefined ? null : num(stats.last_played_at),
    liked: liked !== undefined,
    favourite: fav !== undefined,
  };
}
