import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
const DRIVERS = ['@electric-sql/pglite', 'pg'];

/**
 * Every module reachable from `entry` through static imports and re-exports (`import(...)` is
 * lazy and not followed), with the external packages they name. `valueOnly` skips `import type`.
 */
function reach(entry: string, valueOnly: boolean): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    const statements = text.matchAll(
      /^(import|export)\s+(type\s+)?(?:[^;'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm,
    );
    for (const [, , typeOnly, spec] of statements) {
      if (spec === undefined || (valueOnly && typeOnly !== undefined)) continue;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else
        packages.add(
          spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!,
        );
    }
  };
  visit(entry);
  return { files, packages };
}

describe('entry points', () => {
  it('the domain entry loads neither a database driver nor Kysely', () => {
    const { packages } = reach(resolve(src, 'index.ts'), true);
    // @spoti/internal is bundled into the build, so the published entry needs zod alone.
    expect([...packages].sort()).toEqual(['@spoti/internal', 'zod']);
  });

  it("the domain entry's types name no database driver", () => {
    const { packages } = reach(resolve(src, 'index.ts'), false);
    for (const driver of DRIVERS) expect(packages.has(driver)).toBe(false);
  });

  it('the SQL entry loads drivers only when a store is opened', () => {
    const { packages } = reach(resolve(src, 'sql/index.ts'), false);
    for (const driver of DRIVERS) expect(packages.has(driver)).toBe(false);
    expect(packages.has('kysely')).toBe(true);
  });
});
