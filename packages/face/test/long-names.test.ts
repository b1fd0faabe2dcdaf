import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { mapFace } from '../src/index.js';
import {
  fitText,
  MAX_LINE_GRAPHEMES,
  registerFaceFonts,
  renderFace,
  statsFromProfile,
} from '../src/render/index.js';
import { makeProfile, PERSONAS } from './fixtures/profiles.js';

/** A context whose measureText records the longest text it was asked to measure. */
function measuringContext(): { ctx: SKRSContext2D; longest: () => number; calls: () => number } {
  registerFaceFonts();
  const ctx = createCanvas(10, 10).getContext('2d');
  ctx.font = '700 52px SpotiFaceInter';
  const measure = ctx.measureText.bind(ctx);
  let longest = 0;
  let calls = 0;
  ctx.measureText = (text: string) => {
    longest = Math.max(longest, text.length);
    calls += 1;
    return measure(text);
  };
  return { ctx, longest: () => longest, calls: () => calls };
}

describe('long names on the card', () => {
  it('fits a 100,000-character name by measuring short prefixes only', () => {
    const { ctx, longest, calls } = measuringContext();
    const name = 'Wolfgang Amadeus '.repeat(6000).slice(0, 100_000);
    const fitted = fitText(ctx, name, 560);
    expect(fitted.endsWith('…')).toBe(true);
    expect(name.startsWith(fitted.slice(0, -1))).toBe(true);
    expect(ctx.measureText(fitted).width).toBeLessThanOrEqual(560);
    expect(longest()).toBeLessThanOrEqual(2 * MAX_LINE_GRAPHEMES);
    expect(calls()).toBeLessThan(40);
  });

  it('cuts a long run of zero-width characters at MAX_LINE_GRAPHEMES, with an ellipsis', () => {
    const { ctx, longest } = measuringContext();
    const fitted = fitText(ctx, `a${'\u200b'.repeat(100_000)}`, 560);
    expect(fitted.endsWith('…')).toBe(true);
    expect([...fitted].length).toBeLessThanOrEqual(MAX_LINE_GRAPHEMES + 1);
    expect(longest()).toBeLessThanOrEqual(2 * MAX_LINE_GRAPHEMES + 1);
  });

  it('renders a card whose user and top artist names are 100,000 characters long', async () => {
    const profile = makeProfile(PERSONAS['night-owl']!);
    const huge = 'Ж'.repeat(100_000);
    const stats = statsFromProfile(
      { ...profile, topArtists: [{ ...profile.topArtists![0]!, name: huge }] },
      { userName: huge, generatedAt: '2026-11-28T00:00:00Z' },
    );
    const image = await renderFace(mapFace(profile), { stats, size: 256 });
    expect(image.width).toBe(256);
  });
});
