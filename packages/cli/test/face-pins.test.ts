import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { SKIN_TONES } from '@spoti/face';
import { writeDataExport } from '@spoti/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';

let dir: string;
let zip: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spoti-cli-pins-'));
  zip = join(dir, 'my_spotify_data.zip');
  await writeDataExport({ seed: 5, persona: 'weekend-raver', plays: 400, out: zip });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function face(args: readonly string[]) {
  const out: string[] = [];
  const sink = (into: string[] | null) =>
    new Writable({
      write(chunk, _encoding, done) {
        into?.push(String(chunk));
        done();
      },
    });
  const code = await runCli(['face', zip, '--date', '2026-11-28', ...args], {
    stdout: sink(out),
    stderr: sink(null),
  });
  return { code, text: out.join('') };
}

describe('spoti face --pin numbering', () => {
  it('says and draws the tone it was given, by number or by tag', async () => {
    const byNumber = await face(['--out', join(dir, 'n.png'), '--pin', 's=1']);
    const byTag = await face(['--out', join(dir, 't.png'), '--pin', 'skin=tone-1']);
    expect(byNumber.code).toBe(0);
    const line = byNumber.text.split('\n').find((l) => l.trimStart().startsWith('skin'));
    expect(line).toMatch(
      /^\s+skin\s+tone-1\s+You pinned your skin to tone-1 \(s1 in the face string\)\.$/,
    );
    expect(byNumber.text).toMatch(/Notion Faces: \S+\?face=s1e/);
    // The same face string and the same image, whichever way the pin was written.
    const json = async (pin: string, file: string) =>
      JSON.parse((await face(['--out', join(dir, file), '--pin', pin, '--json'])).text) as {
        face: string;
        contentHash: string;
        params: { s: { tag: string; value: number } };
      };
    const a = await json('s=1', 'a.png');
    const b = await json('skin=tone-1', 'b.png');
    expect(a.params.s).toMatchObject({ tag: 'tone-1', value: 1 });
    expect(b.face).toBe(a.face);
    expect(b.contentHash).toBe(a.contentHash);
    // The drawn tone: a cheek of the bare 1024 square is painted tone-1.
    await face(['--out', join(dir, 'bare.png'), '--pin', 's=1', '--no-overlay']);
    const image = await loadImage(await readFile(join(dir, 'bare.png')));
    const canvas = createCanvas(image.width, image.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(image, 0, 0);
    const pixel = ctx.getImageData(622, 617, 1, 1).data;
    const hex = `#${[pixel[0], pixel[1], pixel[2]].map((c) => (c ?? 0).toString(16).padStart(2, '0')).join('')}`;
    expect(hex).toBe(SKIN_TONES['tone-1']);
    expect(byTag.text).toContain('You pinned your skin to tone-1 (s1 in the face string).');
  });
});
