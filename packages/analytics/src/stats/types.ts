import type { GenreFamily } from '../profile/genre-family.js';
import type { Diversity } from './diversity.js';

/** An artist of a top list. */
export interface RankedArtist {
  id: string | null;
  name: string;
  plays: number;
  msPlayed: number;
}
/** A track of a top list. */
export interface RankedTrack {
  id: string | null;
  name: string;
  artistName: string;
  albumName: string | null;
  plays: number;
  msPlayed: number;
}
/** An album of a top list. */
export interface RankedAlbum {
  id: string | null;
  name: string;
  artistName: string;
  plays: number;
  msPlayed: number;
}
/** A genre of a top list; plays and time of a multi-genre artist are split evenly between its genres. */
export interface RankedGenre {
  name: string;
  family: GenreFamily | null;
  plays: number;
  msPlayed: number;
  /** Share of all listening time of the period. */
  share: number;
}
/** A top list ranked two ways. */
export interface TopLists<T> {
  byPlays: T[];
  byTime: T[];
}

/** One listening session: plays separated by less than the session gap (10 minutes). */
export interface Session {
  /** ISO instant the first play started. */
  start: string;
  /** ISO instant the last play ended. */
  end: string;
  plays: number;
  msPlayed: number;
}

/** A run of consecutive local days with listening. */
export interface Streak {
  days: number;
  /** First and last local date, "YYYY-MM-DD". */
  from: string;
  to: string;
}

/** Genre-family shares of one local month. */
export interface MonthShares {
  /** "YYYY-MM". */
  month: string;
  msPlayed: number;
  /** Sorted by share, descending; unknown genres left out. */
  families: { family: GenreFamily; share: number }[];
}

/** A phase of taste: consecutive months dominated by one genre family. */
export interface TastePhase {
  /** First and last month, "YYYY-MM". */
  from: string;
  to: string;
  family: GenreFamily;
  /** Mean share of the family over the phase's months. */
  share: number;
}

/** A milestone and the instant it was reached. */
export interface Achievement {
  id: string;
  label: string;
  /** ISO instant. */
  reachedAt: string;
}

/** Everything {@link computeStats} computes for one period. */
export interface ListeningStats {
  period: { label: string; from: string; to: string };
  timeZone: string;
  totals: {
    plays: number;
    msPlayed: number;
    minutes: number;
    hours: number;
    uniqueTracks: number;
    uniqueArtists: number;
    uniqueAlbums: number;
    /** Local days with at least one play. */
    days: number;
  };
  topArtists: TopLists<RankedArtist>;
  topTracks: TopLists<RankedTrack>;
  topAlbums: TopLists<RankedAlbum>;
  /** Empty when no artist of the period has a known genre. */
  topGenres: TopLists<RankedGenre>;
  /** Listening time (ms) per local hour 0..23. */
  hours: number[];
  /** Listening time (ms) per local weekday (0 = Monday .. 6 = Sunday) x hour. */
  weekdayHours: number[][];
  sessions: { count: number; averageMs: number; longest: Session | null };
  streaks: {
    longest: Streak | null /** Streak running on the period's last day (0 when none). */;
    current: number;
  };
  skips: {
    skipped: number;
    known: number /** null when no play says whether it was skipped. */;
    rate: number | null;
  };
  diversity: { artists: Diversity; genres: Diversity | null };
  /** 1 - normalised entropy over the 17 families; null when no genre is known. */
  genreConsistency: number | null;
  /** Normalised entropy over the 24 local hours (0 = one hour, 1 = uniform). */
  timeOfDayDiversity: number;
  /** Share of listening time 22:00-05:00 local. */
  nightShare: number;
  /** Share of listening time 05:00-09:00 local. */
  morningShare: number;
  /** Share of listening time whose artist has at least one known genre. */
  genreCoverage: number;
  genreFamilies: { family: GenreFamily; share: number }[];
  /** The five-year release span listened to most, or null when release years are unknown. */
  listeningAge: { fromYear: number; toYear: number; share: number; coverage: number } | null;
  evolution: { months: MonthShares[]; phases: TastePhase[] };
  discovery: {
    /** Artists first played (in the whole history) during the period. */
    newArtists: number;
    /** newArtists / plays. */
    rate: number;
  };
  /** Milestones over the history up to the period's end. */
  achievements: Achievement[];
}
