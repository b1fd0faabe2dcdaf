// Link check of the generated API site: every relative href/src in docs/api resolves to a file of
// the site, and every in-page anchor it names exists. External links are listed by host, not
// fetched (CI has no network). Usage: node .ci/check-doc-links.mjs [docs/api]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const site = resolve(process.argv[2] ?? 'docs/api');
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.html')) files.push(path);
  }
};
walk(site);
if (files.length === 0) throw new Error(`no HTML files under ${site}; run pnpm run docs first`);

const anchorsCache = new Map();
const anchorsOf = (file) => {
  if (!anchorsCache.has(file)) {
    const html = readFileSync(file, 'utf8');
    anchorsCache.set(
      file,
      new Set([...html.matchAll(/\s(?:id|name)="([^"]+)"/g)].map((m) => m[1])),
    );
  }
  return anchorsCache.get(file);
};

const broken = [];
const hosts = new Map();
let checked = 0;
for (const file of files) {
  const html = readFileSync(file, 'utf8');
  for (const match of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
    const link = match[1].replaceAll('&amp;', '&');
    if (/^[a-z][a-z0-9+.-]*:/i.test(link)) {
      if (/^https?:/.test(link)) {
        const host = new URL(link).host;
        // A file name turned into a link by autolinking (`http://BENCHMARKS.md`) is broken.
        if (/\.(md|ts|js|json|txt)$/i.test(host)) broken.push(`${relative(site, file)}: ${link}`);
        hosts.set(host, (hosts.get(host) ?? 0) + 1);
      }
      continue;
    }
    checked++;
    const [pathPart, fragment] = link.split('#');
    const target =
      pathPart === '' ? file : resolve(dirname(file), decodeURIComponent(pathPart.split('?')[0]));
    if (!target.startsWith(site) || !existsSync(target)) {
      broken.push(`${relative(site, file)}: ${link}`);
      continue;
    }
    // hierarchy.html fills its anchors in the browser from the site's data.
    const scripted = target.endsWith('hierarchy.html');
    if (
      fragment &&
      !scripted &&
      target.endsWith('.html') &&
      !anchorsOf(target).has(decodeURIComponent(fragment))
    )
      broken.push(`${relative(site, file)}: ${link} (no such anchor)`);
  }
}
if (broken.length > 0) {
  console.error(`${broken.length} broken links:\n${[...new Set(broken)].slice(0, 50).join('\n')}`);
  process.exit(1);
}
const external = [...hosts].map(([host, n]) => `${host} (${n})`).join(', ');
console.log(
  `docs links ok: ${checked} relative links in ${files.length} pages; external hosts: ${external}`,
);
