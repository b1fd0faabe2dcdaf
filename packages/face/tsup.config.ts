import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'render/index': 'src/render/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // import.meta.url (used to find the font packages) in the CommonJS build.
  shims: true,
});
