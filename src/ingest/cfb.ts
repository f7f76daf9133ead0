/**
 * Just enough of the Compound File Binary format (OLE2, MS-CFB) to tell what an OLE file is: a
 * password-protected Office document (streams "EncryptionInfo" + "EncryptedPackage"), a legacy Word 97–2003
 * .doc ("WordDocument"), or something else. Bounded: every loop has a cap and a cycle check.
 */

export const CFB_MAGIC = Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1);

export function isCompoundFile(bytes: Uint8Array): boolean {
  if (bytes.length < CFB_MAGIC.length) return false;
  for (let i = 0; i < CFB_MAGIC.length; i++) if (bytes[i] !== CFB_MAGIC[i]) return false;
  return true;
}

export type CompoundFileKind = 'encrypted-office' | 'legacy-word' | 'other';

const END_OF_CHAIN = 0xfffffffe;
const MAX_SECTORS_WALKED = 100_000;

function u16(b: Uint8Array, o: number): number {
  return (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8);
}
function u32(b: Uint8Array, o: number): number {
  return ((b[o] ?? 0) | ((b[o + 1] ?? 0) << 8) | ((b[o + 2] ?? 0) << 16) | ((b[o + 3] ?? 0) << 24)) >>> 0;
}

/** Names of the storages and streams in the directory, or null when the directory cannot be followed. */
export function compoundFileEntryNames(bytes: Uint8Array): string[] | null {
  if (!isCompoundFile(bytes) || bytes.length < 512) return null;
  const shift = u16(bytes, 0x1e);
  if (shift !== 9 && shift !== 12) return null;
  const sectorSize = 1 << shift;
  const perSector = sectorSize / 4;
  const sectorOffset = (sector: number) => (sector + 1) * sectorSize;

  // FAT sector locations: 109 in the header, the rest in the DIFAT chain.
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const s = u32(bytes, 0x4c + i * 4);
    if (s < END_OF_CHAIN) fatSectors.push(s);
  }
  let difat = u32(bytes, 0x44);
  const seenDifat = new Set<number>();
  while (difat < END_OF_CHAIN && !seenDifat.has(difat) && seenDifat.size < MAX_SECTORS_WALKED) {
    seenDifat.add(difat);
    const base = sectorOffset(difat);
    if (base + sectorSize > bytes.length) break;
    for (let i = 0; i < perSector - 1; i++) {
      const s = u32(bytes, base + i * 4);
      if (s < END_OF_CHAIN) fatSectors.push(s);
    }
    difat = u32(bytes, base + (perSector - 1) * 4);
  }
  const nextSector = (sector: number): number => {
    const fat = fatSectors[Math.floor(sector / perSector)];
    if (fat === undefined) return END_OF_CHAIN;
    const at = sectorOffset(fat) + (sector % perSector) * 4;
    return at + 4 <= bytes.length ? u32(bytes, at) : END_OF_CHAIN;
  };

  const names: string[] = [];
  const seen = new Set<number>();
  let sector = u32(bytes, 0x30);
  while (sector < END_OF_CHAIN && !seen.has(sector) && seen.size < MAX_SECTORS_WALKED) {
    seen.add(sector);
    const base = sectorOffset(sector);
    if (base + sectorSize > bytes.length) break;
    for (let e = 0; e + 128 <= sectorSize; e += 128) {
      const entry = base + e;
      const type = bytes[entry + 0x42] ?? 0;
      const nameLength = u16(bytes, entry + 0x40);
      if (type === 0 || nameLength < 2 || nameLength > 64) continue;
      let name = '';
      const chars = Math.min(31, nameLength / 2 - 1);
      for (let k = 0; k < chars; k++) {
        const code = u16(bytes, entry + k * 2);
        if (code === 0) break;
        name += String.fromCharCode(code);
      }
      names.push(name);
    }
    sector = nextSector(sector);
  }
  return names.length > 0 ? names : null;
}

function containsUtf16(bytes: Uint8Array, text: string): boolean {
  const needle = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) needle[i * 2] = text.charCodeAt(i);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle) !== -1;
}

/** What an OLE compound file holds, from its directory (or, when that is damaged, from stream-name bytes). */
export function classifyCompoundFile(bytes: Uint8Array): CompoundFileKind {
  const names = compoundFileEntryNames(bytes);
  if (names) {
    if (names.includes('EncryptedPackage')) return 'encrypted-office';
    if (names.includes('WordDocument')) return 'legacy-word';
    return 'other';
  }
  if (containsUtf16(bytes, 'EncryptedPackage')) return 'encrypted-office';
  if (containsUtf16(bytes, 'WordDocument')) return 'legacy-word';
  return 'other';
}
