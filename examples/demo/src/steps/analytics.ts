// Demo step: @spoti/analytics on a data export written by the mock (no Spotify app needed).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildListeningProfile, importSpotifyExport } from '@spoti/analytics';
import { writeDataExport } from '@spoti/mock';

/** What the analytics step needs from the demo: a scratch folder (a temporary one when omitted). */
export interface AnalyticsDemoContext {
  readonly tmpDir?: string;
}

export async function runAnalyticsStep(ctx: AnalyticsDemoContext = {}): Promise<void> {
  const dir = await mkdtemp(join(ctx.tmpDir ?? tmpdir(), 'spoti-demo-analytics-'));
  try {
    const zip = join(dir, 'my_spotify_data.zip');
    const written = await writeDataExport({
      seed: 42,
      persona: 'night-owl',
      plays: 5000,
      out: zip,
    });
    const imported = await importSpotifyExport(zip, { userId: 'demo', strict: false });
    console.log(
      `Data export: ${written.files.length} files; imported ${imported.plays.size} plays (${imported.duplicates} duplicate rows dropped, ${imported.podcasts.count} podcast rows set apart)`,
    );
    const { stats, profile } = buildListeningProfile(imported.plays, {
      timeZone: 'Europe/Berlin',
      period: 'all',
    });
    console.log(
      `Listened ${stats.totals.hours.toFixed(0)} h on ${stats.totals.days} days; ${stats.sessions.count} sessions; skip rate ${((stats.skips.rate ?? 0) * 100).toFixed(1)} %`,
    );
    console.log(
      `Top artists: ${stats.topArtists.byTime
        .slice(0, 3)
        .map((a) => a.name)
        .join(', ')}`,
    );
    const peak = stats.hours.indexOf(Math.max(...stats.hours));
    console.log(
      `Busiest hour ${String(peak).padStart(2, '0')}:00 (Europe/Berlin); night share ${(stats.nightShare * 100).toFixed(0)} %; longest streak ${stats.streaks.longest?.days ?? 0} days`,
    );
    const s = profile.signals;
    console.log(
      `Profile signals: nightShare ${s.nightShare.value} (${s.nightShare.source}), timeOfDayDiversity ${s.timeOfDayDiversity.value}, energy ${s.energy.value} (confidence ${s.energy.confidence}: the export has no genres)`,
    );
    console.log(
      `Achievements: ${profile.achievements.map((a) => `${a.id} (${a.reachedAt.slice(0, 10)})`).join(', ')}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
