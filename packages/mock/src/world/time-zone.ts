/** UTC offsets of IANA time zones, cached per zone and UTC day (DST-aware, cheap to call often). */
const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The offset of `timeZone` from UTC in ms (local = utc + offset) at instant `ms`. */
export function offsetAt(timeZone: string, ms: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const local = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
  );
  return local - Math.floor(ms / 60_000) * 60_000;
}

/** The offset of `timeZone` at noon UTC of UTC day `day` (days since the epoch), cached. */
export function offsetOnDay(timeZone: string, day: number): number {
  const key = `${timeZone}|${day}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = offsetAt(timeZone, day * DAY_MS + DAY_MS / 2);
    if (offsets.size > 200_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/** The local hour 0..23 of instant `ms` in `timeZone`. */
export function localHour(timeZone: string, ms: number): number {
  const offset = offsetOnDay(timeZone, Math.floor(ms / DAY_MS));
  return Math.floor(((((ms + offset) % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000);
}
