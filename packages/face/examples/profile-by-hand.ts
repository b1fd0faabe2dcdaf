// A hand-written profile: any object of the ListeningProfile shape works. @spoti/profile holds
// the contract (types and zod schema) without analytics' importer or any storage.
import { mapFace, toNotionFaceUrl } from '@spoti/face';
import { type ListeningProfile, listeningProfileSchema } from '@spoti/profile';

const measured = (value: number) => ({ value, source: 'supplied' as const, confidence: 1 });
const profile: ListeningProfile = {
  version: 1,
  period: { label: '2025', from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
  timeZone: 'Europe/Berlin',
  signals: {
    energy: measured(0.8),
    valence: measured(0.3),
    acousticness: measured(0.1),
    instrumentalness: measured(0.2),
    danceability: measured(0.4),
    intensity: measured(0.85),
    genreConsistency: measured(0.7),
    timeOfDayDiversity: measured(0.5),
    nightShare: measured(0.45),
    discovery: measured(0.3),
  },
  topGenre: { name: 'melodic death metal', family: 'metal', share: 0.5 },
  genreFamilies: [
    { family: 'metal', share: 0.7 },
    { family: 'rock', share: 0.2 },
  ],
  topArtists: [],
  topTracks: [],
  hours: Array.from({ length: 24 }, () => 1 / 24),
  achievements: [],
  totals: { plays: 0, msPlayed: 0, uniqueTracks: 0, uniqueArtists: 0, days: 0 },
};

listeningProfileSchema.parse(profile); // throws, naming the field, when a value is out of range
const face = mapFace(profile);
console.log(`hair: ${face.params.h.tag}; ${face.params.h.reason}`);
console.log(toNotionFaceUrl(face));
