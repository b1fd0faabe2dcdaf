import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { BackupError } from './backup-error.js';

/** First bytes of every archive (format version 1). */
const MAGIC = Buffer.from('SPOTIBK1', 'ascii');
const SALT_BYTES = 16;
const CHECK_BYTES = 16;
const HEADER_BYTES = MAGIC.length + SALT_BYTES + CHECK_BYTES;
const TAG_BYTES = 16;
/** Plaintext bytes per authenticated chunk. */
export const CHUNK_BYTES = 64 * 1024;
const FRAME_HEAD = 5; // flag (1) + length (4)

/**
 * Parses `BACKUP_KEY`: 64 hex characters (32 bytes).
 *
 * @throws BackupError `INVALID_KEY`.
 */
export function parseBackupKey(value: string | undefined): Buffer {
  if (value === undefined || !/^[0-9a-fA-F]{64}$/.test(value)) {
    throw new BackupError(
      'INVALID_KEY',
      'BACKUP_KEY must be set to 64 hex characters (32 bytes): openssl rand -hex 32',
    );
  }
  return Buffer.from(value, 'hex');
}

function keys(key: Buffer, salt: Buffer): { data: Buffer; check: Buffer } {
  const data = Buffer.from(hkdfSync('sha256', key, salt, 'spoti-backup v1 data', 32));
  const checkKey = Buffer.from(hkdfSync('sha256', key, salt, 'spoti-backup v1 check', 32));
  const check = createHmac('sha256', checkKey).update(MAGIC).update(salt).digest();
  return { data, check: check.subarray(0, CHECK_BYTES) };
}

function nonce(index: bigint): Buffer {
  const n = Buffer.alloc(12);
  n.writeBigUInt64BE(index, 4);
  return n;
}

function aad(salt: Buffer, final: boolean, index: bigint): Buffer {
  const tail = Buffer.alloc(9);
  tail.writeUInt8(final ? 1 : 0, 0);
  tail.writeBigUInt64BE(index, 1);
  return Buffer.concat([MAGIC, salt, tail]);
}

/**
 * Encrypts a byte stream into the archive format: a header (magic, random salt, key check), then
 * chunks of at most 64 KiB, each AES-256-GCM with its own nonce (the chunk's index) and the
 * chunk's index and a "last chunk" flag in the authenticated data, so reordering, removing or
 * cutting chunks is detected. The key of the archive is derived from `key` and the salt (HKDF).
 */
export function encryptArchive(key: Buffer): Transform {
  const salt = randomBytes(SALT_BYTES);
  const k = keys(key, salt);
  let index = 0n;
  let pending: Buffer[] = [];
  let size = 0;
  let started = false;
  const frame = (plain: Buffer, final: boolean): Buffer => {
    const cipher = createCipheriv('aes-256-gcm', k.data, nonce(index));
    cipher.setAAD(aad(salt, final, index));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const head = Buffer.alloc(FRAME_HEAD);
    head.writeUInt8(final ? 1 : 0, 0);
    head.writeUInt32BE(body.length, 1);
    index += 1n;
    return Buffer.concat([head, body, cipher.getAuthTag()]);
  };
  const start = (stream: Transform) => {
    if (started) return;
    started = true;
    stream.push(Buffer.concat([MAGIC, salt, k.check]));
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      start(this);
      pending.push(chunk);
      size += chunk.length;
      while (size >= CHUNK_BYTES) {
        const all = Buffer.concat(pending);
        this.push(frame(all.subarray(0, CHUNK_BYTES), false));
        const rest = all.subarray(CHUNK_BYTES);
        pending = rest.length === 0 ? [] : [rest];
        size = rest.length;
      }
      callback();
    },
    flush(callback: TransformCallback) {
      start(this);
      this.push(frame(Buffer.concat(pending), true));
      pending = [];
      callback();
    },
  });
}

/**
 * Decrypts and authenticates an archive, chunk by chunk. A wrong key fails at the header
 * (`WRONG_KEY`), an altered chunk at that chunk (`DAMAGED`), an archive that stops before its last
 * chunk at the end (`TRUNCATED`): consumers must treat output as provisional until the stream ends
 * without error.
 */
export function decryptArchive(key: Buffer): Transform {
  let buffer: Buffer = Buffer.alloc(0);
  let header: ArchiveKeys | null = null;
  let index = 0n;
  let done = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      try {
        if (header === null) {
          if (buffer.length < HEADER_BYTES) return callback();
          header = readHeader(key, buffer);
          buffer = buffer.subarray(HEADER_BYTES);
        }
        while (buffer.length >= FRAME_HEAD) {
          if (done) {
            throw new BackupError('DAMAGED', 'The archive has data after its last chunk');
          }
          const frame = openFrame(header, buffer, index);
          if (frame === null) break;
          buffer = buffer.subarray(frame.bytes);
          index += 1n;
          if (frame.last) done = true;
          if (frame.plain.length > 0) this.push(frame.plain);
        }
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      callback(endError(header !== null, done, buffer.length, index) ?? undefined);
    },
  });
}

/** The archive's salt and the data key derived from it with the caller's key. */
interface ArchiveKeys {
  readonly salt: Buffer;
  readonly dataKey: Buffer;
}

/** Checks the magic and the key check of a complete header. */
function readHeader(key: Buffer, buffer: Buffer): ArchiveKeys {
  if (!buffer.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new BackupError('INVALID_ARCHIVE', 'This is not a spoti backup archive (format 1)');
  }
  const salt = Buffer.from(buffer.subarray(MAGIC.length, MAGIC.length + SALT_BYTES));
  const k = keys(key, salt);
  const check = buffer.subarray(MAGIC.length + SALT_BYTES, HEADER_BYTES);
  if (!timingSafeEqual(check, k.check)) {
    throw new BackupError(
      'WRONG_KEY',
      'BACKUP_KEY does not match the key this archive was written with',
    );
  }
  return { salt, dataKey: k.data };
}

/**
 * Decrypts and authenticates the frame at the start of `buffer` (chunk number `index`), or
 * returns null while the frame is not complete yet.
 */
function openFrame(header: ArchiveKeys, buffer: Buffer, index: bigint) {
  const flag = buffer.readUInt8(0);
  const length = buffer.readUInt32BE(1);
  if (flag > 1 || length > CHUNK_BYTES) {
    throw new BackupError('DAMAGED', `The archive is damaged at chunk ${index}`);
  }
  if (buffer.length < FRAME_HEAD + length + TAG_BYTES) return null;
  const body = buffer.subarray(FRAME_HEAD, FRAME_HEAD + length);
  const tag = buffer.subarray(FRAME_HEAD + length, FRAME_HEAD + length + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', header.dataKey, nonce(index));
  decipher.setAAD(aad(header.salt, flag === 1, index));
  decipher.setAuthTag(tag);
  try {
    const plain = Buffer.concat([decipher.update(body), decipher.final()]);
    return { plain, last: flag === 1, bytes: FRAME_HEAD + length + TAG_BYTES };
  } catch (cause) {
    throw new BackupError(
      'DAMAGED',
      `The archive was altered or damaged: chunk ${index} failed authentication`,
      { cause },
    );
  }
}

/** What is wrong with how the archive ended, or null when it ended after its last chunk. */
function endError(hadHeader: boolean, done: boolean, leftover: number, index: bigint) {
  if (done && leftover > 0) {
    return new BackupError('DAMAGED', 'The archive has data after its last chunk');
  }
  if (done) return null;
  return new BackupError(
    'TRUNCATED',
    hadHeader
      ? `The archive is truncated: it ends after chunk ${index} without its last chunk`
      : 'The archive is truncated: it ends inside its header',
  );
}
