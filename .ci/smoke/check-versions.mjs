// After `changeset version` in a throwaway copy: every publishable package that has not been
// released yet (0.0.0 in the repository) is at the expected first version; released packages
// are only listed. Usage: node check-versions.mjs <repository> <copy> <first version>
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [repo, copy, first] = process.argv.slice(2);
const read = (root, dir) =>
  JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
const wrong = [];
const versions = [];
for (const dir of readdirSync(join(copy, 'packages'))) {
  const after = read(copy, dir);
  if (after.private === true) continue;
  const before = read(repo, dir).version;
  versions.push(`${after.name} ${before} -> ${after.version}`);
  if (before === '0.0.0' && after.version !== first) wrong.push(`${after.name}@${after.version}`);
}
if (wrong.length > 0) {
  console.error(`expected ${first} for unreleased packages: ${wrong.join(', ')}`);
  process.exit(1);
}
console.log(versions.join('\n'));
