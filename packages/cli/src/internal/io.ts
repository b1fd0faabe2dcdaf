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

/** True when the stream is an interactive terminal. */
export const isTty = (stream: NodeJS.WritableStream): boolean =>
  (stream as { isTTY?: boolean }).isTTY === true;
