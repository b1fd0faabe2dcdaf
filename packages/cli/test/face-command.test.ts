import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseNotionFaceUrl } from '@spoti/face';
import { writeDataExport } from '@spoti/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));

let dir: string;
let zip: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spoti-cli-face-'));
  zip = join(dir, 'my_spotify_data.zip');
  await writeDataExport({
    seed: 3,
    persona: 'weekend-raver',
    plays: 1500,
    out: zip,
    targetFileBytes: 200_000,
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function inProcess(args: readonly string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) =>
    new Writable({
      write(chunk, _encoding, done) {
        into.push(String(chunk));
        done();
      },
    });
  const code = await runCli(args, { stdout: sink(out), stderr: sink(err) });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const isPng = (bytes: Buffer) => bytes.subarray(1, 4).toString('latin1') === 'PNG';

describe('spoti face', () => {
  it('is listed by `spoti --help`', async () => {
    const { stdout, stderr } = await inProcess(['--help']);
    expect(stdout + stderr).toMatch(/face\s+a Notion-style face/);
  });

  it('writes an image, prints the Notion link and honours a pin', async () => {
    const out = join(dir, 'me.png');
    const result = await inProcess(['face', zip, '--out', out, '--pin', 's=3']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(out);
    const url = /Notion Faces: (\S+)/.exec(result.stdout)?.[1];
    expect(url).toBeDefined();
    expect(parseNotionFaceUrl(url as string)).toMatchObject({ s: 3 });
    expect(isPng(await readFile(out))).toBe(true);
  });

  it('answers bad usage with exit code 2 and names the mistake', async () => {
    const result = await inProcess(['face', zip, '--out', join(dir, 'x.png'), '--pin', 'skin=99']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('skin=99');
  });

  it('runs from the `spoti` binary', async () => {
    const out = join(dir, 'banner.webp');
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '--conditions=@spoti/source',
          '--import',
          'tsx',
          'src/bin.ts',
          'face',
          zip,
          '--out',
          out,
          '--banner',
          '--json',
        ],
        { cwd: packageDir, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout }));
    });
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { url: string; face: string };
    expect(json.url).toBe(`https://faces.notion.com/?face=${json.face}`);
    const bytes = await readFile(out);
    expect(bytes.subarray(8, 12).toString('latin1')).toBe('WEBP');
  }, 120_000);
});
