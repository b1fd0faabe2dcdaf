// Hooks for packing and publishing the @spoti/* packages.
'use strict';

module.exports = {
  hooks: {
    // The published package.json drops what only makes sense inside this repository: the
    // scripts (they run tsup, tsc, benches and tools on files that are not shipped) and the
    // development dependencies.
    beforePacking(pkg) {
      delete pkg.scripts;
      delete pkg.devDependencies;
      return pkg;
    },
  },
};
