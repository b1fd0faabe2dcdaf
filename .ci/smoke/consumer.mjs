// ESM consumer: `import` every entry point of the installed tarballs, then the real calls.
import { createRequire } from 'node:module';

const { exercise } = createRequire(import.meta.url)('./exercise.cjs');
const modules = {
  profile: await import('@spoti/profile'),
  catalog: await import('@spoti/catalog'),
  mock: await import('@spoti/mock'),
  client: await import('@spoti/client'),
  sync: await import('@spoti/sync'),
  analytics: await import('@spoti/analytics'),
  face: await import('@spoti/face'),
  faceRender: await import('@spoti/face/render'),
  faceNotionists: await import('@spoti/face/notionists'),
  playlists: await import('@spoti/playlists'),
  releases: await import('@spoti/releases'),
  cli: await import('@spoti/cli'),
};
await exercise('esm', modules, { exportZip: process.env.SMOKE_EXPORT });
