import { crc32, deflateRawSync } from 'node:zlib';

/** One file of a test archive; `declaredSize` overrides the size its headers state. */
export interface ArchiveEntry {
  readonly name: string;
  readonly data: Buffer;
  /** A size other than the data's (a zip bomb's trick, or a huge entry never inflated). */
  readonly declaredSize?: number;
}

/** Little-endian fields, `[bytes, value]` each, as one buffer. */
function fields(...parts: readonly (readonly [2 | 4, number])[]): Buffer {
  const out = Buffer.alloc(parts.reduce((n, [bytes]) => n + bytes, 0));
  let at = 0;
  for (const [bytes, value] of parts) {
    if (bytes === 2) out.writeUInt16LE(value, at);
    else out.writeUInt32LE(value >>> 0, at);
    at += bytes;
  }
  return out;
}

/** 2024-06-01 00:00 in MS-DOS date and time fields. */
const DOS_TIME = 0;
const DOS_DATE = ((2024 - 1980) << 9) | (6 << 5) | 1;

/**
 * A ZIP archive of deflated entries for the server's upload tests, written from the format's
 * description (PKWARE APPNOTE 4.3): local headers, the data, the central directory and its end
 * record. No Zip64, no extra fields; names in UTF-8.
 */
export function zipArchive(entries: readonly ArchiveEntry[]): Buffer {
  const body: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const packed = deflateRawSync(entry.data);
    const size = entry.declaredSize ?? entry.data.length;
    // version needed, flags (UTF-8 names), method (deflate), time, date, crc, sizes, name length
    const common = [
      [2, 20],
      [2, 0x0800],
      [2, 8],
      [2, DOS_TIME],
      [2, DOS_DATE],
      [4, crc32(entry.data)],
      [4, packed.length],
      [4, size],
      [2, name.length],
    ] as const;
    const local = Buffer.concat([fields([4, 0x04034b50], ...common, [2, 0]), name]);
    body.push(local, packed);
    directory.push(
      Buffer.concat([
        // signature, version made by, the common fields, extra, comment, disk, attributes, offset
        fields(
          [4, 0x02014b50],
          [2, 20],
          ...common,
          [2, 0],
          [2, 0],
          [2, 0],
          [2, 0],
          [4, 0],
          [4, offset],
        ),
        name,
      ]),
    );
    offset += local.length + packed.length;
  }
  const central = Buffer.concat(directory);
  const end = fields(
    [4, 0x06054b50],
    [2, 0],
    [2, 0],
    [2, entries.length],
    [2, entries.length],
    [4, central.length],
    [4, offset],
    [2, 0],
  );
  return Buffer.concat([...body, central, end]);
}
