import type { Command, CommandIo } from './internal/io.js';

/**
 * The `spoti` commands by name; each is `src/commands/<name>.ts`, loaded only when it runs so
 * `spoti --help` stays fast.
 */
export const COMMANDS: Readonly<Record<string, { run: Command; summary: string }>> = {
  stats: {
    run: async (argv, io) => (await import('./commands/stats.js')).runStatsCommand(argv, io),
    summary: 'listening statistics from a Spotify data export',
  },
  face: {
    run: async (argv, io) => (await import('./commands/face.js')).runFaceCommand(argv, io),
    summary: 'a Notion-style face from a Spotify data export',
  },
};

/** Usage text of `spoti`. */
export function usage(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  return `Usage: spoti <command> [options]\n\nCommands:\n${names
    .map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n]?.summary ?? ''}`)
    .join('\n')}\n\nRun "spoti <command> --help" for a command's options.\n`;
}

/**
 * Runs the `spoti` command line: dispatches `argv[0]` to its command with the remaining
 * arguments. Returns the exit code (2 for an unknown command).
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), process);
 * ```
 */
export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    io.stderr.write(`spoti: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return 2;
  }
  return command.run(rest, io);
}
