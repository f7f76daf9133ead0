/**
 * A small, defensive zip reader and a deterministic zip writer (Node built-ins only).
 *
 * Reader — written for untrusted input (DOCX files from a data room):
 * - the archive is located through the end-of-central-directory record and the central directory; the
 *   sizes in local headers are never trusted (only their name/extra lengths are read, to find the data);
 * - limits are checked before anything is inflated: entry count, each entry's declared size, and a
 *   budget for the total bytes inflated through one archive;
 * - the limit is enforced again *while* inflating (`zlib.inflateRawSync(…, { maxOutputLength })`), so an
 *   entry that lies about its size (a zip bomb) stops at the limit instead of filling memory;
 * - the inflated size and CRC-32 must match the central directory;
 * - methods: stored (0) and deflate (8); encrypted entries, other methods and multi-disk archives are
 *   refused with a typed {@link ZipError}. Zip64 records are understood (sizes still pass the limits).
 *
 * Writer — fixed timestamps and a fixed entry order, so the same input always gives the same bytes (for a
 * given zlib build). Entries can be given as data, or as raw compressed bytes copied from another archive
 * (`ZipArchive.raw()`), which lets an annotated copy of a DOCX replace some parts and keep the others
 * byte-for-byte.
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

export type ZipErrorCode =
  | 'NOT_ZIP'
  | 'TRUNCATED'
  | 'CORRUPT'
  | 'UNSUPPORTED_METHOD'
  | 'ENCRYPTED'
  | 'TOO_LARGE'
  | 'TOO_MANY_ENTRIES'
  | 'NOT_FOUND';

export class ZipError extends Error {
  readonly code: ZipErrorCode;
  constructor(code: ZipErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ZipError';
    this.code = code;
  }
}

export interface ZipLimits {
  /** Most entries the central directory may list (default 5,000). */
  maxEntries: number;
  /** Most bytes one entry may inflate to (default 64 MiB). */
  maxEntryBytes: number;
  /** Most bytes all reads through one archive may inflate to, together (default 128 MiB). */
  maxTotalBytes: number;
}

export const DEFAULT_ZIP_LIMITS: Readonly<ZipLimits> = Object.freeze({
  maxEntries: 5_000,
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 128 * 1024 * 1024,
});

export const ZIP_STORED = 0;
export const ZIP_DEFLATED = 8;

export interface ZipEntry {
  /** Entry name as stored (forward slashes in well-formed archives). */
  name: string;
  /** Position in the central directory. */
  index: number;
  method: number;
  /** General-purpose flags (bit 0: encrypted, bit 3: data descriptor, bit 11: UTF-8 name). */
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /** MS-DOS time and date fields as stored. */
  dosTime: number;
  dosDate: number;
  isDirectory: boolean;
}

/** An entry's compressed bytes with what a writer needs to copy it unchanged. */
export interface RawZipEntry {
  name: string;
  method: number;
  crc32: number;
  uncompressedSize: number;
  /** The entry's data exactly as stored (compressed for method 8). */
  compressed: Uint8Array;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;

function u16(b: Uint8Array, o: number): number {
  return (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8);
}
function u32(b: Uint8Array, o: number): number {
  return ((b[o] ?? 0) | ((b[o + 1] ?? 0) << 8) | ((b[o + 2] ?? 0) << 16) | ((b[o + 3] ?? 0) << 24)) >>> 0;
}
/** Little-endian 64-bit value; beyond 2^53 it is refused by the caller's size checks anyway. */
function u64(b: Uint8Array, o: number): number {
  return u32(b, o) + u32(b, o + 4) * 0x1_0000_0000;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
const latin1 = new TextDecoder('latin1');

function findEocd(bytes: Uint8Array): number {
  const min = Math.max(0, bytes.length - EOCD_SIZE - MAX_COMMENT);
  for (let i = bytes.length - EOCD_SIZE; i >= min; i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 0x05 && bytes[i + 3] === 0x06) {
      // The comment length must reach (at most) the end of the file; a stray signature inside a comment
      // or data usually does not satisfy this.
      const commentLength = u16(bytes, i + 20);
      if (i + EOCD_SIZE + commentLength <= bytes.length) return i;
    }
  }
  return -1;
}

function looksLikeZipStart(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && u32(bytes, 0) === SIG_LOCAL;
}

/** A zip archive opened for reading. Nothing is inflated until an entry is read. */
export class ZipArchive {
  readonly entries: readonly ZipEntry[];
  readonly limits: Readonly<ZipLimits>;
  private readonly bytes: Uint8Array;
  private readonly byName = new Map<string, ZipEntry>();
  private readonly byLowerName = new Map<string, ZipEntry>();
  private inflated = 0;

  private constructor(bytes: Uint8Array, entries: ZipEntry[], limits: ZipLimits) {
    this.bytes = bytes;
    this.entries = entries;
    this.limits = limits;
    for (const entry of entries) {
      this.byName.set(entry.name, entry);
      const lower = entry.name.toLowerCase();
      if (!this.byLowerName.has(lower)) this.byLowerName.set(lower, entry);
    }
  }

  /** Parse the central directory of `bytes`. Throws {@link ZipError}. */
  static open(bytes: Uint8Array, limits: Partial<ZipLimits> = {}): ZipArchive {
    const effective: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...stripUndefined(limits) };
    const eocd = findEocd(bytes);
    if (eocd < 0) {
      if (looksLikeZipStart(bytes)) {
        throw new ZipError('TRUNCATED', 'the zip archive is truncated (its central directory is missing)');
      }
      throw new ZipError('NOT_ZIP', 'not a zip archive');
    }
    const diskNumber = u16(bytes, eocd + 4);
    const cdDisk = u16(bytes, eocd + 6);
    let count = u16(bytes, eocd + 10);
    let cdSize = u32(bytes, eocd + 12);
    let cdOffset = u32(bytes, eocd + 16);

    // Zip64: the locator sits right before the EOCD record.
    const locator = eocd - 20;
    if (locator >= 0 && u32(bytes, locator) === SIG_ZIP64_LOCATOR) {
      const z64 = u64(bytes, locator + 8);
      if (!Number.isSafeInteger(z64) || z64 + 56 > bytes.length || u32(bytes, z64) !== SIG_ZIP64_EOCD) {
        throw new ZipError('CORRUPT', 'the zip64 end-of-central-directory record is missing or damaged');
      }
      count = u64(bytes, z64 + 32);
      cdSize = u64(bytes, z64 + 40);
      cdOffset = u64(bytes, z64 + 48);
    } else if (diskNumber !== 0 || cdDisk !== 0) {
      throw new ZipError('CORRUPT', 'multi-volume (split) zip archives are not supported');
    }

    if (count > effective.maxEntries) {
      throw new ZipError(
        'TOO_MANY_ENTRIES',
        `the archive lists ${count} entries (limit ${effective.maxEntries})`,
      );
    }
    if (
      !Number.isSafeInteger(cdOffset) ||
      !Number.isSafeInteger(cdSize) ||
      cdOffset + cdSize > bytes.length
    ) {
      throw new ZipError(
        'TRUNCATED',
        'the zip central directory lies beyond the end of the file (truncated?)',
      );
    }

    const entries: ZipEntry[] = [];
    const seen = new Set<string>();
    let p = cdOffset;
    const end = cdOffset + cdSize;
    for (let index = 0; index < count; index++) {
      if (p + 46 > end || u32(bytes, p) !== SIG_CENTRAL) {
        throw new ZipError('CORRUPT', `central directory entry ${index + 1} of ${count} is damaged`);
      }
      const flags = u16(bytes, p + 8);
      const method = u16(bytes, p + 10);
      const dosTime = u16(bytes, p + 12);
      const dosDate = u16(bytes, p + 14);
      const crc = u32(bytes, p + 16);
      let compressedSize = u32(bytes, p + 20);
      let uncompressedSize = u32(bytes, p + 24);
      const nameLength = u16(bytes, p + 28);
      const extraLength = u16(bytes, p + 30);
      const commentLength = u16(bytes, p + 32);
      let localHeaderOffset = u32(bytes, p + 42);
      const next = p + 46 + nameLength + extraLength + commentLength;
      if (next > end) throw new ZipError('CORRUPT', `central directory entry ${index + 1} runs past its end`);
      const nameBytes = bytes.subarray(p + 46, p + 46 + nameLength);
      const name = (flags & 0x800 ? utf8 : latin1).decode(nameBytes);

      // Zip64 extended information: present fields replace the 0xFFFFFFFF placeholders, in order.
      if (
        uncompressedSize === 0xffffffff ||
        compressedSize === 0xffffffff ||
        localHeaderOffset === 0xffffffff
      ) {
        let e = p + 46 + nameLength;
        const extraEnd = e + extraLength;
        let found = false;
        while (e + 4 <= extraEnd) {
          const id = u16(bytes, e);
          const size = u16(bytes, e + 2);
          if (id === 0x0001) {
            let q = e + 4;
            const qEnd = q + size;
            if (uncompressedSize === 0xffffffff && q + 8 <= qEnd) {
              uncompressedSize = u64(bytes, q);
              q += 8;
            }
            if (compressedSize === 0xffffffff && q + 8 <= qEnd) {
              compressedSize = u64(bytes, q);
              q += 8;
            }
            if (localHeaderOffset === 0xffffffff && q + 8 <= qEnd) {
              localHeaderOffset = u64(bytes, q);
              q += 8;
            }
            found = true;
            break;
          }
          e += 4 + size;
        }
        if (!found) throw new ZipError('CORRUPT', `entry "${name}" lacks its zip64 size record`);
      }

      if (seen.has(name)) throw new ZipError('CORRUPT', `the archive holds two entries named "${name}"`);
      seen.add(name);
      entries.push({
        name,
        index,
        method,
        flags,
        crc32: crc,
        compressedSize,
        uncompressedSize,
        localHeaderOffset,
        dosTime,
        dosDate,
        isDirectory: name.endsWith('/'),
      });
      p = next;
    }
    return new ZipArchive(bytes, entries, effective);
  }

  /** Bytes inflated so far through this archive (counts toward `maxTotalBytes`). */
  get inflatedBytes(): number {
    return this.inflated;
  }

  /** Exact-name lookup, then a case-insensitive one (OPC part names are case-insensitive). */
  get(name: string): ZipEntry | undefined {
    return this.byName.get(name) ?? this.byLowerName.get(name.toLowerCase());
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  private entry(nameOrEntry: string | ZipEntry): ZipEntry {
    if (typeof nameOrEntry !== 'string') return nameOrEntry;
    const entry = this.get(nameOrEntry);
    if (!entry) throw new ZipError('NOT_FOUND', `the archive has no entry "${nameOrEntry}"`);
    return entry;
  }

  /** Where the entry's data starts, read from its local header (name/extra lengths only). */
  private dataRange(entry: ZipEntry): { start: number; end: number } {
    const h = entry.localHeaderOffset;
    if (!Number.isSafeInteger(h) || h + 30 > this.bytes.length) {
      throw new ZipError(
        'TRUNCATED',
        `the data of "${entry.name}" lies beyond the end of the file (truncated?)`,
      );
    }
    if (u32(this.bytes, h) !== SIG_LOCAL)
      throw new ZipError('CORRUPT', `the local header of "${entry.name}" is damaged`);
    const start = h + 30 + u16(this.bytes, h + 26) + u16(this.bytes, h + 28);
    const end = start + entry.compressedSize;
    if (!Number.isSafeInteger(end) || end > this.bytes.length) {
      throw new ZipError(
        'TRUNCATED',
        `the data of "${entry.name}" runs past the end of the file (truncated?)`,
      );
    }
    return { start, end };
  }

  private checkReadable(entry: ZipEntry): void {
    if (entry.flags & 0x1 || entry.method === 99) {
      throw new ZipError('ENCRYPTED', `the entry "${entry.name}" is encrypted`);
    }
    if (entry.method !== ZIP_STORED && entry.method !== ZIP_DEFLATED) {
      throw new ZipError(
        'UNSUPPORTED_METHOD',
        `the entry "${entry.name}" uses compression method ${entry.method}`,
      );
    }
  }

  /**
   * Inflate one entry. `maxBytes` may lower (never raise) the per-entry limit. The declared size is checked
   * before inflating, and the limit is enforced while inflating.
   */
  read(nameOrEntry: string | ZipEntry, options: { maxBytes?: number } = {}): Uint8Array {
    const entry = this.entry(nameOrEntry);
    this.checkReadable(entry);
    const remaining = this.limits.maxTotalBytes - this.inflated;
    const limit = Math.max(
      0,
      Math.min(this.limits.maxEntryBytes, options.maxBytes ?? Number.POSITIVE_INFINITY, remaining),
    );
    if (entry.uncompressedSize > limit) {
      throw new ZipError(
        'TOO_LARGE',
        `the entry "${entry.name}" would inflate to ${entry.uncompressedSize} bytes (limit ${limit})`,
      );
    }
    const { start, end } = this.dataRange(entry);
    const stored = this.bytes.subarray(start, end);
    let data: Uint8Array;
    if (entry.method === ZIP_STORED) {
      if (entry.compressedSize !== entry.uncompressedSize) {
        throw new ZipError('CORRUPT', `the stored entry "${entry.name}" has inconsistent sizes`);
      }
      data = stored;
    } else {
      try {
        data = inflateRawSync(stored, { maxOutputLength: Math.max(1, limit) });
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'ERR_BUFFER_TOO_LARGE') {
          throw new ZipError(
            'TOO_LARGE',
            `the entry "${entry.name}" inflates past the limit of ${limit} bytes`,
            {
              cause: error,
            },
          );
        }
        if (code === 'Z_BUF_ERROR') {
          throw new ZipError('TRUNCATED', `the compressed data of "${entry.name}" ends early`, {
            cause: error,
          });
        }
        throw new ZipError('CORRUPT', `the compressed data of "${entry.name}" is damaged`, { cause: error });
      }
      if (data.length !== entry.uncompressedSize) {
        throw new ZipError(
          'CORRUPT',
          `the entry "${entry.name}" inflates to ${data.length} bytes, not the declared ${entry.uncompressedSize}`,
        );
      }
    }
    if (crc32(data) !== entry.crc32)
      throw new ZipError('CORRUPT', `the entry "${entry.name}" fails its CRC check`);
    this.inflated += data.length;
    return data;
  }

  /** Inflate an entry and decode it as UTF-8 (a UTF-8 BOM is dropped). */
  readText(nameOrEntry: string | ZipEntry, options: { maxBytes?: number } = {}): string {
    return utf8.decode(this.read(nameOrEntry, options)).replace(/^\uFEFF/, '');
  }

  /** The entry's stored bytes, not inflated, for copying into another archive unchanged. */
  raw(nameOrEntry: string | ZipEntry): RawZipEntry {
    const entry = this.entry(nameOrEntry);
    const { start, end } = this.dataRange(entry);
    return {
      name: entry.name,
      method: entry.method,
      crc32: entry.crc32,
      uncompressedSize: entry.uncompressedSize,
      compressed: this.bytes.subarray(start, end),
    };
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, v] of Object.entries(value))
    if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  return out;
}

/** Shorthand for {@link ZipArchive.open}. */
export function openZip(bytes: Uint8Array, limits: Partial<ZipLimits> = {}): ZipArchive {
  return ZipArchive.open(bytes, limits);
}

// ─── writer ────────────────────────────────────────────────────────────────────

/** An entry to write: data (compressed by default), or raw bytes copied from another archive. */
export type ZipWriteEntry =
  | { name: string; data: Uint8Array | string; compress?: boolean }
  | { name?: string; raw: RawZipEntry };

/** 1980-01-01 00:00:00, the earliest MS-DOS timestamp: fixed so that output bytes are reproducible. */
const FIXED_DOS_TIME = 0;
const FIXED_DOS_DATE = (0 << 9) | (1 << 5) | 1;

const encoder = new TextEncoder();

/**
 * Build a zip archive. Entries are written in the order given, with fixed timestamps and no extra fields,
 * so equal input gives equal bytes. Throws on duplicate names or archives that would need zip64.
 */
export function writeZip(entries: readonly ZipWriteEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  const names = new Set<string>();
  let offset = 0;

  for (const input of entries) {
    let name: string;
    let method: number;
    let crc: number;
    let size: number;
    let body: Uint8Array;
    if ('raw' in input) {
      name = input.name ?? input.raw.name;
      method = input.raw.method;
      crc = input.raw.crc32;
      size = input.raw.uncompressedSize;
      body = input.raw.compressed;
    } else {
      name = input.name;
      const data = typeof input.data === 'string' ? encoder.encode(input.data) : input.data;
      crc = crc32(data);
      size = data.length;
      if (input.compress === false) {
        method = ZIP_STORED;
        body = data;
      } else {
        method = ZIP_DEFLATED;
        body = deflateRawSync(data, { level: 9 });
      }
    }
    if (names.has(name)) throw new Error(`writeZip: duplicate entry name "${name}"`);
    names.add(name);
    const nameBytes = encoder.encode(name);
    const flags = /^[\x20-\x7e]*$/.test(name) ? 0 : 0x800;
    if (size > 0xfffffffe || body.length > 0xfffffffe || offset > 0xfffffffe) {
      throw new Error('writeZip: archive too large (zip64 is not written)');
    }

    const local = new Uint8Array(30 + nameBytes.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, SIG_LOCAL, true);
    lv.setUint16(4, 20, true); // version needed: 2.0
    lv.setUint16(6, flags, true);
    lv.setUint16(8, method, true);
    lv.setUint16(10, FIXED_DOS_TIME, true);
    lv.setUint16(12, FIXED_DOS_DATE, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, size, true);
    lv.setUint16(26, nameBytes.length, true);
    lv.setUint16(28, 0, true);
    local.set(nameBytes, 30);

    const cd = new Uint8Array(46 + nameBytes.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, SIG_CENTRAL, true);
    cv.setUint16(4, 20, true); // version made by: 2.0, MS-DOS attributes
    cv.setUint16(6, 20, true);
    cv.setUint16(8, flags, true);
    cv.setUint16(10, method, true);
    cv.setUint16(12, FIXED_DOS_TIME, true);
    cv.setUint16(14, FIXED_DOS_DATE, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, body.length, true);
    cv.setUint32(24, size, true);
    cv.setUint16(28, nameBytes.length, true);
    cv.setUint32(42, offset, true);
    cd.set(nameBytes, 46);

    chunks.push(local, body);
    central.push(cd);
    offset += local.length + body.length;
  }
  if (entries.length > 0xfffe) throw new Error('writeZip: too many entries (zip64 is not written)');

  const cdSize = central.reduce((sum, c) => sum + c.length, 0);
  const eocd = new Uint8Array(EOCD_SIZE);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, SIG_EOCD, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);

  const out = new Uint8Array(offset + cdSize + EOCD_SIZE);
  let p = 0;
  for (const chunk of [...chunks, ...central, eocd]) {
    out.set(chunk, p);
    p += chunk.length;
  }
  return out;
}
