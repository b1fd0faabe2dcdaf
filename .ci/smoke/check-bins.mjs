// Every `bin` of a workspace package must point at a committed file: pnpm links bins when it
// installs the workspace, before anything is built, and warns "Failed to create bin" otherwise.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';

const tracked = new Set(execFileSync('git', ['ls-files'], { encoding: 'utf8' }).split('\n'));
const missing = [];
for (const group of ['packages', 'examples']) {
  for (const dir of readdirSync(group)) {
    let pkg;
    try {
      pkg = JSON.parse(readFileSync(join(group, dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    const bins = typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : (pkg.bin ?? {});
    for (const [name, file] of Object.entries(bins)) {
      const path = normalize(join(group, dir, file));
      if (!tracked.has(path))
        missing.push(`${pkg.name}: bin ${name} -> ${path} is not a committed file`);
    }
  }
}
if (missing.length > 0) {
  console.error(missing.join('\n'));
  process.exit(1);
}
console.log('bins ok');
