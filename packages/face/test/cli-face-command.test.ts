// End-to-end test of `spoti face` (packages/cli/src/commands/face.ts) against a mock data export.
// @spoti/cli does not depend on @spoti/face yet, so the command runs in a child process whose
// tsconfig maps the workspace packages to their sources; move this test to packages/cli/test
// once the CLI lists @spoti/face as a dependency.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadImage } from '@napi-rs/canvas';
import { writeDataExport } from '@spoti/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNotionFaceUrl } from '../src/index.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PKG = fileURLToPath(new URL('../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'spoti-face-cli-'));

interface Invocation {
  code: number;
  stdout: string;
  stderr: string;
}
let results: Invocation[] = [];

beforeAll(async () => {
  const zip = join(dir, 'my_spotify_data.zip');
  await writeDataExport({
    seed: 3,
    persona: 'weekend-raver',
    plays: 1500,
    out: zip,
    targetFileBytes: 200_000,
  });
  const src = (p: string) => [join(ROOT, p)];
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.base.json'),
      compilerOptions: {
        paths: {
          '@spoti/face': src('packages/face/src/index.ts'),
          '@spoti/face/render': src('packages/face/src/render/index.ts'),
          '@spoti/analytics': src('packages/analytics/src/index.ts'),
          '@spoti/catalog': src('packages/catalog/src/index.ts'),
        },
      },
    }),
  );
  const invocations = [
    [
      zip,
      '--out',
      join(dir, 'me.png'),
      '--pin',
      's=3',
      '--pin',
      'hair=locs',
      '--name',
      'Raver',
      '--date',
      '2026-11-28',
    ],
    [zip, '--out', join(dir, 'banner.webp'), '--banner', '--no-overlay', '--json'],
    [zip, '--out', join(dir, 'me.gif')],
    [zip, '--out', join(dir, 'x.png'), '--pin', 'skin=99'],
    [join(dir, 'missing.zip'), '--out', join(dir, 'x.png')],
  ];
  const script = join(dir, 'run.mts');
  writeFileSync(
    script,
    `import { Writable } from 'node:stream';
import { runFaceCommand } from ${JSON.stringify(join(ROOT, 'packages/cli/src/commands/face.ts'))};
const out = [];
for (const argv of ${JSON.stringify(invocations)}) {
  let stdout = '';
  let stderr = '';
  const sink = (f) => new Writable({ write(chunk, _e, cb) { f(String(chunk)); cb(); } });
  const code = await runFaceCommand(argv, { stdout: sink((s) => { stdout += s; }), stderr: sink((s) => { stderr += s; }) });
  out.push({ code, stdout, stderr });
}
process.stdout.write(JSON.stringify(out));
`,
  );
  const { stdout } = await run(
    process.execPath,
    ['--conditions=@spoti/source', '--import', 'tsx', script],
    {
      cwd: PKG,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(dir, 'tsconfig.json') },
      maxBuffer: 10 * 1024 * 1024,
    },
  );
  results = JSON.parse(stdout) as Invocation[];
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('spoti face', () => {
  it('writes the square image, prints the Notion link and a reason per feature', async () => {
    const [first] = results;
    expect(first!.code).toBe(0);
    expect(first!.stdout).toContain(
      `Wrote ${join(dir, 'me.png')} (1024x1024 png, all, 1500 plays)`,
    );
    const url = /Notion Faces: (\S+)/.exec(first!.stdout)![1]!;
    expect(parseNotionFaceUrl(url)).toMatchObject({ s: 3, h: 27 });
    expect(first!.stdout).toContain('You pinned your hair to "locs".');
    expect(first!.stdout.trim().split('\n')).toHaveLength(11);
    expect(first!.stderr).toContain('--genres');
    const image = await loadImage(readFileSync(join(dir, 'me.png')));
    expect([image.width, image.height]).toEqual([1024, 1024]);
  });

  it('writes a bare WebP banner and prints JSON', async () => {
    const second = results[1]!;
    expect(second.code).toBe(0);
    const json = JSON.parse(second.stdout) as {
      url: string;
      face: string;
      mappingVersion: number;
      params: Record<string, { reason: string }>;
    };
    expect(json.url).toBe(`https://faces.notion.com/?face=${json.face}`);
    expect(Object.keys(json.params)).toEqual(['s', 'e', 'm', 'n', 'h', 'a', 'y', 'b']);
    const bytes = readFileSync(join(dir, 'banner.webp'));
    expect(bytes.subarray(8, 12).toString('latin1')).toBe('WEBP');
  });

  it('rejects bad usage with exit code 2 and a clear message, and a missing export with 1', () => {
    expect(results[2]).toMatchObject({ code: 2 });
    expect(results[2]!.stderr).toContain('cannot write a .gif file');
    expect(results[3]).toMatchObject({ code: 2 });
    expect(results[3]!.stderr).toContain('invalid --pin "skin=99": skin must be 0..5');
    expect(results[4]).toMatchObject({ code: 1 });
    expect(results[4]!.stderr).toMatch(/^spoti face: /);
  });
});
