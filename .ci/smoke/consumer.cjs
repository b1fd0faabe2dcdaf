// CommonJS consumer: `require()` every entry point of the installed tarballs, then the real calls.
'use strict';
const { exercise } = require('./exercise.cjs');

const modules = {
  profile: require('@spoti/profile'),
  catalog: require('@spoti/catalog'),
  mock: require('@spoti/mock'),
  client: require('@spoti/client'),
  sync: require('@spoti/sync'),
  analytics: require('@spoti/analytics'),
  face: require('@spoti/face'),
  faceRender: require('@spoti/face/render'),
  faceNotionists: require('@spoti/face/notionists'),
  playlists: require('@spoti/playlists'),
  releases: require('@spoti/releases'),
  cli: require('@spoti/cli'),
};
exercise('cjs', modules, { exportZip: process.env.SMOKE_EXPORT }).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
