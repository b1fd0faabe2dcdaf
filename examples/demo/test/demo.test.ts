import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('pnpm demo', () => {
  it('signs in with PKCE, runs every package against the local Spotify, writes a face, exits 0', () => {
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const outDir = join(cwd, 'demo-output');
    rmSync(outDir, { recursive: true, force: true });
    const result = spawnSync(
      process.execPath,
      ['--conditions=@spoti/source', '--import', 'tsx', 'src/main.ts'],
      { cwd, encoding: 'utf8', timeout: 180_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThan(130);
    expect(result.stdout).toContain('Signed in with PKCE');
    expect(result.stdout).toMatch(/Top artists, last 4 weeks: \S/);
    expect(result.stdout).toContain('-> 403 {"error":{"status":403,"message":"Forbidden"}}');
    for (const pkg of ['sync', 'playlists', 'releases', 'analytics', 'face'])
      expect(result.stdout).toContain(`== @spoti/${pkg}:`);
    expect(result.stdout).toMatch(
      /https:\/\/faces\.notion\.com\/\?face=s\d+e\d+m\d+n\d+h\d+a\d+y\d+b\d+/,
    );
    expect(existsSync(join(outDir, 'face-square.png'))).toBe(true);
    expect(existsSync(join(outDir, 'face-banner.png'))).toBe(true);
  }, 200_000);
});
