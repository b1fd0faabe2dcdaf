// A face from a Spotify data export (Account privacy -> "Extended streaming history"). Here
// @spoti/mock writes a small synthetic export; with yours, pass the path of my_spotify_data.zip.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildListeningProfile, importSpotifyExport } from '@spoti/analytics';
import { mapFace, toNotionFaceUrl } from '@spoti/face';
import { writeDataExport } from '@spoti/mock';

const dir = mkdtempSync(join(tmpdir(), 'spoti-face-'));
const zip = join(dir, 'my_spotify_data.zip');
await writeDataExport({ seed: 7, persona: 'night-owl', plays: 5_000, out: zip });

const imported = await importSpotifyExport(zip, { userId: 'me' });
const { profile } = buildListeningProfile(imported.plays, {
  timeZone: 'Europe/Berlin',
  period: 'all',
});
const face = mapFace(profile);
console.log(
  `${profile.totals.plays} plays, night share ${profile.signals.nightShare.value.toFixed(2)}`,
);
console.log(toNotionFaceUrl(face));
rmSync(dir, { recursive: true, force: true });
