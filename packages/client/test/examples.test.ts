import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exampleBlock, syncReadme } from '../scripts/sync-readme.js';

const root = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const files = readdirSync(new URL('examples/', root))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => `examples/${f}`)
  .sort();

/** What each example must print (one pattern per line, in order). */
const expected: Record<string, RegExp[]> = {
  'examples/quick-start.ts': [/^signed in as \w+$/, /^top tracks: .+/],
  'examples/auth-pkce.ts': [
    /^tokens saved, valid until \d{4}-/,
    /^logged in as \w+$/,
    /^tokens saved, valid until \d{4}-/,
    /^after a silent refresh: \w+$/,
  ],
  'examples/client-credentials.ts': [/^.+: \d+ album\(s\)$/, /^calls: \{"GET \/search":1,/],
  'examples/paging.ts': [
    /^newest saved track: /,
    /^saved tracks read: \d+$/,
    /^recent plays read: [1-9]\d*$/,
    /^followed: /,
    /^stopped: aborted$/,
  ],
  'examples/modes.ts': [
    /^development-2026 app, development mode: 40 artists in 40 call\(s\), audio features unavailable \(development_mode\), access development$/,
    /^development-2026 app, auto mode: 40 artists in 41 call\(s\), audio features unavailable \(endpoint_unavailable\), access development$/,
    /^extended app, development mode: 40 artists in 40 call\(s\), audio features unavailable \(development_mode\), access development$/,
    /^extended app, extended mode: 40 artists in 1 call\(s\), audio features available, access extended$/,
    /^extended app, auto mode: 40 artists in 1 call\(s\), audio features available, access extended$/,
  ],
  'examples/errors.ts': [
    /^not found: GET \/artists\/0+ \(404\)$/,
    /^ok$/,
    /^rate limited \(quota\): come back in 24 h$/,
    /^rate limited \(quota\): come back in 24 h$/,
    /^the grant is gone: send the user through login again$/,
  ],
  'examples/learning.ts': [
    /^fetched 50 artists, after 429s$/,
    // At most the real 25; how far under depends on how busy the machine is while it measures.
    /^first change: rate-limit allowance 180 -> (2[0-5]|1\d|[1-9]) calls per window \(measured\)$/,
    /^allowance now: (2[0-5]|1\d|[1-9]) calls per window$/,
  ],
  'examples/rate-limits.ts': [
    /^fetched 40 artists; 429s received: 1$/,
    /^retries: [1-9]\d*; rate-limit events: window cooldown$/,
    /^calls per endpoint: \{"GET \/artists\/\{id\}":\d+\}$/,
  ],
};

describe('README examples', () => {
  it('every example file has an expectation here and a block in the README', () => {
    expect(Object.keys(expected).sort()).toEqual(files);
    const readme = read('README.md');
    const marked = [...readme.matchAll(exampleBlock)].map((m) => m[1]).sort();
    expect(marked).toEqual(files);
  });

  it('the README shows exactly the code of the example files (run `pnpm readme` to sync)', () => {
    const readme = read('README.md');
    expect(syncReadme(readme, read)).toBe(readme);
  });
});

describe('examples run against the mock', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each(files)('%s', async (file) => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
    await import(`../${file}`);
    vi.restoreAllMocks();
    const patterns = expected[file] ?? [];
    expect(lines).toHaveLength(patterns.length);
    patterns.forEach((pattern, i) => {
      expect(lines[i]).toMatch(pattern);
    });
  });
});
