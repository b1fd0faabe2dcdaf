import { createWriteStream } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { MediaProblem } from './media-problem.js';

/** One file of a multipart upload, written to `path`. */
export interface ReceivedFile {
  readonly path: string;
  /** The form field that carried it. */
  readonly field: string;
  readonly filename: string;
  /** The type the client declared for the part (lower case, no parameters; may be empty). */
  readonly declaredType: string;
  readonly bytes: number;
  /** The size the client declared in a `size` form field sent before the file, if any. */
  readonly declaredSize: number | null;
  /** The first bytes of the file (up to `headBytes`), for type checks by content. */
  readonly head: Buffer;
}

/** Options of {@link receiveOneFile}. */
export interface ReceiveOptions {
  readonly headers: IncomingHttpHeaders;
  readonly body: Readable;
  /** Where the file is written (the caller removes it). */
  readonly path: string;
  /** Longest accepted file, in bytes. */
  readonly maxBytes: number;
  /** Called with the first bytes once they arrive: throw to refuse the upload early. */
  readonly checkHead?: (head: Buffer) => void;
  /** How many leading bytes to keep (default 64 KiB). */
  readonly headBytes?: number;
  /** What the file is, for messages ("audio file", "cover image"). */
  readonly what: string;
}

/** Multipart overhead allowed on top of the file in `Content-Length`. */
const FORM_OVERHEAD = 64 * 1024;

/** The optional form field that declares the file's byte count, sent before the file. */
const SIZE_FIELD = 'size';
const SIZE_PATTERN = /^\d{1,12}$/;
/** Most non-file fields read (a `size` field and a few a client may add). */
const MAX_FIELDS = 5;
const MAX_FIELD_BYTES = 256;

/** What one upload form accepts: the file it carries, its byte limit and its part types. */
export interface UploadForm {
  /** What the file is, for messages ("audio file", "cover image"). */
  readonly what: string;
  /** Longest accepted file, in bytes. */
  readonly maxBytes: number;
  /** Part types a client may declare (the content decides; a generic type is always fine). */
  readonly mediaTypes: readonly string[];
  /** More about the file (formats, dimensions), for the document. */
  readonly description: string;
}

/**
 * The OpenAPI media type object of an upload form (`multipart/form-data`): a binary `file` part
 * with its byte limit and accepted types, and the optional `size` field with the pattern and
 * limits {@link receiveOneFile} enforces. The routes validate with the same constants.
 */
export function uploadFormDocument(form: UploadForm): Record<string, unknown> {
  const types = [...form.mediaTypes, 'application/octet-stream'];
  return {
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: {
          type: 'string',
          format: 'binary',
          contentMediaType: 'application/octet-stream',
          description: `The ${form.what}, at most ${form.maxBytes} bytes. ${form.description} The part may have any field name; one file per request.`,
          'x-max-bytes': form.maxBytes,
        },
        [SIZE_FIELD]: {
          type: 'string',
          pattern: SIZE_PATTERN.source,
          maxLength: 12,
          description: `Optional: the file's byte count (a whole number, at most ${form.maxBytes}), sent before the file; the bytes received must equal it (SIZE_MISMATCH).`,
        },
      },
      maxProperties: MAX_FIELDS + 1,
      additionalProperties: { type: 'string', maxLength: MAX_FIELD_BYTES },
    },
    encoding: {
      file: { contentType: types.join(', ') },
      [SIZE_FIELD]: { contentType: 'text/plain' },
    },
  };
}

/** A busboy parser for one file of at most `maxBytes`, or a problem for a request too long or not multipart. */
function openParser(options: ReceiveOptions): busboy.Busboy {
  const length = Number(options.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(length) && length > options.maxBytes + FORM_OVERHEAD) {
    options.body.resume();
    throw new MediaProblem(
      'FILE_TOO_LARGE',
      `The ${options.what} may be at most ${options.maxBytes} bytes; the request has ${length}`,
    );
  }
  try {
    return busboy({
      headers: options.headers,
      limits: {
        fileSize: options.maxBytes,
        files: 1,
        fields: MAX_FIELDS,
        fieldSize: MAX_FIELD_BYTES,
      },
    });
  } catch (cause) {
    options.body.resume();
    throw new MediaProblem(
      'INVALID_INPUT',
      `Send the ${options.what} as multipart/form-data with one file field`,
      { cause },
    );
  }
}

/** What one upload has received so far: the file, its byte count and first bytes, the first problem. */
class Receipt {
  declaredSize: number | null = null;
  failure: MediaProblem | null = null;
  file: Omit<ReceivedFile, 'bytes' | 'head' | 'declaredSize'> | null = null;
  bytes = 0;
  readonly writes: Promise<void>[] = [];
  readonly #headChunks: Buffer[] = [];
  #headLength = 0;
  #headChecked = false;

  constructor(
    private readonly options: ReceiveOptions,
    private readonly headLimit: number,
  ) {}

  /** Keeps the first problem: the one the client is told about. */
  fail(problem: MediaProblem): void {
    this.failure ??= problem;
  }

  head(): Buffer {
    return Buffer.concat(this.#headChunks);
  }

  /** A form field: only `size` counts, a whole number no larger than the limit. */
  field(name: string, value: string): void {
    if (name !== SIZE_FIELD) return;
    if (!SIZE_PATTERN.test(value)) {
      this.fail(new MediaProblem('INVALID_INPUT', 'size must be a whole number of bytes'));
      return;
    }
    this.declaredSize = Number(value);
    if (this.declaredSize > this.options.maxBytes) {
      const { what, maxBytes } = this.options;
      this.fail(
        new MediaProblem(
          'FILE_TOO_LARGE',
          `The ${what} may be at most ${maxBytes} bytes; size says ${this.declaredSize}`,
        ),
      );
    }
  }

  /** The file part: written to the path, counted, its first bytes kept and checked. */
  fileStream(field: string, stream: Readable, info: busboy.FileInfo): void {
    const { options } = this;
    if (this.file !== null || this.failure !== null) {
      stream.resume();
      return;
    }
    this.file = {
      path: options.path,
      field,
      filename: (info.filename ?? '').split(/[\\/]/).pop() ?? '',
      declaredType: (info.mimeType ?? '').split(';')[0]?.trim().toLowerCase() ?? '',
    };
    stream.on('data', (chunk: Buffer) => this.#count(chunk));
    stream.on('end', () => this.#checkHead());
    stream.on('limit', () =>
      this.fail(
        new MediaProblem(
          'FILE_TOO_LARGE',
          `The ${options.what} may be at most ${options.maxBytes} bytes`,
        ),
      ),
    );
    this.writes.push(
      pipeline(stream, createWriteStream(options.path)).catch((cause: unknown) => {
        this.fail(
          new MediaProblem('INVALID_INPUT', `The ${options.what} could not be read`, { cause }),
        );
      }),
    );
  }

  #count(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.#headLength >= this.headLimit) return;
    const part = chunk.subarray(0, this.headLimit - this.#headLength);
    this.#headChunks.push(part);
    this.#headLength += part.length;
    if (this.#headLength >= this.headLimit) this.#checkHead();
  }

  #checkHead(): void {
    const check = this.options.checkHead;
    if (this.#headChecked || check === undefined) return;
    this.#headChecked = true;
    try {
      check(this.head());
    } catch (error) {
      this.fail(
        error instanceof MediaProblem
          ? error
          : new MediaProblem('UNSUPPORTED_MEDIA', String(error)),
      );
    }
  }

  /** The received file, or the problem: the first failure, no file, an empty one, a wrong size. */
  result(): ReceivedFile {
    const { what } = this.options;
    if (this.failure !== null) throw this.failure;
    if (this.file === null) {
      throw new MediaProblem('INVALID_INPUT', `Choose a ${what} to upload (one file field)`);
    }
    if (this.bytes === 0) throw new MediaProblem('UNSUPPORTED_MEDIA', `The ${what} is empty`);
    if (this.declaredSize !== null && this.declaredSize !== this.bytes) {
      throw new MediaProblem(
        'SIZE_MISMATCH',
        `The ${what} has ${this.bytes} bytes but size said ${this.declaredSize}`,
      );
    }
    return { ...this.file, bytes: this.bytes, declaredSize: this.declaredSize, head: this.head() };
  }
}

/**
 * Streams the single file of a `multipart/form-data` request to disk with busboy, never holding it
 * in memory. Counts the bytes as they arrive and stops at `maxBytes` (`FILE_TOO_LARGE`, whatever
 * `Content-Length` said); compares the count with a declared `size` field (`SIZE_MISMATCH`); lets
 * the caller refuse on the first bytes (`checkHead`). The caller deletes `path` on any outcome.
 */
export async function receiveOneFile(options: ReceiveOptions): Promise<ReceivedFile> {
  const parser = openParser(options);
  const receipt = new Receipt(options, options.headBytes ?? 64 * 1024);
  parser.on('field', (name, value) => receipt.field(name, value));
  parser.on('file', (field, stream, info) => receipt.fileStream(field, stream, info));
  parser.on('filesLimit', () =>
    receipt.fail(new MediaProblem('INVALID_INPUT', `Send one ${options.what} per request`)),
  );
  try {
    await pipeline(options.body, parser);
  } catch (cause) {
    receipt.fail(
      new MediaProblem('INVALID_INPUT', `The upload could not be read as multipart/form-data`, {
        cause,
      }),
    );
  }
  await Promise.all(receipt.writes);
  return receipt.result();
}
