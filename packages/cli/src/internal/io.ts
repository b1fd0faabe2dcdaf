/** Where a command writes: its standard output and error streams. */
export interface CommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** A command of the `spoti` CLI: takes the arguments after its name, returns the exit code. */
export type Command = (argv: readonly string[], io: CommandIo) => Promise<number>;

/** Raised for bad command-line usage; the dispatcher prints it with the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Prints the first import issues as warnings and how many more there were. */
export function writeWarnings(
  stream: NodeJS.WritableStream,
  imported: { issues: readonly { message: string }[]; issueCount: number },
  shown = 5,
): void {
  for (const issue of imported.issues.slice(0, shown)) stream.write(`warning: ${issue.message}\n`);
  const more = imported.issueCount - Math.min(shown, imported.issues.length);
  if (more > 0)
    stream.write(`warning: ${more.toLocaleString('en-US')} more rows skipped or repaired\n`);
}

/** True when the stream is an interactive terminal. */
export const isTty = (stream: NodeJS.WritableStream): boolean =>
  (stream as { isTTY?: boolean }).isTTY === true;
