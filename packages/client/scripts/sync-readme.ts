/**
 * Copies every example file into the README code block that follows its marker
 * (`<!-- example: examples/<name>.ts -->`), so the README shows exactly the code the tests run.
 * Run with `pnpm readme` in this package.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** A marker, the fence that follows it and the block's current content. */
export const exampleBlock = /<!-- example: (examples\/[\w-]+\.ts) -->\n```ts\n([\s\S]*?)```/g;

/** The README with each marked block replaced by its file's content. */
export function syncReadme(readme: string, read: (path: string) => string): string {
  return readme.replace(
    exampleBlock,
    (_match, path: string) => `<!-- example: ${path} -->\n\`\`\`ts\n${read(path)}\`\`\``,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = `${root}README.md`;
  const before = readFileSync(path, 'utf8');
  const after = syncReadme(before, (file) => readFileSync(`${root}${file}`, 'utf8'));
  writeFileSync(path, after);
  console.log(before === after ? 'README.md already in sync' : 'README.md updated');
}
