#!/usr/bin/env node
import { writeDataExport } from './export/write-data-export.js';
import { CliUsageError, parseCliArgs, USAGE } from './server/cli-args.js';
import { startMock } from './server/start-mock.js';

async function main(argv: readonly string[]): Promise<number> {
  let command: ReturnType<typeof parseCliArgs>;
  try {
    command = parseCliArgs(argv);
  } catch (error) {
    if (error instanceof CliUsageError) {
      process.stderr.write(`spoti-mock: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command.kind === 'export') {
    let lastPercent = -1;
    const started = Date.now();
    const summary = await writeDataExport({
      seed: command.seed,
      persona: command.persona,
      plays: command.plays,
      out: command.out,
      naming: command.naming,
      accountData: command.accountData,
      onProgress: (progress) => {
        const percent = Math.floor((progress.plays / command.plays) * 100);
        if (percent !== lastPercent) {
          lastPercent = percent;
          const mb = (progress.bytes / 1e6).toFixed(1);
          process.stderr.write(
            `\rwriting: ${percent}% (${progress.plays} plays, ${progress.files} file(s), ${mb} MB)`,
          );
        }
      },
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const size = (summary.bytes / 1e6).toFixed(1);
    process.stderr.write(
      `\nwrote ${summary.path}: ${summary.plays} plays in ${summary.files.length} file(s), ${size} MB, ${seconds} s\n`,
    );
    return 0;
  }
  const mock = await startMock({
    port: command.port,
    host: command.host,
    seed: command.seed,
    profile: command.profile,
    ...(command.size === undefined ? {} : { worldOptions: { size: command.size } }),
  });
  process.stdout.write(
    [
      `spoti-mock (${command.profile}, seed ${command.seed}) listening`,
      `  Web API:  ${mock.apiUrl}`,
      `  Accounts: ${mock.accountsUrl}/authorize and ${mock.accountsUrl}/api/token`,
      '  Any client id and secret are accepted; /authorize consents as the first user.',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await mock.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`spoti-mock: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
