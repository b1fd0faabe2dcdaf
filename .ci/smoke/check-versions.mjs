// After `changeset version`: every publishable package is at the expected version.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [copy, expected] = process.argv.slice(2);
const wrong = [];
for (const dir of readdirSync(join(copy, 'packages'))) {
  const pkg = JSON.parse(readFileSync(join(copy, 'packages', dir, 'package.json'), 'utf8'));
  if (pkg.private === true) continue;
  if (pkg.version !== expected) wrong.push(`${pkg.name}@${pkg.version}`);
}
if (wrong.length > 0) {
  console.error(`expected ${expected}: ${wrong.join(', ')}`);
  process.exit(1);
}
console.log(`every package at ${expected}`);
