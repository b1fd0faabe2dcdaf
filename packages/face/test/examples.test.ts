import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';

const root = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const files = readdirSync(new URL('examples/', root))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => `examples/${f}`)
  .sort();

const faceUrl = /^https:\/\/faces\.notion\.com\/\?face=s\d+e\d+m\d+n\d+h\d+a\d+y\d+b\d+$/;
/** What each example must print (one pattern per line, in order). */
const expected: Record<string, RegExp[]> = {
  'examples/profile-by-hand.ts': [/^hair: \w[\w-]*; .*metal/, faceUrl],
  'examples/profile-from-account.ts': [/^[1-9]\d* recent plays, top genre [\w &-]+$/, faceUrl],
  'examples/profile-from-export.ts': [/^5000 plays, night share 0\.\d\d$/, faceUrl],
};

describe('README: a profile from nothing', () => {
  it('every example file has an expectation here and appears verbatim in the README', () => {
    expect(Object.keys(expected).sort()).toEqual(files);
    const readme = read('README.md');
    for (const file of files) {
      expect(readme, file).toContain(`<!-- example: ${file} -->\n\`\`\`ts\n${read(file)}\`\`\``);
    }
  });
});

describe('examples run', () => {
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
