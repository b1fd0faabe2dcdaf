/**
 * `@spoti/cli`: the `spoti` command. The package also exports the dispatcher and each command so
 * they can be embedded or tested in-process.
 *
 * @packageDocumentation
 */
export { COMMANDS, runCli, usage } from './cli.js';
export { runStatsCommand, STATS_USAGE } from './commands/stats.js';
export { UsageError } from './internal/io.js';
export type { Command, CommandIo } from './internal/io.js';
