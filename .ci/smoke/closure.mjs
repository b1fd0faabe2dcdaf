// Prints the workspace packages an install of the given package brings (itself included), from
// the runtime `dependencies` of each package.json; optional peers are left out.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [root, start] = process.argv.slice(2);
const byName = new Map();
for (const dir of readdirSync(join(root, 'packages'))) {
  const pkg = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
  byName.set(pkg.name, pkg);
}
const seen = new Set();
const visit = (name) => {
  if (seen.has(name) || !byName.has(name)) return;
  seen.add(name);
  for (const dep of Object.keys(byName.get(name).dependencies ?? {})) visit(dep);
};
visit(start);
console.log([...seen].join('\n'));
