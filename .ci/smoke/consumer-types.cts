// The CommonJS view of consumer-types.ts (node16 resolution picks each package's .d.cts).
import { buildListeningProfile, type ListeningStats } from '@spoti/analytics';
import { type Play, normalizeText } from '@spoti/catalog';
import { type Command, runCli } from '@spoti/cli';
import { createSpotifyClient, type SpotifyClient } from '@spoti/client';
import { type Face, mapFace, toNotionFaceUrl } from '@spoti/face';
import { type NotionistsArt, notionistsArt, notionistsSvg } from '@spoti/face/notionists';
import { type RenderFaceOptions, renderFace } from '@spoti/face/render';
import { startMock } from '@spoti/mock';
import { parseQuery } from '@spoti/playlists';
import { type ListeningProfile, listeningProfileSchema } from '@spoti/profile';
import { normaliseTitle } from '@spoti/releases';
import { createSync } from '@spoti/sync';

export async function consumer(plays: readonly Play[]): Promise<string> {
  const { profile, stats } = buildListeningProfile(plays, { timeZone: 'UTC', period: 'all' });
  const listening: ListeningStats = stats;
  const checked: ListeningProfile = listeningProfileSchema.parse(profile);
  const face: Face = mapFace(checked);
  const options: RenderFaceOptions = { format: 'webp', layout: 'banner' };
  const image = await renderFace(face, options);
  const client: SpotifyClient = createSpotifyClient({ clientId: 'id' });
  const command: Command = runCli;
  const art: NotionistsArt = notionistsArt();
  const svg: string = notionistsSvg(face, art, { size: 128 });
  void [svg, listening, client, command, startMock, parseQuery, createSync];
  return `${toNotionFaceUrl(face)} ${image.contentHash} ${normalizeText('x')} ${normaliseTitle('y')}`;
}
