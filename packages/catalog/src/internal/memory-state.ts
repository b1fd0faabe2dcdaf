import type { Album } from '../domain/album.js';
import type { Favourite, Follow, Like } from '../domain/annotations.js';
import type { Artist } from '../domain/artist.js';
import type { Subscription } from '../domain/plan.js';
import type { Play } from '../domain/play.js';
import type { Playlist } from '../domain/playlist.js';
import type { Track } from '../domain/track.js';
import type { User } from '../domain/user.js';
import { MemoryTrending } from './memory-trending.js';
import type { StaticDoc } from './search-docs.js';

// The memory store's state: what a transaction snapshots and restores on rollback.

/** Per-item counters. */
export interface Stats {
  plays: number;
  likes: number;
}

export interface State {
  artists: Map<string, Artist>;
  albums: Map<string, Album>;
  tracks: Map<string, Track>;
  users: Map<string, User>;
  playlists: Map<string, Playlist>;
  subscriptions: Map<string, Subscription>;
  docs: Map<string, StaticDoc>;
  plays: Play[];
  playKeys: Set<string>;
  likes: Map<string, Like>;
  favourites: Map<string, Favourite>;
  follows: Map<string, Follow>;
  userTrack: Map<string, { count: number; last: number }>;
  stats: Map<string, Stats>;
  trending: MemoryTrending;
}

export function emptyState(): State {
  return {
    artists: new Map(),
    albums: new Map(),
    tracks: new Map(),
    users: new Map(),
    playlists: new Map(),
    subscriptions: new Map(),
    docs: new Map(),
    plays: [],
    playKeys: new Set(),
    likes: new Map(),
    favourites: new Map(),
    follows: new Map(),
    userTrack: new Map(),
    stats: new Map(),
    trending: new MemoryTrending(),
  };
}

export function cloneState(s: State): State {
  const stats = new Map<string, Stats>();
  for (const [k, v] of s.stats) stats.set(k, { ...v });
  const userTrack = new Map<string, { count: number; last: number }>();
  for (const [k, v] of s.userTrack) userTrack.set(k, { ...v });
  return {
    artists: new Map(s.artists),
    albums: new Map(s.albums),
    tracks: new Map(s.tracks),
    users: new Map(s.users),
    playlists: new Map(s.playlists),
    subscriptions: new Map(s.subscriptions),
    docs: new Map(s.docs),
    plays: s.plays.slice(),
    playKeys: new Set(s.playKeys),
    likes: new Map(s.likes),
    favourites: new Map(s.favourites),
    follows: new Map(s.follows),
    userTrack,
    stats,
    trending: s.trending.clone(),
  };
}

export const k2 = (a: string, b: string) => `${a}\u0000${b}`;
export const k3 = (a: string, b: string, c: string) => `${a}\u0000${b}\u0000${c}`;
