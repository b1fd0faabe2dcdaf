import { type Rule, isPlaylistsError, parseQuery } from '@spoti/playlists';

/** The longest text query accepted. */
export const MAX_QUERY_LENGTH = 2000;

/** A text query's verdict: the rule, or what is wrong and where (UTF-16 offsets, end exclusive). */
export type QueryCheck =
  | { readonly ok: true; readonly rule: Rule }
  | {
      readonly ok: false;
      readonly message: string;
      /** Offset of the first character of the faulty part. */
      readonly start: number;
      /** Offset just past the faulty part. */
      readonly end: number;
    };

interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Splits as `parseQuery` does (whitespace outside double quotes), keeping where each token is. */
function tokens(text: string): { list: Token[]; openQuote: number | null } {
  const list: Token[] = [];
  let current = '';
  let start = -1;
  let quoteAt: number | null = null;
  let i = 0;
  for (const ch of text) {
    if (ch === '"') {
      if (start < 0) start = i;
      quoteAt = quoteAt === null ? i : null;
    } else if (quoteAt === null && /\s/.test(ch)) {
      if (current !== '') list.push({ text: current, start, end: i });
      current = '';
      start = -1;
    } else {
      if (start < 0) start = i;
      current += ch;
    }
    i += ch.length;
  }
  if (current !== '' && start >= 0) list.push({ text: current, start, end: i });
  return { list, openQuote: quoteAt };
}

/** Tokens that become conditions (not sorts or limits), grouped by the commas between them. */
function conditionGroups(list: readonly Token[]): Token[][] {
  const groups: Token[][] = [[]];
  for (const t of list) {
    if (t.text === ',') groups.push([]);
    else if (/^[A-Za-z]+[+-]$/.test(t.text) || t.text === 'random') continue;
    else if (t.text.startsWith('limit:')) continue;
    else groups[groups.length - 1]?.push(t);
  }
  return groups;
}

/** The token a rule path such as `all[2]` or `any[1].all[0]` at the start of a message names. */
function conditionAt(list: readonly Token[], message: string): Token | undefined {
  const path = /^(?:Invalid rule: )?(?:(all)\[(\d+)\]|any\[(\d+)\](?:\.all\[(\d+)\])?)/.exec(
    message,
  );
  if (path === null) return undefined;
  const groups = conditionGroups(list);
  if (path[1] === 'all') return groups[0]?.[Number(path[2])];
  return groups[Number(path[3])]?.[Number(path[4] ?? 0)];
}

const TERM_ERROR = /^Query term "([^"]*)": (.*)$/s;

/**
 * Parses a text query for the pages and the live check: the rule, or the parser's message with
 * the span of the term it names. An empty query, or one longer than {@link MAX_QUERY_LENGTH},
 * is refused.
 */
export function checkQuery(text: string): QueryCheck {
  if (text.trim() === '') {
    return { ok: false, message: 'Write at least one term, such as plays:0', start: 0, end: 0 };
  }
  if (text.length > MAX_QUERY_LENGTH) {
    return {
      ok: false,
      message: `The query is longer than ${MAX_QUERY_LENGTH} characters`,
      start: MAX_QUERY_LENGTH,
      end: text.length,
    };
  }
  try {
    return { ok: true, rule: parseQuery(text) };
  } catch (error) {
    if (!isPlaylistsError(error)) throw error;
    const { list, openQuote } = tokens(text);
    let span = { start: 0, end: text.length };
    let reason = error.message;
    const term = TERM_ERROR.exec(error.message);
    const token = term === null ? undefined : list.find((t) => t.text === term[1]);
    if (openQuote !== null) {
      reason = 'unclosed quote';
      span = { start: openQuote, end: text.length };
    } else if (term !== null && token !== undefined) {
      reason = `"${term[1]}": ${term[2]}`;
      span = { start: token.start, end: token.end };
    } else if (term !== null) {
      reason = term[2] ?? reason;
      const commas = list.map((t, k) => ({ t, k })).filter(({ t }) => t.text === ',');
      const bad = commas.find(
        ({ k }) => k === 0 || k === list.length - 1 || list[k - 1]?.text === ',',
      );
      if (bad !== undefined) span = { start: bad.t.start, end: bad.t.end };
    } else {
      const prefix = `Query "${text}": `;
      if (reason.startsWith(prefix)) reason = reason.slice(prefix.length);
      const found = conditionAt(list, reason);
      if (found !== undefined) span = { start: found.start, end: found.end };
    }
    return {
      ok: false,
      message: `${reason} (at character ${span.start + 1})`,
      ...span,
    };
  }
}
