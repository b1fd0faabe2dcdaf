// Writes docs/face-mapping.md from the mapping definitions (run: pnpm --filter @spoti/face docs:mapping).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { faceMappingMarkdown } from '../src/index.js';

const target = fileURLToPath(new URL('../../../docs/face-mapping.md', import.meta.url));
writeFileSync(target, faceMappingMarkdown());
console.log(`wrote ${target}`);
