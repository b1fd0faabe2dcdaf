import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CATALOGUE,
  DEFAULT_MAPPING,
  PARAM_KEYS,
  faceMappingMarkdown,
} from '../src/index.js';

describe('docs/face-mapping.md', () => {
  it('is up to date with the mapping definitions (run pnpm --filter @spoti/face docs:mapping)', () => {
    const file = readFileSync(
      fileURLToPath(new URL('../../../docs/face-mapping.md', import.meta.url)),
      'utf8',
    );
    expect(file).toBe(faceMappingMarkdown());
  });

  it('documents every parameter, band and catalogue option', () => {
    const md = faceMappingMarkdown();
    for (const key of PARAM_KEYS) {
      expect(md).toContain(`## \`${key}\`:`);
      for (const row of DEFAULT_MAPPING[key].rows) expect(md).toContain(`| \`${row.tag}\` |`);
      for (const o of DEFAULT_CATALOGUE[key]) expect(md).toContain(`\`${o.render}\``);
    }
  });
});
