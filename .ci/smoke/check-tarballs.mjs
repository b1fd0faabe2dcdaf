// Checks each packed tarball: every relative link of its README points at a file inside the
// tarball, the published package.json has repository (with directory), homepage and bugs, no
// scripts (they would run tools on files that are not shipped), every exports/bin target
// is shipped, and no built file names a private workspace package (`@spoti/internal` is bundled
// into each build and must not be needed at run time or by the types).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, normalize } from 'node:path';

const dir = process.argv[2];
const problems = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.tgz'))) {
  const tarball = join(dir, file);
  const names = new Set(
    execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((n) => n.replace(/^package\//, '')),
  );
  const read = (name) =>
    execFileSync('tar', ['-xzOf', tarball, `package/${name}`], { encoding: 'utf8' });
  const pkg = JSON.parse(read('package.json'));
  const where = pkg.name;
  if (
    pkg.repository?.directory === undefined ||
    !/^git\+https:\/\//.test(pkg.repository?.url ?? '')
  )
    problems.push(`${where}: repository with url and directory`);
  if (typeof pkg.homepage !== 'string') problems.push(`${where}: homepage`);
  if (typeof pkg.bugs?.url !== 'string') problems.push(`${where}: bugs`);
  if (pkg.scripts !== undefined) problems.push(`${where}: scripts are published`);
  const targets = [];
  const walk = (value) => {
    if (typeof value === 'string') targets.push(value);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(pkg.exports);
  walk(pkg.bin);
  walk([pkg.main, pkg.module, pkg.types].filter(Boolean));
  for (const target of targets)
    if (!names.has(normalize(target))) problems.push(`${where}: ${target} is not in the tarball`);
  for (const name of names) {
    if (!/^dist\/.*\.(c?js|d\.c?ts)$/.test(name)) continue;
    if (read(name).includes('@spoti/internal'))
      problems.push(
        `${where}: ${name} names @spoti/internal (bundle it, keep it out of public types)`,
      );
  }
  if (!names.has('README.md')) problems.push(`${where}: no README.md`);
  else {
    const readme = read('README.md');
    for (const match of readme.matchAll(/\]\(([^)\s]+)\)/g)) {
      const link = match[1];
      if (/^(https?:|mailto:|#)/.test(link)) continue;
      const path = normalize(link.replace(/#.*$/, '').replace(/^\.\//, ''));
      const shipped = names.has(path) || [...names].some((n) => n.startsWith(`${path}/`));
      if (!shipped) problems.push(`${where}: README links to ${link}, which is not shipped`);
    }
  }
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('tarballs ok');
