import type { GenreFamily, PersonaName } from './types.js';

/**
 * How a listener persona behaves; drives the synthetic listening histories.
 *
 * @example
 * ```ts
 * const persona: Persona = PERSONAS['jazz-commuter'];
 * console.log(persona.description, persona.offlineRate);
 * ```
 */
export interface Persona {
  readonly name: PersonaName;
  readonly description: string;
  /** Weights of genre families in the persona's taste (missing = never, except by exploration). */
  readonly families: Partial<Record<GenreFamily, number>>;
  /** Relative chance that a listening session starts at each local hour 0..23. */
  readonly hours: readonly number[];
  /** Mean sessions per day, for weekdays (Mon-Fri) and weekend days. */
  readonly sessionsWeekday: number;
  readonly sessionsWeekend: number;
  /** Mean plays per session. */
  readonly playsPerSession: number;
  /** Probability of skipping a track. */
  readonly skipRate: number;
  /** Probability of replaying one of the current favourites. */
  readonly repeatRate: number;
  /** Probability of picking an artist outside the current rotation. */
  readonly exploreRate: number;
  /** Probability that a session is played offline. */
  readonly offlineRate: number;
  readonly shuffleRate: number;
  /** Platforms the persona's users listen on (each user gets one or two). */
  readonly platforms: readonly string[];
  /** IANA time zones users of this persona live in (assigned in turn). */
  readonly timezones: readonly string[];
}

const hours = (peaks: Record<number, number>, base = 0.02): number[] =>
  Array.from({ length: 24 }, (_, h) => peaks[h] ?? base);

/**
 * The listener personas, keyed by name: taste (genre families), daily rhythm, sessions, skips,
 * repeats, exploration, offline and shuffle habits, platforms and time zones.
 *
 * @example
 * ```ts
 * PERSONAS['night-owl'].families.metal; // 0.68
 * ```
 */
export const PERSONAS: Readonly<Record<PersonaName, Persona>> = {
  'night-owl': {
    name: 'night-owl',
    description: 'Metal fan who listens late at night, long sessions, loud and dark.',
    families: { metal: 0.68, rock: 0.14, punk: 0.1, electronic: 0.04, ambient: 0.04 },
    hours: hours(
      { 20: 0.4, 21: 1, 22: 1.6, 23: 2, 0: 2, 1: 1.6, 2: 1, 3: 0.5, 4: 0.15, 13: 0.1, 18: 0.15 },
      0.01,
    ),
    sessionsWeekday: 2.4,
    sessionsWeekend: 3,
    playsPerSession: 34,
    skipRate: 0.18,
    repeatRate: 0.12,
    exploreRate: 0.05,
    offlineRate: 0.03,
    shuffleRate: 0.55,
    platforms: ['linux', 'android', 'windows'],
    timezones: ['Europe/Berlin', 'America/New_York', 'Europe/Helsinki', 'America/Los_Angeles'],
  },
  'morning-acoustic': {
    name: 'morning-acoustic',
    description:
      'Calm acoustic, folk and classical listening in the early morning, some in the evening.',
    families: { folk: 0.5, classical: 0.15, jazz: 0.08, country: 0.1, pop: 0.12, ambient: 0.05 },
    hours: hours(
      { 5: 0.3, 6: 1.6, 7: 2, 8: 1.4, 9: 0.6, 12: 0.2, 19: 0.3, 20: 0.4, 21: 0.2 },
      0.01,
    ),
    sessionsWeekday: 1.6,
    sessionsWeekend: 2,
    playsPerSession: 18,
    skipRate: 0.08,
    repeatRate: 0.15,
    exploreRate: 0.04,
    offlineRate: 0.05,
    shuffleRate: 0.35,
    platforms: ['ios', 'osx', 'cast'],
    timezones: ['America/Los_Angeles', 'Europe/London', 'Australia/Melbourne'],
  },
  'eclectic-explorer': {
    name: 'eclectic-explorer',
    description:
      'Listens to a bit of everything at any time of day and keeps discovering new artists.',
    families: {
      rock: 1,
      metal: 0.6,
      punk: 0.5,
      pop: 0.8,
      electronic: 1,
      'hip hop': 0.8,
      'r&b': 0.7,
      jazz: 0.8,
      blues: 0.5,
      classical: 0.6,
      folk: 0.8,
      country: 0.5,
      latin: 0.7,
      reggae: 0.6,
      world: 0.9,
      soundtrack: 0.4,
      ambient: 0.5,
    },
    hours: hours(
      {
        9: 0.8,
        10: 1,
        11: 1,
        12: 1,
        13: 1,
        14: 1,
        15: 1,
        16: 1,
        17: 1,
        18: 1,
        19: 1,
        20: 1,
        21: 1,
        22: 0.8,
        23: 0.4,
        8: 0.5,
      },
      0.05,
    ),
    sessionsWeekday: 3,
    sessionsWeekend: 3.5,
    playsPerSession: 16,
    skipRate: 0.25,
    repeatRate: 0.04,
    exploreRate: 0.35,
    offlineRate: 0.03,
    shuffleRate: 0.4,
    platforms: ['osx', 'ios', 'web_player'],
    timezones: ['Europe/Paris', 'Asia/Tokyo', 'America/Sao_Paulo'],
  },
  'heavy-pop': {
    name: 'heavy-pop',
    description: 'Pop all day, many plays, many repeats of current hits.',
    families: { pop: 0.7, 'hip hop': 0.1, 'r&b': 0.1, electronic: 0.06, latin: 0.04 },
    hours: hours(
      {
        7: 0.8,
        8: 1,
        9: 0.8,
        10: 0.6,
        11: 0.6,
        12: 0.9,
        13: 0.8,
        14: 0.6,
        15: 0.7,
        16: 0.9,
        17: 1.1,
        18: 1,
        19: 1,
        20: 1,
        21: 1,
        22: 0.8,
        23: 0.4,
      },
      0.03,
    ),
    sessionsWeekday: 5,
    sessionsWeekend: 6,
    playsPerSession: 26,
    skipRate: 0.22,
    repeatRate: 0.3,
    exploreRate: 0.05,
    offlineRate: 0.04,
    shuffleRate: 0.7,
    platforms: ['ios', 'android', 'web_player'],
    timezones: ['America/Chicago', 'Asia/Seoul', 'Europe/Madrid'],
  },
  'jazz-commuter': {
    name: 'jazz-commuter',
    description:
      'Jazz and blues on the way to and from work (often offline underground), little at weekends.',
    families: { jazz: 0.62, blues: 0.14, 'r&b': 0.1, classical: 0.08, latin: 0.06 },
    hours: hours({ 7: 2, 8: 2.2, 9: 0.4, 12: 0.3, 17: 2, 18: 2, 19: 0.5, 21: 0.3 }, 0.01),
    sessionsWeekday: 2.2,
    sessionsWeekend: 0.8,
    playsPerSession: 14,
    skipRate: 0.1,
    repeatRate: 0.1,
    exploreRate: 0.06,
    offlineRate: 0.3,
    shuffleRate: 0.3,
    platforms: ['android', 'ios'],
    timezones: ['America/New_York', 'Europe/Amsterdam', 'Asia/Tokyo'],
  },
  'weekend-raver': {
    name: 'weekend-raver',
    description:
      'Electronic dance music, little on weekdays, long late-night sessions on Friday and Saturday.',
    families: { electronic: 0.76, 'hip hop': 0.1, pop: 0.1, latin: 0.04 },
    hours: hours(
      {
        18: 0.3,
        19: 0.5,
        20: 0.8,
        21: 1.4,
        22: 2,
        23: 2,
        0: 1.6,
        1: 1.2,
        2: 0.8,
        3: 0.4,
        12: 0.2,
        17: 0.3,
      },
      0.02,
    ),
    sessionsWeekday: 0.7,
    sessionsWeekend: 4,
    playsPerSession: 30,
    skipRate: 0.2,
    repeatRate: 0.1,
    exploreRate: 0.1,
    offlineRate: 0.02,
    shuffleRate: 0.5,
    platforms: ['android', 'windows', 'cast'],
    timezones: ['Europe/Berlin', 'Europe/London', 'America/Mexico_City'],
  },
};

/**
 * Every persona name, in a fixed order (users of a world get them in turn).
 *
 * @example
 * ```ts
 * const world = createWorld({ seed: 1, users: PERSONA_NAMES.length }); // one user per persona
 * ```
 */
export const PERSONA_NAMES: readonly PersonaName[] = Object.keys(PERSONAS) as PersonaName[];

/** Country of each time zone the personas use. */
export const TIMEZONE_COUNTRY: Readonly<Record<string, string>> = {
  'Europe/Berlin': 'DE',
  'America/New_York': 'US',
  'Europe/Helsinki': 'FI',
  'America/Los_Angeles': 'US',
  'Europe/London': 'GB',
  'Australia/Melbourne': 'AU',
  'Europe/Paris': 'FR',
  'Asia/Tokyo': 'JP',
  'America/Sao_Paulo': 'BR',
  'America/Chicago': 'US',
  'Asia/Seoul': 'KR',
  'Europe/Madrid': 'ES',
  'Europe/Amsterdam': 'NL',
  'America/Mexico_City': 'MX',
};

/**
 * Mean plays per day of a persona (over a week) as its parameters intend, used to size histories;
 * the generated rate is close to it (lower for personas whose sessions crowd the night).
 *
 * @example
 * ```ts
 * Math.round(dailyPlays(PERSONAS['heavy-pop'])); // 137
 * ```
 */
export function dailyPlays(persona: Persona): number {
  return (
    ((persona.sessionsWeekday * 5 + persona.sessionsWeekend * 2) / 7) * persona.playsPerSession
  );
}
