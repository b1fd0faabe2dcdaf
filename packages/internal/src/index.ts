export { hashText, mixSeed, mulberry32, Rng } from './prng.js';
export { isTimeZone, ZoneClock, zoneClock } from './time-zone.js';
export { describeIssues, type ProblemWording, parseOrFail } from './parse.js';
