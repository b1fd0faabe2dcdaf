import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CATALOGUE, type Face, mapFace } from '@spoti/face';
import { notionistsSvg } from '@spoti/face/notionists';
import { renderFace, toNotionistsSvg } from '@spoti/face/render';
import { startMock } from '@spoti/mock';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { buildBrowserScripts, faceArtAsset } from '../src/views/face-scripts.js';
import { autocannon } from './autocannon.js';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const DURATION = Number(arg('duration', '10'));
const _here = import.meta.dirname;

/** A tiny cookie-keeping client that follows redirects (sign-in through the mock). */
async function signIn(url: string, listener: string): Promise<string> {
  let cookie = '';
  let next = `${url}/login?listener=${encodeURIComponent(listener)}`;
  for (let i = 0; i < 8; i++) {
    const res = await fetch(next, {
      redirect: 'manual',
      headers: next.startsWith(url) && cookie ? { cookie } : {},
    });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('spoti.sid='));
    if (set) cookie = set.split(';')[0] ?? '';
    const location = res.headers.get('location');
    if (location === null) break;
    next = new URL(location, next).toString();
  }
  return cookie;
}

const rows: string[] = [];
const f = (n: number) => n.toFixed(0);
const load = () => `load ${loadavg()[0]?.toFixed(1)}`;

/** Mean ms per drawing of `faces` (one per hair pin: what a pin change redraws), over 2 s. */
function perDraw(draw: (face: Face) => string, faces: readonly Face[]): number {
  for (const face of faces) draw(face);
  const started = performance.now();
  let n = 0;
  while (performance.now() - started < 2000) {
    for (const face of faces) draw(face);
    n += faces.length;
  }
  return (performance.now() - started) / n;
}

// The server's Spotify client is a Development Mode client whatever the app's access, so one mode.
for (const mode of ['development-2026'] as const) {
  const mock = await startMock({ seed: 11, profile: mode, worldOptions: { size: 'tiny' } });
  const dataDir = await mkdtemp(join(tmpdir(), 'spoti-face-bench-'));
  const config = loadConfig(
    {
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000000',
      AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
    },
    { baseDir: dataDir, randomBytes },
  );
  const server = await startServer(config, { mock, clock: mock.controls.clock });
  try {
    const listener = [...mock.world.users.keys()][0] ?? '';
    const cookie = await signIn(server.url, listener);
    await server.context.runner.idle();
    const calls = async (path: string) => {
      mock.controls.requests.reset();
      const res = await fetch(`${server.url}${path}`, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      await res.text();
      return mock.controls.requests.counts().total ?? 0;
    };
    const cold = await calls('/face?period=short_term');
    const warm = await calls('/face?period=short_term');
    const otherPeriod = await calls('/face?period=long_term');
    // A sync with new plays makes the profiles stale; the Web API part stays cached.
    await server.context.faces.invalidate((await server.context.users.listIds())[0] ?? '');
    const afterSync = await calls('/face?period=short_term');
    rows.push(
      `| ${mode} | Web API calls: cold face / warm face / another period within the cache lifetime / after a sync (profile collected again) | ${cold} / ${warm} / ${otherPeriod} / ${afterSync} | at most 8 cold, 0 warm | |`,
    );
    await calls('/dashboard?period=short_term');
    const before = load();
    const page = await autocannon(`${server.url}/face?period=short_term`, {
      connections: 8,
      durationS: DURATION,
      headers: [`cookie=${cookie}`],
    });
    const dashboard = await autocannon(`${server.url}/dashboard?period=short_term`, {
      connections: 8,
      durationS: DURATION,
      headers: [`cookie=${cookie}`],
    });
    const css = await autocannon(`${server.url}/static/app.css`, {
      connections: 8,
      durationS: DURATION,
      headers: [`cookie=${cookie}`],
    });
    rows.push(
      `| ${mode} | warm studio page, 8 connections, ${DURATION} s (${before}, then ${load()}) | ${f(page.rps)} req/s, p50 ${f(page.p50)} ms, p99 ${f(page.p99)} ms, ${page.errors} errors | warm dashboard: ${f(dashboard.rps)} req/s, p99 ${f(dashboard.p99)} ms; static file: ${f(css.rps)} req/s, p99 ${f(css.p99)} ms | ${(page.rps / Math.max(1, dashboard.rps)).toFixed(2)}× the dashboard's req/s |`,
    );

    // An image in the gallery, then its endpoint under load against renderFace in-process.
    const token = /name="_csrf" value="([^"]+)"/.exec(
      await (await fetch(`${server.url}/face`, { headers: { cookie } })).text(),
    )?.[1];
    const kept = await fetch(`${server.url}/face/download`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        _csrf: token ?? '',
        back: 'period=short_term',
        layout: 'square',
        format: 'png',
      }).toString(),
    });
    const imagePath = (kept.headers.get('location') ?? '').split('?')[0] ?? '';
    const user = await server.context.users.get((await server.context.users.listIds())[0] ?? '');
    const profile = (await server.context.faces.profile(user!, { kind: 'short_term' })).profile;
    const face = mapFace(profile);
    await renderFace(face); // fonts and DiceBear warm
    const started = performance.now();
    let rendered = 0;
    while (performance.now() - started < DURATION * 1000) {
      await renderFace(face, { layout: 'square', format: 'png' });
      rendered++;
    }
    const inProcess = rendered / ((performance.now() - started) / 1000);
    const imagesLoad = load();
    const images = await autocannon(`${server.url}${imagePath}`, {
      connections: 8,
      durationS: DURATION,
      headers: [`cookie=${cookie}`],
    });
    rows.push(
      `| ${mode} | image endpoint (stored 1024² PNG), 8 connections, ${DURATION} s (${imagesLoad}, then ${load()}) | ${f(images.rps)} images/s, p99 ${f(images.p99)} ms, ${images.errors} errors | renderFace in-process, one after another: ${inProcess.toFixed(1)} images/s | ${(images.rps / inProcess).toFixed(1)}× |`,
    );

    // The studio script, its art data, and a preview drawn as the browser draws it.
    const sizes = await buildBrowserScripts();
    const asset = faceArtAsset();
    rows.push(
      `| ${mode} | studio script / art data, gzipped | ${(sizes.studio / 1024).toFixed(1)} KB / ${(asset.gzipped / 1024).toFixed(1)} KB (loaded once, immutable) | budget: script at most 150 KB | ${(sizes.studio / (150 * 1024)).toFixed(2)}× the budget |`,
    );
    const art = JSON.parse(asset.body.toString('utf8'));
    const pinned = DEFAULT_CATALOGUE.h.map((o) => mapFace(profile, { pins: { h: o.tag } }));
    const drawLoad = load();
    const browser = perDraw((face) => notionistsSvg(face, art), pinned);
    const whole = perDraw((face) => toNotionistsSvg(face), pinned);
    rows.push(
      `| ${mode} | preview of a pin change drawn in-process with notionistsSvg from the art data (${drawLoad}) | ${browser.toFixed(2)} ms per face | toNotionistsSvg with the whole style: ${whole.toFixed(2)} ms | ${(browser / whole).toFixed(2)}× |`,
    );
  } finally {
    await server.close();
    await mock.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

console.log('| mode | what | measured | baseline | ratio |');
console.log('| --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
