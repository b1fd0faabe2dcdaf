import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCliArgs } from '../src/server/cli-args.js';

describe('spoti-mock arguments', () => {
  it('serves with defaults and with flags', () => {
    expect(parseCliArgs([])).toEqual({
      kind: 'serve',
      port: 8888,
      host: '127.0.0.1',
      seed: 42,
      profile: 'development-2026',
      size: undefined,
    });
    expect(
      parseCliArgs(['--port', '0', '--seed', '7', '--profile', 'extended', '--size', 'tiny']),
    ).toMatchObject({
      port: 0,
      seed: 7,
      profile: 'extended',
      size: 'tiny',
    });
  });

  it('parses the export command', () => {
    expect(
      parseCliArgs([
        'export',
        '--seed',
        '42',
        '--persona',
        'night-owl',
        '--plays',
        '500000',
        '--out',
        'my_spotify_data.zip',
      ]),
    ).toEqual({
      kind: 'export',
      seed: 42,
      persona: 'night-owl',
      plays: 500_000,
      out: 'my_spotify_data.zip',
      naming: 'extended',
      accountData: false,
    });
    expect(
      parseCliArgs(['export', '--out', 'x.zip', '--naming', 'endsong', '--account-data']),
    ).toMatchObject({
      naming: 'endsong',
      accountData: true,
    });
  });

  it('explains bad flags', () => {
    expect(() => parseCliArgs(['--port', 'abc'])).toThrow(
      /--port must be an integer between 0 and 65535/,
    );
    expect(() => parseCliArgs(['--port', '70000'])).toThrow(CliUsageError);
    expect(() => parseCliArgs(['--profile', 'free'])).toThrow(
      /--profile must be one of extended, development-2026/,
    );
    expect(() => parseCliArgs(['--colour'])).toThrow(/Unknown option '--colour'/);
    expect(() => parseCliArgs(['export'])).toThrow(/export needs --out/);
    expect(() => parseCliArgs(['export', '--out', 'x.zip', '--persona', 'robot'])).toThrow(
      /--persona must be one of/,
    );
    expect(() => parseCliArgs(['export', '--out', 'x.zip', '--plays', '0'])).toThrow(/--plays/);
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
  });

  it('exits 2 with the usage on a bad flag', () => {
    const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const result = spawnSync(
      process.execPath,
      ['--conditions=@spoti/source', '--import', 'tsx', cli, '--port', 'x'],
      {
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--port must be an integer');
    expect(result.stderr).toContain('Usage:');
  });
});

describe('spoti-mock serving', () => {
  it('prints its URLs, serves, and stops on SIGTERM', async () => {
    const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      [
        '--conditions=@spoti/source',
        '--import',
        'tsx',
        cli,
        '--port',
        '0',
        '--size',
        'tiny',
        '--profile',
        'extended',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const apiUrl = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Web API:\s+(\S+)/.exec(output);
        if (match?.[1] !== undefined && output.includes('Ctrl+C')) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
    });
    expect(apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(output).toContain('extended, seed 42');
    const response = await fetch(`${apiUrl}/me`);
    expect(response.status).toBe(401);
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('spoti-mock export', () => {
  it('writes the export with progress and a summary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spoti-mock-cli-'));
    try {
      const out = join(dir, 'my_spotify_data.zip');
      const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
      const result = spawnSync(
        process.execPath,
        [
          '--conditions=@spoti/source',
          '--import',
          'tsx',
          cli,
          'export',
          '--plays',
          '2000',
          '--persona',
          'heavy-pop',
          '--out',
          out,
        ],
        { encoding: 'utf8' },
      );
      expect(result.status).toBe(0);
      expect(result.stderr).toContain('writing: 100% (2000 plays');
      expect(result.stderr).toContain(`wrote ${out}: 2000 plays in 1 file(s)`);
      expect(existsSync(out)).toBe(true);
      expect(statSync(out).size).toBeGreaterThan(1000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
