import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ExportImportError, readSpotifyExport } from '../src/index.js';
import { parseFile, type Read } from '../src/importer/parse-file.js';
import { parseFileInSlices, releaseChunks } from '../src/importer/row-slices.js';
import { zipOf } from './zip-writer.js';

/** `bytes` cut in chunks of `size` bytes (as a stream would give them). */
function chunksOf(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

/** What a reader of the file sees: its rows (with their numbers) and every report, in order. */
function readWith(read: Read, sliced: boolean, sliceBytes: number, chunkBytes = 5) {
  const reports: string[] = [];
  const replaced = () => reports.push('replaced');
  const problem = (code: string, reason: string) => reports.push(`${code} ${reason}`);
  if (!sliced) {
    const rows = parseFile(read, replaced, problem);
    return { reports, count: rows?.length ?? null, rows: rows ?? [], slices: 1 };
  }
  const chunked = 'bytes' in read ? { chunks: chunksOf(read.bytes, chunkBytes) } : read;
  const file = parseFileInSlices(chunked, replaced, problem, sliceBytes);
  const rows: unknown[] = [];
  let slices = 0;
  for (const slice of file?.slices() ?? []) {
    expect(slice.base).toBe(rows.length);
    rows.push(...slice.rows);
    slices++;
  }
  return { reports, count: file?.count ?? null, rows, slices };
}

/** Asserts that the sliced read gives what one `JSON.parse` of the file gives. */
function expectSame(bytes: Buffer, sliceBytes: number) {
  const read = { bytes };
  const whole = readWith(read, false, sliceBytes);
  let sliced = whole;
  for (const chunkBytes of [1, 2, 5, 64, 1 << 20]) {
    sliced = readWith(read, true, sliceBytes, chunkBytes);
    expect(sliced.reports).toEqual(whole.reports);
    expect(sliced.count).toEqual(whole.count);
    expect(sliced.rows).toEqual(whole.rows);
  }
  return sliced;
}

const tricky = [
  { ts: '2024-01-01T00:00:00Z', name: 'comma, bracket ] brace } quote " end' },
  { ts: '2024-01-02T00:00:00Z', name: 'backslash \\', nested: { a: [1, { b: ']' }] } },
  { ts: '2024-01-03T00:00:00Z', name: 'unicode é 🎵 \u2028', n: -1.5e3, ok: true, none: null },
  { ts: '2024-01-04T00:00:00Z', name: '\\"', list: [',', '{', '['] },
  { ts: '2024-01-05T00:00:00Z', name: 'a cut that is not one: "},{" and }, {', b: '},\n{' },
  { ts: '2024-01-06T00:00:00Z', nested: [{ a: 1 }, { b: 2 }], more: { c: [{}, {}] } },
  'a row that is a string',
  42,
  [1, 2, [3]],
];

/** A seeded array of rows (tricky strings among plain ones). */
function rowsOf(count: number, seed: number): unknown[] {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state;
  };
  return Array.from({ length: count }, (_, i) => {
    const r = next();
    return r % 5 === 0 ? tricky[r % tricky.length] : { ts: `row ${i}`, ms_played: r % 300_000 };
  });
}

describe('parseFileInSlices', () => {
  it('gives the rows of one JSON.parse, slice by slice, for any slice size', () => {
    for (const [seed, spacing] of [
      [1, undefined],
      [2, 2],
      [3, '\t'],
    ] as const) {
      const bytes = Buffer.from(JSON.stringify(rowsOf(300, seed), null, spacing));
      for (const sliceBytes of [1, 7, 64, 1000, 1 << 20]) {
        const { slices } = expectSame(bytes, sliceBytes);
        if (sliceBytes === 64) expect(slices).toBeGreaterThan(20);
        if (sliceBytes === 1 << 20) expect(slices).toBe(1);
      }
    }
  });

  it('reads a byte-order mark, surrounding whitespace and an empty array as JSON.parse does', () => {
    const rows = JSON.stringify(rowsOf(50, 4));
    expectSame(Buffer.from(`\uFEFF${rows}`), 16);
    expectSame(Buffer.from(` \r\n\t${rows}\n\n `), 16);
    expect(expectSame(Buffer.from(' [ ] '), 1).count).toBe(0);
    expect(expectSame(Buffer.from('[]'), 1).count).toBe(0);
    expect(expectSame(Buffer.from('\uFEFF[]'), 1).count).toBe(0);
  });

  it('reports bytes that are not UTF-8 once, and decodes them as the whole text would', () => {
    const text = JSON.stringify(rowsOf(40, 5));
    const at = text.indexOf('row 20');
    const bytes = Buffer.concat([
      Buffer.from(text.slice(0, at)),
      Buffer.from([0xff, 0xe2, 0x82]),
      Buffer.from(text.slice(at)),
    ]);
    const sliced = expectSame(bytes, 8);
    expect(sliced.reports).toEqual(['replaced']);
  });

  it('refuses, with the whole file’s report, what is not one valid array of rows', () => {
    const rows = JSON.stringify(rowsOf(60, 6));
    const broken = [
      '',
      '   ',
      'null',
      '{"a": 1}',
      '"text"',
      `${rows}x`,
      `${rows}]`,
      `${rows},[]`,
      rows.slice(0, -1),
      rows.replace('},{', '},,{'),
      rows.replace('},{', '},{}{'),
      rows.replace('},{', '}{'),
      `[,${rows.slice(1)}`,
      `${rows.slice(0, -1)},]`,
      rows.replace(/"row (\d+)"/, '"row $1'),
      `${rows.slice(0, -1)},tru]`,
      `[${' '.repeat(100)},1]`,
    ];
    for (const text of broken) {
      for (const sliceBytes of [1, 16, 1 << 20]) {
        const sliced = expectSame(Buffer.from(text), sliceBytes);
        expect(sliced.count).toBeNull();
        expect(sliced.reports.at(-1)).toMatch(/^EXPORT_MALFORMED_FILE /);
      }
    }
  });

  it('passes a read error on as parseFile does', () => {
    const read = { error: new Error('entry is damaged') };
    expect(readWith(read, true, 16).reports).toEqual(readWith(read, false, 16).reports);
  });
});

describe('reading an export in chunks', () => {
  it('refuses a zip entry that inflates to more than it declares, and reads the others', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spoti-row-slices-'));
    try {
      const history = 'Spotify Extended Streaming History/Streaming_History_Audio_2024';
      const row = {
        ts: '2024-03-01T10:00:00Z',
        ms_played: 200_000,
        spotify_track_uri: 'spotify:track:4uLU6hMCjMI75M1A2tKUQC',
      };
      const zip = join(dir, 'bomb.zip');
      await writeFile(
        zip,
        zipOf([
          { name: `${history}_0.json`, data: Buffer.from(JSON.stringify([row])) },
          { name: `${history}_1.json`, data: Buffer.alloc(5_000_000, 0x20), declaredSize: 1000 },
          { name: `${history}_2.json`, data: Buffer.from('[]'), declaredSize: 10 },
        ]),
      );
      const issues: ExportImportError[] = [];
      let items = 0;
      for await (const _ of readSpotifyExport(zip, {
        userId: 'me',
        strict: false,
        onIssue: (e) => issues.push(e),
      }))
        items++;
      expect(items).toBe(1);
      expect(
        issues.map((e) => [e.code, e.file, /cannot be read: (.*?) \(file /.exec(e.message)?.[1]]),
      ).toEqual([
        [
          'EXPORT_BAD_ARCHIVE',
          `${history}_1.json`,
          'the entry inflates to more than the 1000 bytes it declares',
        ],
        [
          'EXPORT_BAD_ARCHIVE',
          `${history}_2.json`,
          'the entry inflates to 2 bytes, not the 10 it declares',
        ],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('releaseChunks', () => {
  it('gives back the memory of chunks that own their ArrayBuffer, and leaves shared ones', () => {
    const own = Buffer.alloc(64 * 1024, 0x20);
    const shared = Buffer.alloc(64 * 1024, 0x21);
    const [a, b] = [shared.subarray(0, 1000), shared.subarray(1000)];
    const small = Buffer.from('[1]');
    releaseChunks({ chunks: [own, a, b, small] });
    expect(own.byteLength).toBe(0);
    expect([a.byteLength, b.byteLength, shared.byteLength]).toEqual([
      1000,
      64 * 1024 - 1000,
      64 * 1024,
    ]);
    expect(small.toString()).toBe('[1]');
    releaseChunks({ error: new Error('unreadable') });
  });
});
