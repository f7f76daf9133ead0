import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openZip, writeZip, ZipError, type ZipErrorCode } from '../../src/util/zip.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function expectZipError(fn: () => unknown, code: ZipErrorCode): ZipError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ZipError);
    expect((error as ZipError).code).toBe(code);
    return error as ZipError;
  }
  throw new Error(`expected ZipError ${code}`);
}

/** Offsets of an entry's size fields, for crafting archives that lie. */
function patchSizes(
  zip: Uint8Array,
  index: number,
  sizes: { compressed?: number; uncompressed?: number },
): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  let eocd = out.length - 22;
  while (view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  let p = view.getUint32(eocd + 16, true);
  for (let i = 0; i < index; i++) {
    p += 46 + view.getUint16(p + 28, true) + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  const local = view.getUint32(p + 42, true);
  if (sizes.compressed !== undefined) {
    view.setUint32(p + 20, sizes.compressed, true);
    view.setUint32(local + 18, sizes.compressed, true);
  }
  if (sizes.uncompressed !== undefined) {
    view.setUint32(p + 24, sizes.uncompressed, true);
    view.setUint32(local + 22, sizes.uncompressed, true);
  }
  return out;
}

describe('writeZip / openZip', () => {
  it('round-trips stored and deflated entries, including unicode names and empty files', () => {
    const zip = writeZip([
      { name: 'a.txt', data: 'hello world' },
      { name: 'dir/b.xml', data: '<x>stored</x>', compress: false },
      { name: 'empty', data: new Uint8Array(0) },
      { name: 'naïve/ünïcode.txt', data: 'ü' },
    ]);
    const archive = openZip(zip);
    expect(archive.entries.map((e) => e.name)).toEqual(['a.txt', 'dir/b.xml', 'empty', 'naïve/ünïcode.txt']);
    expect(archive.entries.map((e) => e.method)).toEqual([8, 0, 8, 8]);
    expect(archive.readText('a.txt')).toBe('hello world');
    expect(archive.readText('dir/b.xml')).toBe('<x>stored</x>');
    expect(archive.read('empty').length).toBe(0);
    expect(archive.readText('naïve/ünïcode.txt')).toBe('ü');
    expect(archive.get('DIR/B.XML')?.name).toBe('dir/b.xml'); // OPC part names are case-insensitive
    expect(archive.inflatedBytes).toBe(11 + 13 + 0 + 2);
  });

  it('writes the same bytes for the same input (fixed timestamps)', () => {
    const entries = [
      { name: 'x.xml', data: '<a/>' },
      { name: 'y.bin', data: new Uint8Array([1, 2, 3]), compress: false },
    ];
    expect(Buffer.from(writeZip(entries)).equals(Buffer.from(writeZip(entries)))).toBe(true);
    const archive = openZip(writeZip(entries));
    expect(archive.entries.every((e) => e.dosTime === 0 && e.dosDate === 0x21)).toBe(true);
  });

  it('copies an entry byte-for-byte from another archive', () => {
    const original = writeZip([
      { name: 'keep.xml', data: '<keep>'.repeat(1000) },
      { name: 'replace.xml', data: '<old/>' },
    ]);
    const source = openZip(original);
    const copy = writeZip([{ raw: source.raw('keep.xml') }, { name: 'replace.xml', data: '<new/>' }]);
    const target = openZip(copy);
    expect(
      Buffer.from(target.raw('keep.xml').compressed).equals(Buffer.from(source.raw('keep.xml').compressed)),
    ).toBe(true);
    expect(target.readText('keep.xml')).toBe('<keep>'.repeat(1000));
    expect(target.readText('replace.xml')).toBe('<new/>');
    // renamed raw copy
    const renamed = openZip(writeZip([{ name: 'moved.xml', raw: source.raw('keep.xml') }]));
    expect(renamed.readText('moved.xml')).toBe('<keep>'.repeat(1000));
  });

  it('refuses duplicate names when writing', () => {
    expect(() =>
      writeZip([
        { name: 'a', data: '1' },
        { name: 'a', data: '2' },
      ]),
    ).toThrow(/duplicate/);
  });
});

describe('openZip on hostile or broken input', () => {
  it('says "not a zip" for garbage and "truncated" for a cut archive', () => {
    expectZipError(() => openZip(new TextEncoder().encode('just some text, not a zip at all')), 'NOT_ZIP');
    expectZipError(() => openZip(new Uint8Array(0)), 'NOT_ZIP');
    const zip = writeZip([{ name: 'a.txt', data: 'x'.repeat(5000) }]);
    expectZipError(() => openZip(zip.subarray(0, zip.length - 40)), 'TRUNCATED');
  });

  it('refuses an entry whose declared size is over the limit, before inflating', () => {
    // The data is garbage: if the reader tried to inflate it, the error would be CORRUPT, not TOO_LARGE.
    const zip = patchSizes(writeZip([{ name: 'big.xml', data: 'x'.repeat(100) }]), 0, {
      uncompressed: 3_000_000_000,
    });
    const archive = openZip(zip, { maxEntryBytes: 1024 * 1024 });
    const error = expectZipError(() => archive.read('big.xml'), 'TOO_LARGE');
    expect(error.message).toMatch(/3000000000 bytes/);
    expect(archive.inflatedBytes).toBe(0);
  });

  it('stops inflating at the limit when an entry lies about its size (zip bomb)', () => {
    const bomb = deflateRawSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(20_000);
    const honest = writeZip([
      {
        name: 'bomb.xml',
        raw: { name: 'bomb.xml', method: 8, crc32: 0, uncompressedSize: 8 * 1024 * 1024, compressed: bomb },
      },
    ]);
    // honest declared size: refused before inflating
    expectZipError(() => openZip(honest, { maxEntryBytes: 1024 * 1024 }).read('bomb.xml'), 'TOO_LARGE');
    // declares 100 bytes: inflation is cut at the limit
    const lying = patchSizes(honest, 0, { uncompressed: 100 });
    const archive = openZip(lying, { maxEntryBytes: 1024 * 1024 });
    expectZipError(() => archive.read('bomb.xml'), 'TOO_LARGE');
    expect(archive.inflatedBytes).toBe(0);
  });

  it('enforces a total budget across entries', () => {
    const zip = writeZip([
      { name: 'a', data: 'a'.repeat(600) },
      { name: 'b', data: 'b'.repeat(600) },
    ]);
    const archive = openZip(zip, { maxEntryBytes: 1000, maxTotalBytes: 1000 });
    expect(archive.read('a').length).toBe(600);
    expectZipError(() => archive.read('b'), 'TOO_LARGE');
  });

  it('refuses archives with too many entries from the directory count alone', () => {
    const entries = Array.from({ length: 10_000 }, (_, i) => ({
      name: `f${i}`,
      data: new Uint8Array(0),
      compress: false,
    }));
    const zip = writeZip(entries);
    const error = expectZipError(() => openZip(zip), 'TOO_MANY_ENTRIES');
    expect(error.message).toMatch(/10000 entries \(limit 5000\)/);
    expect(openZip(zip, { maxEntries: 20_000 }).entries.length).toBe(10_000);
  });

  it('detects encrypted entries, unsupported methods, CRC and size mismatches', () => {
    const base = writeZip([{ name: 'a.txt', data: 'secret' }]);
    const flagged = base.slice();
    const view = new DataView(flagged.buffer);
    const cd = view.getUint32(flagged.length - 22 + 16, true);
    view.setUint16(cd + 8, 1, true); // encrypted flag
    expectZipError(() => openZip(flagged).read('a.txt'), 'ENCRYPTED');

    const method = base.slice();
    new DataView(method.buffer).setUint16(cd + 10, 14, true); // LZMA
    expectZipError(() => openZip(method).read('a.txt'), 'UNSUPPORTED_METHOD');

    const crc = base.slice();
    const crcView = new DataView(crc.buffer);
    crcView.setUint32(cd + 16, crcView.getUint32(cd + 16, true) ^ 1, true);
    expectZipError(() => openZip(crc).read('a.txt'), 'CORRUPT');

    expectZipError(() => openZip(patchSizes(base, 0, { uncompressed: 5 })).read('a.txt'), 'CORRUPT');
    expectZipError(() => openZip(base).read('missing.txt'), 'NOT_FOUND');
  });

  it('refuses duplicate entry names (ambiguous archives)', () => {
    const zip = writeZip([
      { name: 'a', data: '1' },
      { name: 'b', data: '2' },
    ]);
    // rename entry "b" to "a" in the central directory
    const dup = zip.slice();
    const view = new DataView(dup.buffer);
    const cd = view.getUint32(dup.length - 22 + 16, true);
    const second = cd + 46 + view.getUint16(cd + 28, true);
    dup[second + 46] = 0x61;
    expectZipError(() => openZip(dup), 'CORRUPT');
  });

  it('reads zip64 records', () => {
    // One stored entry with its sizes and offset in a zip64 extra field, and zip64 end records.
    const name = new TextEncoder().encode('z.txt');
    const data = new TextEncoder().encode('zip64 data');
    const base = writeZip([{ name: 'z.txt', data, compress: false }]);
    const crc = new DataView(base.buffer).getUint32(14, true);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 45, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, 0xffffffff, true);
    lv.setUint32(22, 0xffffffff, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const extra = new Uint8Array(4 + 24);
    const xv = new DataView(extra.buffer);
    xv.setUint16(0, 1, true);
    xv.setUint16(2, 24, true);
    xv.setBigUint64(4, BigInt(data.length), true);
    xv.setBigUint64(12, BigInt(data.length), true);
    xv.setBigUint64(20, 0n, true);
    const central = new Uint8Array(46 + name.length + extra.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 45, true);
    cv.setUint16(6, 45, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, 0xffffffff, true);
    cv.setUint32(24, 0xffffffff, true);
    cv.setUint16(28, name.length, true);
    cv.setUint16(30, extra.length, true);
    cv.setUint32(42, 0xffffffff, true);
    central.set(name, 46);
    central.set(extra, 46 + name.length);
    const cdOffset = local.length + data.length;
    const z64 = new Uint8Array(56);
    const zv = new DataView(z64.buffer);
    zv.setUint32(0, 0x06064b50, true);
    zv.setBigUint64(4, 44n, true);
    zv.setBigUint64(24, 1n, true);
    zv.setBigUint64(32, 1n, true);
    zv.setBigUint64(40, BigInt(central.length), true);
    zv.setBigUint64(48, BigInt(cdOffset), true);
    const locator = new Uint8Array(20);
    const locv = new DataView(locator.buffer);
    locv.setUint32(0, 0x07064b50, true);
    locv.setBigUint64(8, BigInt(cdOffset + central.length), true);
    locv.setUint32(16, 1, true);
    const eocd = new Uint8Array(22);
    const ev = new DataView(eocd.buffer);
    ev.setUint32(0, 0x06054b50, true);
    ev.setUint16(8, 0xffff, true);
    ev.setUint16(10, 0xffff, true);
    ev.setUint32(12, 0xffffffff, true);
    ev.setUint32(16, 0xffffffff, true);
    const zip = Buffer.concat([local, data, central, z64, locator, eocd]);
    const archive = openZip(zip);
    expect(archive.entries[0]?.uncompressedSize).toBe(data.length);
    expect(text(archive.read('z.txt'))).toBe('zip64 data');
  });
});
