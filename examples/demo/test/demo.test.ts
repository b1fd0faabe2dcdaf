import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('pnpm demo', () => {
  it('signs in with PKCE, prints what a client sees in under 60 lines, and exits 0', () => {
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const result = spawnSync(
      process.execPath,
      ['--conditions=@spoti/source', '--import', 'tsx', 'src/main.ts'],
      {
        cwd,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThan(60);
    expect(result.stdout).toContain('Signed in with PKCE');
    expect(result.stdout).toMatch(/Top artists, last 4 weeks: \S/);
    expect(result.stdout).toContain('-> 403 {"error":{"status":403,"message":"Forbidden"}}');
  });
});
