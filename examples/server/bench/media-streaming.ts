// Range streaming throughput of GET /api/v1/songs/:id/stream against express.static serving the
// same file, loaded by autocannon in a separate process (50 connections). The server runs in this
// process (zero-config: embedded Spotify, PGlite, folder object storage) so the song, the artist and
// the upload can be set up directly; the load generator is a process of its own.
//   pnpm --filter @spoti/example-server bench:media [-- --duration=10 --connections=50]
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import express from 'express';
import type { Kysely } from 'kysely';
import { mediaServicesOf } from '../src/api/media/media-services.js';
import { AccountRepository } from '../src/api/storage/accounts.js';
import type { PlatformDatabase } from '../src/api/storage/platform-schema.js';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { type Load, autocannon } from './autocannon.js';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const DURATION = Number(arg('duration', '10'));
const CONNECTIONS = Number(arg('connections', '50'));
const _here = import.meta.dirname;
const run = promisify(execFile);

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'spoti-media-bench-'));
  const source = join(dir, 'tone.mp3');
  await run('ffmpeg', [
    ...['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi'],
    ...['-i', 'sine=frequency=440:duration=180', '-ac', '2', '-c:a', 'libmp3lame', '-b:a', '320k'],
    source,
  ]);
  const server = await startServer(
    loadConfig(
      {
        PORT: '0',
        DATA_DIR: dir,
        LOG_LEVEL: 'warn',
        API_RATE_LIMIT_PER_MINUTE: '100000000',
        RATE_LIMIT_PER_MINUTE: '100000000',
      },
      { baseDir: dir, randomBytes },
    ),
  );
  const baseline = express();
  const staticDir = join(dir, 'static');
  baseline.use(express.static(staticDir));
  const baselineServer = baseline.listen(0, '127.0.0.1');
  await new Promise((resolve) => baselineServer.once('listening', resolve));
  try {
    const ctx = server.context;
    const api = `${server.url}/api/v1`;
    const post = async (path: string, body: unknown, token?: string) => {
      const res = await fetch(`${api}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify(body),
      });
      return (await res.json()) as Record<string, string>;
    };
    const account = async (name: string) => {
      const email = `${name}@example.test`;
      const password = 'fake-Pass-phrase-for-bench';
      const { id } = await post('/auth/register', { email, password, displayName: name });
      const { token } = await post('/auth/login', { email, password });
      return { id: id ?? '', token: token ?? '' };
    };
    const artist = await account('artist');
    const listener = await account('listener');
    const now = Date.now();
    await ctx.database.catalog.upsertArtists([
      {
        id: 'ar-bench',
        name: 'Bench',
        genres: [],
        ownerUserId: artist.id,
        imageUrl: null,
        addedAt: now,
      },
    ]);
    await ctx.database.catalog.upsertTracks([
      {
        id: 'song-bench',
        name: 'Tone',
        albumId: null,
        artistIds: ['ar-bench'],
        ownerArtistId: 'ar-bench',
        durationMs: 0,
        isrc: null,
        explicit: false,
        visibility: 'public',
        discNumber: 1,
        trackNumber: 1,
        addedAt: now,
      },
    ]);
    await new AccountRepository(
      ctx.database.db as unknown as Kysely<PlatformDatabase>,
      ctx.clock,
    ).update(artist.id, { role: 'artist', artistId: 'ar-bench' });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await readFile(source))]), 'tone.mp3');
    const uploaded = await fetch(`${api}/songs/song-bench/audio`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${artist.token}` },
      body: form,
    });
    if (uploaded.status !== 200) throw new Error(`upload failed: ${await uploaded.text()}`);
    await ctx.runner.idle();
    // The baseline serves the very file the listener (Free: 160 kbps) is streamed.
    const rendition = (await mediaServicesOf(ctx).media.listRenditions('song-bench')).find(
      (r) => r.kbps === 160,
    );
    if (rendition === undefined) throw new Error('no 160 kbps rendition');
    const object = await ctx.objects.get(rendition.objectKey);
    if (object === null) throw new Error('rendition missing');
    const chunks: Buffer[] = [];
    for await (const chunk of object.body) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    await run('mkdir', ['-p', staticDir]);
    await writeFile(join(staticDir, 'tone.mp3'), bytes);
    const baseUrl = `http://127.0.0.1:${(baselineServer.address() as AddressInfo).port}/tone.mp3`;
    const streamUrl = `${api}/songs/song-bench/stream`;
    const auth = `Authorization=Bearer ${listener.token}`;
    const probe = await fetch(streamUrl, {
      headers: { authorization: `Bearer ${listener.token}`, range: 'bytes=0-0' },
    });
    if (probe.status !== 206 || probe.headers.get('x-audio-quality') !== '160')
      throw new Error(
        `unexpected probe answer ${probe.status} ${probe.headers.get('x-audio-quality')}`,
      );

    const range = 'Range=bytes=0-262143';
    const rows: string[] = [];
    for (const [label, headers] of [
      ['Range bytes=0-262143 (256 KiB), 206', [range]],
      ['whole file, 200', [] as string[]],
    ] as const) {
      const api = await autocannon(streamUrl, {
        connections: CONNECTIONS,
        durationS: DURATION,
        headers: [auth, ...headers],
      });
      const stat = await autocannon(baseUrl, {
        connections: CONNECTIONS,
        durationS: DURATION,
        headers: [...headers],
      });
      const fmt = (l: Load) =>
        `${Math.round(l.rps)} req/s, ${l.mibPerSecond.toFixed(0)} MiB/s, p50 ${l.p50} ms, p99 ${l.p99} ms, ${l.errors} errors, CPU ${l.cpuMs.toFixed(2)} ms/request`;
      rows.push(
        `| ${label} | ${fmt(api)} | ${fmt(stat)} | ${(api.mibPerSecond / stat.mibPerSecond).toFixed(2)} | ${(stat.cpuMs > 0 ? api.cpuMs / stat.cpuMs : 0).toFixed(1)}× | ${loadavg()[0]?.toFixed(1)} |`,
      );
    }
    const report = [
      `File: the 160 kbps rendition of a 3-minute tone, ${bytes.length.toLocaleString('en')} bytes; ${CONNECTIONS} connections, ${DURATION} s each, autocannon in its own process, loopback.`,
      '',
      '| request | `/api/v1/songs/:id/stream` (bearer auth, plan lookup, object store) | `express.static` (same file) | throughput ratio | CPU per request, API / static | load average (1 min) |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows,
    ].join('\n');
    process.stdout.write(`${report}\n`);
  } finally {
    baselineServer.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
