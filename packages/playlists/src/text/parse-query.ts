import { PlaylistsError } from '../errors/playlists-error.js';
import { type FieldName, isFieldName, RULE_FIELDS } from '../rule/fields.js';
import { compileRulePlan, parseDateValue } from '../rule/parse-rule.js';
import type { Condition, Duration, PlayWindow, Rule, SortKey } from '../rule/rule.js';

const ALIASES: Readonly<Record<string, FieldName>> = {
  plays: 'playCount',
  skips: 'skipCount',
  added: 'addedAt',
  liked: 'saved',
  played: 'lastPlayed',
  first: 'firstPlayed',
  hour: 'playedAtHour',
  weekday: 'playedOnWeekday',
  length: 'duration',
  minutes: 'minutesPlayed',
  artists: 'artist',
  name: 'title',
};

function fail(term: string, message: string): PlaylistsError {
  return new PlaylistsError({ code: 'INVALID_QUERY', message: `Query term "${term}": ${message}` });
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') {
      quoted = !quoted;
      continue;
    }
    if (!quoted && /\s/.test(ch)) {
      if (current !== '') tokens.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  if (quoted) throw fail(text, 'unclosed quote');
  if (current !== '') tokens.push(current);
  return tokens;
}

function fieldOf(name: string, term: string): FieldName {
  const field = ALIASES[name] ?? name;
  if (!isFieldName(field)) throw fail(term, `unknown field "${name}"`);
  return field;
}

const RELATIVE = /^-(\d+(?:\.\d+)?)([dwm])$/;

function relative(value: string): Duration | null {
  const m = RELATIVE.exec(value);
  if (!m) return null;
  const n = Number(m[1]);
  return m[2] === 'd' ? { days: n } : m[2] === 'w' ? { weeks: n } : { months: n };
}

function scalar(field: FieldName, value: string, term: string): string | number | boolean {
  const type = RULE_FIELDS[field].type;
  if (type === 'boolean') {
    if (['true', 'yes', '1'].includes(value.toLowerCase())) return true;
    if (['false', 'no', '0'].includes(value.toLowerCase())) return false;
    throw fail(term, 'expected true or false');
  }
  if (type === 'number' || type === 'hours') {
    const n = Number(value);
    if (value === '' || !Number.isFinite(n)) throw fail(term, 'expected a number');
    return n;
  }
  if (type === 'weekdays') {
    const n = Number(value);
    return value !== '' && Number.isInteger(n) ? n : value;
  }
  if (type === 'date') {
    if (parseDateValue(value) === null) throw fail(term, 'expected a date such as 2024-05');
    return value;
  }
  return value;
}

function fieldTerm(
  field: FieldName,
  raw: string,
  window: PlayWindow | null,
  term: string,
): Condition {
  const type = RULE_FIELDS[field].type;
  const withWindow = (c: Record<string, unknown>): Condition =>
    (window === null ? c : { ...c, window }) as Condition;
  if (type === 'string') {
    if (raw.startsWith(':')) return { matches: { [field]: raw.slice(1) } };
    if (raw.startsWith('=')) return { is: { [field]: raw.slice(1) } };
    if (raw === '') throw fail(term, 'expected a value after ":"');
    return { contains: { [field]: raw } };
  }
  if (raw.includes('..')) {
    const [lo = '', hi = ''] = raw.split('..');
    if (type === 'date') {
      const rlo = relative(lo);
      const rhi = relative(hi);
      if (rlo !== null || rhi !== null) {
        const parts: Condition[] = [];
        if (rlo !== null) parts.push(withWindow({ inTheLast: { [field]: rlo } }));
        else if (lo !== '') throw fail(term, 'mix of relative and absolute dates');
        if (rhi !== null) parts.push(withWindow({ notInTheLast: { [field]: rhi } }));
        else if (hi !== '') throw fail(term, 'mix of relative and absolute dates');
        return parts.length === 1 ? parts[0]! : { all: parts };
      }
    }
    const from = lo === '' ? null : scalar(field, lo, term);
    const to = hi === '' ? null : scalar(field, hi, term);
    if (from === null && to === null) throw fail(term, 'a range needs at least one end');
    return withWindow({ inTheRange: { [field]: [from, to] } });
  }
  if (raw.startsWith('>') || raw.startsWith('<')) {
    const op = raw.startsWith('>') ? 'gt' : 'lt';
    const value = scalar(field, raw.slice(1), term);
    if (type === 'date')
      return withWindow({ [op === 'gt' ? 'after' : 'before']: { [field]: value } });
    return withWindow({ [op]: { [field]: value } });
  }
  return withWindow({ is: { [field]: scalar(field, raw, term) } });
}

function parseWindowSuffix(text: string, term: string): PlayWindow {
  const duration = relative(`-${text}`);
  if (duration === null) throw fail(term, 'expected a window such as @30d, @4w or @6m');
  return duration;
}

/**
 * Parses a compact text query in the spirit of beets into the same JSON {@link Rule}:
 *
 * - `field:value` terms are ANDed; a lone `,` separates alternatives (OR);
 * - `-term` (or `^term`) negates; a bare word matches title, artist or album;
 * - text fields match substrings (`genre:jazz`), `=value` exactly, `:regex` by expression;
 * - numbers and dates take `a..b` ranges (open ends allowed), `>n`, `<n`; relative dates
 *   `-30d..` (in the last 30 days; `w` weeks, `m` months) and `..-30d` (not in the last 30 days);
 * - play-log fields take a window: `plays@30d:>3`;
 * - `field+` / `field-` sort ascending / descending, `random` shuffles, `limit:50`, `limit:90m`
 *   or `limit:2h` limit the result.
 *
 * Aliases: plays, skips, added, liked, played, first, hour, weekday, length, minutes, name.
 *
 * @example
 * ```ts
 * import { parseQuery } from '@spoti/playlists';
 * parseQuery('plays:0 added:-30d.. genre:jazz');
 * // { all: [{ is: { playCount: 0 } }, { inTheLast: { addedAt: { days: 30 } } }, { contains: { genre: 'jazz' } }] }
 * ```
 */
export function parseQuery(text: string): Rule {
  if (typeof text !== 'string') throw fail(String(text), 'expected a string');
  const groups: Condition[][] = [[]];
  const sort: SortKey[] = [];
  let limit: Rule['limit'] | undefined;
  for (const token of tokenize(text)) {
    if (token === ',') {
      groups.push([]);
      continue;
    }
    const negate = token.startsWith('-') || token.startsWith('^');
    const body = negate ? token.slice(1) : token;
    const colon = body.indexOf(':');
    let condition: Condition;
    if (colon < 0) {
      const sortMatch = /^([A-Za-z]+)([+-])$/.exec(body);
      if (sortMatch && !negate) {
        const field = fieldOf(sortMatch[1]!, token);
        if (!RULE_FIELDS[field].sortable) throw fail(token, `cannot sort by "${field}"`);
        sort.push({ by: field, order: sortMatch[2] === '-' ? 'desc' : 'asc' });
        continue;
      }
      if (body === 'random' && !negate) {
        sort.push({ by: 'random' });
        continue;
      }
      if (body === '') throw fail(token, 'empty term');
      condition = {
        any: [
          { contains: { title: body } },
          { contains: { artist: body } },
          { contains: { album: body } },
        ],
      };
    } else {
      const name = body.slice(0, colon);
      const raw = body.slice(colon + 1);
      if (name === 'limit' && !negate) {
        const m = /^(\d+(?:\.\d+)?)(m|h)?$/.exec(raw);
        if (!m) throw fail(token, 'expected limit:N, limit:Nm or limit:Nh');
        const n = Number(m[1]);
        limit = m[2] === 'm' ? { minutes: n } : m[2] === 'h' ? { hours: n } : n;
        continue;
      }
      const [fieldName = '', windowText] = name.split('@');
      const field = fieldOf(fieldName, token);
      let window: PlayWindow | null = null;
      if (windowText !== undefined) {
        if (!RULE_FIELDS[field].windowed) throw fail(token, `"${field}" takes no window`);
        window = parseWindowSuffix(windowText, token);
      }
      condition = fieldTerm(field, raw, window, token);
    }
    groups[groups.length - 1]!.push(negate ? { not: condition } : condition);
  }
  if (groups.some((g) => g.length === 0) && groups.length > 1) {
    throw fail(text, 'empty alternative around ","');
  }
  const ands = groups.map((g): Condition => (g.length === 1 ? g[0]! : { all: g }));
  const rule: Record<string, unknown> = {};
  if (groups.length === 1) {
    if (groups[0]!.length > 0) rule.all = groups[0];
  } else rule.any = ands;
  if (sort.length > 0) rule.sort = sort;
  if (limit !== undefined) rule.limit = limit;
  try {
    compileRulePlan(rule);
  } catch (error) {
    throw new PlaylistsError({
      code: 'INVALID_QUERY',
      message: `Query "${text}": ${(error as Error).message}`,
      cause: error,
    });
  }
  return rule as Rule;
}
