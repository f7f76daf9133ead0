/**
 * The hostile corpus: broken, malicious and odd inputs, generated at test time from the committed fixtures
 * (no committed binaries). Deterministic: the same seed writes the same bytes.
 *
 *   generateHostileCorpus(dir)      → the named cases (each with what contract-lint must report for it)
 *   generateMutants(count, seed)    → seeded byte-level mutants of fixture PDFs and DOCX files
 *
 * Run as a script to look at the corpus: `npx tsx test/hostile/generate.ts <dir> [seed]`.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deflateRawSync, deflateSync, constants as zlibConstants } from 'node:zlib';
import { prng } from '../../scripts/lib/prng.js';
import { escapeXmlText } from '../../src/util/xml.js';
import { openZip, writeZip, type ZipWriteEntry } from '../../src/util/zip.js';

export const FIXTURES = resolve(import.meta.dirname, '..', '..', 'fixtures');
export const DEFAULT_SEED = 0x8badf00d;

/** Real fixture agreements put in every batch beside the hostile file (small, quick to read). */
export const CONTROLS = {
  /** A Wisconsin management agreement with error-level findings. */
  flagged: 'msa-med-anesthesia-wi-sweep.txt',
  /** An employment agreement in Markdown. */
  clean: 'emp-physician-gastro-oh-section-symbol.md',
} as const;

/** Fixture originals that hostile variants are made from (their findings are the expected ones). */
export const ORIGINALS = {
  pdf: 'dsa-dental-catskill-ny-pct-collections.pdf',
  docx: 'dsa-dental-catskill-ny-pct-collections.docx',
  text: CONTROLS.flagged,
} as const;

/** Sources of the mutation loop: small fixtures of both binary formats. */
export const MUTATION_SOURCES = [
  'emp-physician-gastro-oh-section-symbol.pdf',
  'asa-harborview-legal-numbering.pdf',
  'apa-orthodontics-az-two-column.pdf',
  'contrib-northshore-smiles-il.docx',
  'dsa-dental-catskill-ny-pct-collections.docx',
  'dsa-brightsmile-auto-numbered.docx',
] as const;

// ─── expectations ─────────────────────────────────────────────────────────────

export type Expectation =
  /** Refused: status "error" with this code, and a message that says what to do. */
  | { status: 'error'; code: string; message: RegExp }
  /** Read: status "ok", in this format, with the same findings as the fixture original. */
  | { status: 'ok'; format: 'pdf' | 'docx' | 'text' | 'markdown'; sameFindingsAs: string };

export interface HostileCase {
  id: string;
  /** What the case is, in a few words (for the summary and failure messages). */
  about: string;
  /** The hostile file, relative to the corpus folder (a folder for `symlink-loop`). */
  file: string;
  expect: Expectation;
  /** Read together with the other readable cases in one batch (they must all come out "ok"). */
  group?: 'readable';
}

export interface HostileCorpus {
  dir: string;
  seed: number;
  cases: HostileCase[];
}

// ─── seeded randomness ────────────────────────────────────────────────────────

function int(random: () => number, lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}

// ─── bytes ──────────────────────────────────────────────────────────────────

const latin1 = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}

// ─── PDF, by hand ─────────────────────────────────────────────────────────────

/** A PDF object body: a dictionary string, or a stream (dictionary without /Length, and its data). */
type PdfObject = string | { dict: string; data: Uint8Array };

/** Objects numbered 1…n in order, a classic xref table, and a trailer (object 1 is the catalog). */
export function buildPdf(objects: readonly PdfObject[], trailerExtra = ''): Uint8Array {
  const parts: Uint8Array[] = [latin1('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')];
  let length = parts[0]?.length ?? 0;
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(length);
    const chunk =
      typeof object === 'string'
        ? latin1(`${i + 1} 0 obj\n${object}\nendobj\n`)
        : concat([
            latin1(
              `${i + 1} 0 obj\n${object.dict.replace(/>>\s*$/, '')} /Length ${object.data.length} >>\nstream\n`,
            ),
            object.data,
            latin1('\nendstream\nendobj\n'),
          ]);
    parts.push(chunk);
    length += chunk.length;
  });
  const xref = length;
  let tail = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) tail += `${String(offset).padStart(10, '0')} 00000 n \n`;
  tail += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${xref}\n%%EOF\n`;
  parts.push(latin1(tail));
  return concat(parts);
}

const HELVETICA = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';

function pdfString(text: string): string {
  return `(${text.replace(/[\\()]/g, '\\$&')})`;
}

/** `pages` pages sharing one (empty) content stream: thousands of pages for a few bytes each. */
export function manyPagesPdf(pages: number): Uint8Array {
  const first = 4; // 1 catalog, 2 pages, 3 the shared content stream
  const kids = Array.from({ length: pages }, (_, i) => `${first + i} 0 R`).join(' ');
  const objects: PdfObject[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${pages} /MediaBox [0 0 612 792] >>`,
    { dict: '<< >>', data: latin1('') },
  ];
  for (let i = 0; i < pages; i++) objects.push('<< /Type /Page /Parent 2 0 R /Contents 3 0 R >>');
  return buildPdf(objects);
}

/**
 * One page of 14,400 × 14,400 units (200 inches, the largest the PDF spec allows) at UserUnit 75 — a
 * page 15,000 feet wide — carrying an agreement's text in lines spread across it.
 */
export function hugePagePdf(text: string): Uint8Array {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const size = 14_400;
  const step = (size - 200) / Math.max(lines.length, 1);
  const ops = lines.map(
    (line, i) =>
      `BT /F1 9 Tf 100 ${(size - 100 - i * step).toFixed(1)} Td ${pdfString(toWinAnsi(line))} Tj ET`,
  );
  return buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${size} ${size}] /UserUnit 75 /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>`,
    { dict: '<< /Filter /FlateDecode >>', data: new Uint8Array(deflateSync(ops.join('\n'))) },
    HELVETICA,
  ]);
}

/** Text as WinAnsi bytes (as a latin1 string), for a standard-14 font. */
function toWinAnsi(text: string): string {
  const map: Record<string, string> = {
    '“': '\x93',
    '”': '\x94',
    '’': '\x92',
    '‘': '\x91',
    '–': '\x96',
    '—': '\x97',
  };
  return [...text].map((c) => map[c] ?? (c.charCodeAt(0) < 256 ? c : '?')).join('');
}

/** A scan: pages that carry only a greyscale picture of a page, no text layer. */
export function scannedPdf(pages: number): Uint8Array {
  const width = 85;
  const height = 110;
  const pixels = new Uint8Array(width * height);
  // Light paper with dark "lines of text".
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      pixels[y * width + x] = y % 6 < 2 && x > 8 && x < width - 8 && y > 10 && y < height - 10 ? 40 : 235;
  const image: PdfObject = {
    dict: `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode >>`,
    data: new Uint8Array(deflateSync(pixels)),
  };
  const content: PdfObject = { dict: '<< >>', data: latin1('q 612 0 0 792 0 0 cm /Im1 Do Q') };
  const kids = Array.from({ length: pages }, (_, i) => `${5 + i} 0 R`).join(' ');
  const objects: PdfObject[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${pages} /MediaBox [0 0 612 792] >>`,
    image,
    content,
  ];
  for (let i = 0; i < pages; i++)
    objects.push(
      '<< /Type /Page /Parent 2 0 R /Resources << /XObject << /Im1 3 0 R >> >> /Contents 4 0 R >>',
    );
  return buildPdf(objects);
}

/** A PDF whose trailer names a standard-security /Encrypt dictionary: it cannot be opened without a password. */
export function encryptedPdf(): Uint8Array {
  const hex32 = '3A7C1E9B52D4086FA1C3E5F7092B4D6F8EA0C2E4F6183A5C7E9FB1D3F5071929';
  return buildPdf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R >>',
      `<< /Filter /Standard /V 2 /R 3 /Length 128 /O <${hex32}> /U <${hex32}> /P -3904 >>`,
      { dict: '<< >>', data: latin1('BT /F1 12 Tf 72 720 Td (encrypted) Tj ET') },
    ],
    '/Encrypt 4 0 R /ID [<0F1E2D3C4B5A69788796A5B4C3D2E1F0> <0F1E2D3C4B5A69788796A5B4C3D2E1F0>] ',
  );
}

/**
 * A real fixture PDF with a broken cross-reference table: every offset in it, and `startxref`, point to
 * the wrong place (a reader must rebuild the table by scanning the objects, or refuse the file).
 */
export function brokenXrefPdf(original: Uint8Array): Uint8Array {
  const text = Buffer.from(original).toString('latin1');
  let out = text.replace(
    /^(\d{10}) (\d{5}) n\b/gm,
    (_, offset: string, gen: string) =>
      `${String((Number(offset) * 7 + 13) % 99_999_999).padStart(10, '0')} ${gen} n`,
  );
  out = out.replace(
    /startxref\s+(\d+)/g,
    (_, n: string) => `startxref\n${String(Number(n) + 4321).padStart(n.length, '0')}`,
  );
  if (out === text) throw new Error('brokenXrefPdf: the original has no xref to break');
  return latin1(out);
}

/**
 * A real fixture PDF whose first page dictionary opens a literal string "(" that the second page's closes
 * ")": the page tree no longer parses. (pdf.js then leaves a rejected page-tree prefetch without a handler;
 * in Node that used to end the process after the report was printed, with exit code 1.)
 */
export function unbalancedStringPdf(original: Uint8Array): Uint8Array {
  const text = Buffer.from(original).toString('latin1');
  const pages = [...text.matchAll(/\d+ 0 obj\s*<<\s*\/Type \/Page\b/g)].slice(0, 2);
  if (pages.length < 2) throw new Error('unbalancedStringPdf: the original has fewer than two pages');
  const chars = text.split('');
  pages.forEach((page, i) => {
    const font = text.indexOf('/Font', page.index);
    const name = text.indexOf('/', font + 5);
    if (font < 0 || name < 0) throw new Error('unbalancedStringPdf: a page without a /Font resource');
    chars[name + 4] = i === 0 ? '(' : ')';
  });
  return latin1(chars.join(''));
}

// ─── DOCX and zip ─────────────────────────────────────────────────────────────

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const ROOT_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';
const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/**
 * `total` bytes of spaces as a raw deflate stream of about total/1000 bytes: one flushed block of 1 MiB of
 * spaces (back-references only within itself), repeated, then an empty final block.
 */
export function deflatedSpaces(total: number): Uint8Array {
  const chunkSize = 1024 * 1024;
  if (total % chunkSize !== 0) throw new Error('deflatedSpaces: total must be a whole number of MiB');
  const block = new Uint8Array(
    deflateRawSync(Buffer.alloc(chunkSize, 0x20), { level: 9, finishFlush: zlibConstants.Z_FULL_FLUSH }),
  );
  const finalEmptyBlock = Uint8Array.of(0x03, 0x00);
  return concat([...Array.from({ length: total / chunkSize }, () => block), finalEmptyBlock]);
}

/** A DOCX whose word/document.xml is a zip bomb: `actual` bytes inflated, `declared` in the zip headers. */
export function zipBombDocx(actual: number, declared: number): Uint8Array {
  return writeZip([
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: '_rels/.rels', data: ROOT_RELS },
    {
      name: 'word/document.xml',
      raw: {
        name: 'word/document.xml',
        method: 8,
        crc32: 0,
        uncompressedSize: declared,
        compressed: deflatedSpaces(actual),
      },
    },
  ]);
}

/** A minimal, valid DOCX whose body is `bodyXml`. */
export function minimalDocx(bodyXml: string, extra: ZipWriteEntry[] = []): Uint8Array {
  return writeZip([
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: '_rels/.rels', data: ROOT_RELS },
    {
      name: 'word/document.xml',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W_NS}"><w:body>${bodyXml}</w:body></w:document>`,
    },
    ...extra,
  ]);
}

/** A DOCX package listing `entries` parts (a valid document plus thousands of empty media parts). */
export function manyEntriesDocx(entries: number): Uint8Array {
  const media: ZipWriteEntry[] = Array.from({ length: entries - 3 }, (_, i) => ({
    name: `word/media/image${i + 1}.png`,
    data: new Uint8Array(0),
    compress: false,
  }));
  return minimalDocx('<w:p><w:r><w:t>Thousands of parts.</w:t></w:r></w:p>', media);
}

/**
 * A fixture DOCX with `depth` levels of nested content controls (`w:sdt`/`w:sdtContent`) inserted before
 * its first paragraph, around one more paragraph. A recursive XML reader overflows its stack on this.
 */
export function deeplyNestedDocx(original: Uint8Array, depth: number): Uint8Array {
  const zip = openZip(original);
  const entries: ZipWriteEntry[] = zip.entries.map((entry) => {
    if (entry.name !== 'word/document.xml') return { raw: zip.raw(entry) };
    const xml = zip.readText(entry);
    const at = xml.indexOf('<w:body>') + '<w:body>'.length;
    if (at < '<w:body>'.length) throw new Error('deeplyNestedDocx: no <w:body>');
    const nested = `${'<w:sdt><w:sdtContent>'.repeat(depth)}<w:p><w:r><w:t>Execution copy.</w:t></w:r></w:p>${'</w:sdtContent></w:sdt>'.repeat(depth)}`;
    return { name: entry.name, data: xml.slice(0, at) + nested + xml.slice(at) };
  });
  return writeZip(entries);
}

/**
 * An OLE compound file (MS-CFB v3, 512-byte sectors) holding the given streams, laid out as Office lays out a
 * password-protected document: "EncryptionInfo" and "EncryptedPackage" (ECMA-376 agile encryption), or a
 * legacy Word 97–2003 document ("WordDocument").
 */
export function compoundFile(streams: Array<{ name: string; data: Uint8Array }>): Uint8Array {
  const SECTOR = 512;
  const FREE = 0xffffffff;
  const END = 0xfffffffe;
  const FAT_SECT = 0xfffffffd;
  // Streams under 4096 bytes would live in the mini stream; pad them to 4096 so that they use the FAT.
  const padded = streams.map((s) => {
    const size = Math.max(s.data.length, 4096);
    const data = new Uint8Array(Math.ceil(size / SECTOR) * SECTOR);
    data.set(s.data);
    return { name: s.name, size, data };
  });
  const dataSectors = padded.reduce((n, s) => n + s.data.length / SECTOR, 0);
  const dirEntries = padded.length + 1;
  const dirSectors = Math.ceil((dirEntries * 128) / SECTOR);
  const fatSectors = 1;
  const total = fatSectors + dirSectors + dataSectors;
  if (total > SECTOR / 4) throw new Error('compoundFile: too large for one FAT sector');

  const out = new Uint8Array(SECTOR * (1 + total));
  const v = new DataView(out.buffer);
  out.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0);
  v.setUint16(0x18, 0x3e, true); // minor version
  v.setUint16(0x1a, 3, true); // major version 3
  v.setUint16(0x1c, 0xfffe, true); // little-endian
  v.setUint16(0x1e, 9, true); // 512-byte sectors
  v.setUint16(0x20, 6, true); // 64-byte mini sectors
  v.setUint32(0x2c, fatSectors, true);
  v.setUint32(0x30, fatSectors, true); // the directory starts after the FAT
  v.setUint32(0x38, 4096, true); // mini stream cutoff
  v.setUint32(0x3c, END, true); // no mini FAT
  v.setUint32(0x44, END, true); // no DIFAT sectors
  for (let i = 0; i < 109; i++) v.setUint32(0x4c + i * 4, i === 0 ? 0 : FREE, true);

  const sectorAt = (n: number) => SECTOR * (n + 1);
  const fat = (n: number, value: number) => v.setUint32(sectorAt(0) + n * 4, value, true);
  for (let i = 0; i < SECTOR / 4; i++) fat(i, FREE);
  fat(0, FAT_SECT);
  for (let i = 0; i < dirSectors; i++) fat(fatSectors + i, i === dirSectors - 1 ? END : fatSectors + i + 1);

  let next = fatSectors + dirSectors;
  const starts: number[] = [];
  for (const s of padded) {
    const count = s.data.length / SECTOR;
    starts.push(next);
    for (let i = 0; i < count; i++) fat(next + i, i === count - 1 ? END : next + i + 1);
    out.set(s.data, sectorAt(next));
    next += count;
  }

  const entry = (index: number, name: string, type: number, start: number, size: number) => {
    const e = sectorAt(fatSectors) + index * 128;
    for (let k = 0; k < name.length; k++) v.setUint16(e + k * 2, name.charCodeAt(k), true);
    v.setUint16(e + 0x40, (name.length + 1) * 2, true);
    out[e + 0x42] = type; // 5 root, 2 stream
    out[e + 0x43] = 1; // black
    v.setUint32(e + 0x44, FREE, true); // left sibling
    v.setUint32(e + 0x48, FREE, true); // right sibling
    v.setUint32(e + 0x4c, FREE, true); // child
    v.setUint32(e + 0x74, start, true);
    v.setUint32(e + 0x78, size, true);
  };
  entry(0, 'Root Entry', 5, END, 0);
  // The root's children as a right-leaning chain (a valid, if unbalanced, red-black tree).
  v.setUint32(sectorAt(fatSectors) + 0x4c, padded.length > 0 ? 1 : FREE, true);
  padded.forEach((s, i) => {
    entry(i + 1, s.name, 2, starts[i] as number, s.size);
    if (i + 1 < padded.length) v.setUint32(sectorAt(fatSectors) + (i + 1) * 128 + 0x48, i + 2, true);
  });
  return out;
}

export function passwordProtectedDocx(random: () => number): Uint8Array {
  const info = latin1(
    '\x04\x00\x04\x00\x40\x00\x00\x00<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption"><keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512"/></encryption>',
  );
  const encrypted = new Uint8Array(8192).map(() => Math.floor(random() * 256));
  new DataView(encrypted.buffer).setUint32(0, 7000, true); // the package's size, then ciphertext
  return compoundFile([
    { name: 'EncryptionInfo', data: info },
    { name: 'EncryptedPackage', data: encrypted },
  ]);
}

// ─── text ───────────────────────────────────────────────────────────────────

export function windows1252(text: string): Uint8Array {
  const special: Record<string, number> = {
    '€': 0x80,
    '‚': 0x82,
    '„': 0x84,
    '…': 0x85,
    '‘': 0x91,
    '’': 0x92,
    '“': 0x93,
    '”': 0x94,
    '•': 0x95,
    '–': 0x96,
    '—': 0x97,
    '™': 0x99,
  };
  return Uint8Array.from([...text], (c) => {
    const code = special[c] ?? c.charCodeAt(0);
    if (code > 0xff) throw new Error(`windows1252: cannot encode ${JSON.stringify(c)}`);
    return code;
  });
}

export function utf16(text: string, endian: 'le' | 'be', bom: boolean): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  if (endian === 'be') le.swap16();
  const mark = endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff];
  return concat([Uint8Array.from(bom ? mark : []), new Uint8Array(le)]);
}

// ─── the corpus ─────────────────────────────────────────────────────────────

const MB = 1024 * 1024;

/**
 * Write the named hostile cases into `dir`. Limits referred to are the defaults: 2,000 PDF pages, 200 MB
 * inflated per DOCX, 5,000 zip entries.
 */
export function generateHostileCorpus(dir: string, seed = DEFAULT_SEED): HostileCorpus {
  const random = prng(seed);
  mkdirSync(dir, { recursive: true });
  const cases: HostileCase[] = [];
  const add = (c: HostileCase, bytes: Uint8Array | null) => {
    if (bytes) writeFileSync(join(dir, c.file), bytes);
    cases.push(c);
  };
  const pdf = fixture(ORIGINALS.pdf);
  const docx = fixture(ORIGINALS.docx);
  const text = Buffer.from(fixture(ORIGINALS.text)).toString('utf8');
  const err = (code: string, message: RegExp): Expectation => ({ status: 'error', code, message });

  // Empty and cut-off downloads.
  add(
    {
      id: 'pdf-zero-byte',
      about: 'a zero-byte .pdf',
      file: 'zero-byte.pdf',
      expect: err('EMPTY_FILE', /zero-byte\.pdf is empty \(0 bytes\) — check that it downloaded fully/),
    },
    new Uint8Array(0),
  );
  add(
    {
      id: 'docx-zero-byte',
      about: 'a zero-byte .docx',
      file: 'zero-byte.docx',
      expect: err('EMPTY_FILE', /zero-byte\.docx is empty \(0 bytes\)/),
    },
    new Uint8Array(0),
  );
  const pdfCut = int(random, Math.floor(pdf.length * 0.3), Math.floor(pdf.length * 0.8));
  add(
    {
      id: 'pdf-truncated',
      about: `a PDF cut off at byte ${pdfCut} of ${pdf.length}`,
      file: 'truncated.pdf',
      expect: err('PDF_CORRUPT', /truncated\.pdf is not a readable PDF .*damaged or incomplete/),
    },
    pdf.subarray(0, pdfCut),
  );
  const docxCut = int(random, Math.floor(docx.length * 0.3), Math.floor(docx.length * 0.8));
  add(
    {
      id: 'docx-truncated',
      about: `a DOCX cut off at byte ${docxCut} of ${docx.length}`,
      file: 'truncated.docx',
      expect: err(
        'DOCX_CORRUPT',
        /truncated\.docx is not a valid DOCX file \(the zip archive is truncated.*re-export it from Word/,
      ),
    },
    docx.subarray(0, docxCut),
  );

  // Zip bombs and huge packages.
  add(
    {
      id: 'docx-zip-bomb-honest',
      about: 'a DOCX whose document.xml declares 1 GiB (honest zip bomb)',
      file: 'zip-bomb-honest.docx',
      expect: err(
        'DOCX_TOO_LARGE',
        /document\.xml would inflate to 1024\.0 MB \(limit 200\.0 MB\) — refusing to inflate it \(possible zip bomb\)/,
      ),
    },
    zipBombDocx(4 * MB, 1024 * MB),
  );
  add(
    {
      id: 'docx-zip-bomb-lying',
      about: 'a DOCX whose document.xml declares 4 KB but inflates to 300 MiB (lying zip bomb)',
      file: 'zip-bomb-lying.docx',
      expect: err(
        'DOCX_TOO_LARGE',
        /document\.xml" inflates past the limit of \d+ bytes — refusing to inflate it \(possible zip bomb\)/,
      ),
    },
    zipBombDocx(300 * MB, 4096),
  );
  add(
    {
      id: 'docx-many-entries',
      about: 'a DOCX package with 6,000 entries',
      file: 'many-entries.docx',
      expect: err(
        'DOCX_TOO_LARGE',
        /the archive lists 6000 entries \(limit 5000\) — not a normal Word document/,
      ),
    },
    manyEntriesDocx(6000),
  );
  add(
    {
      id: 'docx-password',
      about: 'a password-protected DOCX (OLE compound file with EncryptedPackage)',
      file: 'password-protected.docx',
      expect: err(
        'DOCX_ENCRYPTED',
        /password-protected\.docx is password-protected — remove the password and retry/,
      ),
    },
    passwordProtectedDocx(random),
  );
  add(
    {
      id: 'docx-legacy-doc',
      about: 'a Word 97–2003 .doc saved as .docx',
      file: 'legacy.docx',
      expect: err('UNSUPPORTED_FORMAT', /legacy\.docx is a Word 97–2003 \.doc file.*save it as \.docx/),
    },
    compoundFile([
      { name: 'WordDocument', data: latin1('\xec\xa5') },
      { name: '1Table', data: new Uint8Array(16) },
    ]),
  );
  add(
    {
      id: 'docx-is-workbook',
      about: 'an Excel workbook named .docx',
      file: 'workbook.docx',
      expect: err('DOCX_CORRUPT', /workbook\.docx is not a Word document \(it is an Excel workbook\)/),
    },
    writeZip([
      { name: '[Content_Types].xml', data: CONTENT_TYPES },
      { name: 'xl/workbook.xml', data: '<workbook/>' },
    ]),
  );

  // PDFs that cannot be reviewed.
  add(
    {
      id: 'pdf-thousands-of-pages',
      about: 'a PDF with 2,500 pages',
      file: 'thousands-of-pages.pdf',
      expect: err('PDF_TOO_MANY_PAGES', /thousands-of-pages\.pdf has 2500 pages, over the 2000-page limit/),
    },
    manyPagesPdf(2500),
  );
  add(
    {
      id: 'pdf-1999-blank-pages',
      about: 'a PDF with 1,999 blank pages (under the page limit: every page is read)',
      file: 'blank-pages.pdf',
      expect: err(
        'EMPTY_FILE',
        /blank-pages\.pdf has no text on any page \(blank pages, or text drawn as outlines\)/,
      ),
    },
    manyPagesPdf(1999),
  );
  add(
    {
      id: 'pdf-unbalanced-string',
      about: "a PDF whose first page dictionary opens a string that the second page's closes",
      file: 'unbalanced-string.pdf',
      expect: err(
        'PDF_CORRUPT',
        /unbalanced-string\.pdf is not a readable PDF .*re-export or re-download it/,
      ),
    },
    unbalancedStringPdf(fixture(MUTATION_SOURCES[0])),
  );
  add(
    {
      id: 'pdf-encrypted',
      about: 'an encrypted PDF (/Encrypt in the trailer)',
      file: 'encrypted.pdf',
      expect: err('PDF_ENCRYPTED', /encrypted\.pdf is password-protected — remove the password and retry/),
    },
    encryptedPdf(),
  );
  add(
    {
      id: 'pdf-scanned',
      about: 'an image-only (scanned) PDF',
      file: 'scanned-agreement.pdf',
      expect: err(
        'PDF_NO_TEXT',
        /scanned-agreement\.pdf has no text layer \(scanned image\?\) — run OCR first/,
      ),
    },
    scannedPdf(3),
  );
  add(
    {
      id: 'pdf-is-png',
      about: 'a PNG image named .pdf',
      file: 'photo.pdf',
      expect: err('UNSUPPORTED_FORMAT', /photo\.pdf is a PNG image, not a PDF, DOCX or text agreement/),
    },
    Uint8Array.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0,
      0, 1, 8, 0, 0, 0, 0,
    ]),
  );

  // Readable after all: recovered, detected by content, or decoded.
  const readable = (c: Omit<HostileCase, 'group'>, bytes: Uint8Array) =>
    add({ ...c, group: 'readable' }, bytes);
  const okAs = (format: 'pdf' | 'docx' | 'text' | 'markdown', original: string): Expectation => ({
    status: 'ok',
    format,
    sameFindingsAs: original,
  });
  readable(
    {
      id: 'pdf-broken-xref',
      about: 'a PDF whose xref table and startxref point to the wrong offsets',
      file: 'broken-xref.pdf',
      expect: okAs('pdf', ORIGINALS.pdf),
    },
    brokenXrefPdf(pdf),
  );
  readable(
    {
      id: 'pdf-huge-page',
      about: 'a PDF with one 14,400 × 14,400-unit page at UserUnit 75',
      file: 'huge-page.pdf',
      expect: okAs('pdf', ORIGINALS.text),
    },
    hugePagePdf(text),
  );
  readable(
    {
      id: 'docx-deeply-nested',
      about: 'a DOCX with 100,000 levels of nested content controls',
      file: 'deeply-nested.docx',
      expect: okAs('docx', ORIGINALS.docx),
    },
    deeplyNestedDocx(docx, 100_000),
  );
  readable(
    {
      id: 'docx-4000-entries',
      about: 'a valid DOCX package with 4,000 entries (under the limit)',
      file: 'four-thousand-parts.docx',
      expect: okAs('docx', ORIGINALS.text),
    },
    manyEntriesDocxWithText(text, 4000),
  );
  readable(
    {
      id: 'pdf-is-text',
      about: 'a plain-text agreement named .pdf',
      file: 'really-text.pdf',
      expect: okAs('text', ORIGINALS.text),
    },
    fixture(ORIGINALS.text),
  );
  readable(
    {
      id: 'docx-is-pdf',
      about: 'a PDF named .docx',
      file: 'really-pdf.docx',
      expect: okAs('pdf', ORIGINALS.pdf),
    },
    pdf,
  );
  readable(
    {
      id: 'text-windows-1252',
      about: 'a Windows-1252 text agreement (smart quotes 0x93/0x94, § 0xA7)',
      file: 'windows-1252.txt',
      expect: okAs('text', ORIGINALS.text),
    },
    windows1252(text),
  );
  readable(
    {
      id: 'text-utf16le-bom',
      about: 'a UTF-16LE text agreement with a BOM',
      file: 'utf-16le.txt',
      expect: okAs('text', ORIGINALS.text),
    },
    utf16(text, 'le', true),
  );
  readable(
    {
      id: 'text-utf16be-bom',
      about: 'a UTF-16BE text agreement with a BOM',
      file: 'utf-16be.txt',
      expect: okAs('text', ORIGINALS.text),
    },
    utf16(text, 'be', true),
  );
  readable(
    {
      id: 'text-utf16le-no-bom',
      about: 'a UTF-16LE text agreement without a BOM',
      file: 'utf-16le-no-bom.txt',
      expect: okAs('text', ORIGINALS.text),
    },
    utf16(text, 'le', false),
  );
  readable(
    {
      id: 'name-spaces',
      about: 'a file name with spaces and brackets',
      file: 'deal memo (final) v2.txt',
      expect: okAs('text', ORIGINALS.text),
    },
    fixture(ORIGINALS.text),
  );
  readable(
    {
      id: 'name-unicode',
      about: 'a file name in several scripts',
      file: 'Übereinkunft – café 協議 договор.txt',
      expect: okAs('text', ORIGINALS.text),
    },
    fixture(ORIGINALS.text),
  );
  readable(
    {
      id: 'name-leading-dash',
      about: 'a file name with a leading dash that looks like an option',
      file: '--format=html -rf.txt',
      expect: okAs('text', ORIGINALS.text),
    },
    fixture(ORIGINALS.text),
  );

  // Unreadable permissions (the test chmods it; as root, reads are not denied).
  add(
    {
      id: 'unreadable',
      about: 'a file with mode 000',
      file: 'unreadable.txt',
      expect: err(
        'EACCES',
        /unreadable\.txt cannot be opened \(permission denied\) — check the file's permissions/,
      ),
    },
    fixture(ORIGINALS.text),
  );

  // A folder with symlink loops: a link to itself, a link to its parent, and two links to each other.
  const loop = join(dir, 'symlink-loop');
  mkdirSync(join(loop, 'inner'), { recursive: true });
  writeFileSync(join(loop, 'inner', 'agreement.txt'), fixture(ORIGINALS.text));
  symlinkSync('.', join(loop, 'self'));
  symlinkSync('..', join(loop, 'inner', 'up'));
  symlinkSync('b.txt', join(loop, 'a.txt'));
  symlinkSync('a.txt', join(loop, 'b.txt'));
  add(
    {
      id: 'symlink-loop',
      about: 'a folder with symlink loops (self, parent, a→b→a)',
      file: 'symlink-loop',
      expect: okAs('text', ORIGINALS.text),
    },
    null,
  );

  return { dir, seed, cases };
}

/** A valid DOCX carrying an agreement's text, padded with empty media parts to `entries` entries. */
function manyEntriesDocxWithText(text: string, entries: number): Uint8Array {
  const body = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => `<w:p><w:r><w:t xml:space="preserve">${escapeXmlText(line)}</w:t></w:r></w:p>`)
    .join('');
  const media: ZipWriteEntry[] = Array.from({ length: entries - 3 }, (_, i) => ({
    name: `word/media/image${i + 1}.png`,
    data: new Uint8Array(0),
    compress: false,
  }));
  return minimalDocx(body, media);
}

// ─── mutants ────────────────────────────────────────────────────────────────

export interface Mutant {
  /** e.g. "m042-flip-dsa-dental-catskill-ny-pct-collections.pdf" (extension kept, so detection is by content). */
  name: string;
  source: string;
  operation: string;
  bytes: Uint8Array;
}

type Mutation = (
  bytes: Uint8Array,
  random: () => number,
  source: string,
) => { bytes: Uint8Array; what: string };

const MUTATIONS: Record<string, Mutation> = {
  truncate: (b, r) => {
    const at = int(r, 1, b.length - 1);
    return { bytes: b.slice(0, at), what: `truncated at ${at}` };
  },
  flip: (b, r) => {
    const out = b.slice();
    const n = int(r, 1, 64);
    for (let i = 0; i < n; i++) {
      const at = int(r, 0, out.length - 1);
      out[at] = (out[at] ?? 0) ^ (1 << int(r, 0, 7));
    }
    return { bytes: out, what: `${n} bit flips` };
  },
  randomBytes: (b, r) => {
    const out = b.slice();
    const n = int(r, 1, 32);
    for (let i = 0; i < n; i++) out[int(r, 0, out.length - 1)] = int(r, 0, 255);
    return { bytes: out, what: `${n} random bytes` };
  },
  /** Damage near the end, where the PDF xref/trailer and the zip central directory live. */
  tail: (b, r) => {
    const out = b.slice();
    const n = int(r, 1, 24);
    const from = Math.max(0, out.length - int(r, 16, 2048));
    for (let i = 0; i < n; i++) out[int(r, from, out.length - 1)] = int(r, 0, 255);
    return { bytes: out, what: `${n} bytes in the last ${out.length - from}` };
  },
  zeroRange: (b, r) => {
    const out = b.slice();
    const from = int(r, 0, out.length - 1);
    const to = Math.min(out.length, from + int(r, 1, 4096));
    out.fill(0, from, to);
    return { bytes: out, what: `zeros at ${from}..${to}` };
  },
  deleteRange: (b, r) => {
    const from = int(r, 0, b.length - 2);
    const to = Math.min(b.length, from + int(r, 1, 2048));
    return { bytes: concat([b.subarray(0, from), b.subarray(to)]), what: `deleted ${from}..${to}` };
  },
  duplicateRange: (b, r) => {
    const from = int(r, 0, b.length - 2);
    const to = Math.min(b.length, from + int(r, 1, 4096));
    return {
      bytes: concat([b.subarray(0, to), b.subarray(from, to), b.subarray(to)]),
      what: `duplicated ${from}..${to}`,
    };
  },
  /** Numbers in the structure made huge or negative (PDF counts, lengths, offsets; zip sizes). */
  bigNumbers: (b, r) => {
    const text = Buffer.from(b).toString('latin1');
    const spots: number[] = [];
    for (const m of text.matchAll(/\/(?:Count|Length|Size|W|N|First|Prev) (\d+)/g))
      spots.push((m.index ?? 0) + m[0].length - (m[1]?.length ?? 0));
    if (spots.length === 0) return MUTATIONS.flip?.(b, r, '') as { bytes: Uint8Array; what: string };
    const at = spots[int(r, 0, spots.length - 1)] as number;
    const value = ['999999999', '-1', '0', '2147483648', '1e308'][int(r, 0, 4)] as string;
    const end = at + (/^\d+/.exec(text.slice(at))?.[0].length ?? 0);
    return { bytes: latin1(text.slice(0, at) + value + text.slice(end)), what: `number at ${at} → ${value}` };
  },
  /** DOCX only: damage the XML of word/document.xml, then re-pack it with valid CRCs (reaches the XML reader). */
  xml: (b, r) => {
    const zip = openZip(b);
    const entries: ZipWriteEntry[] = zip.entries.map((entry) => {
      if (entry.name !== 'word/document.xml') return { raw: zip.raw(entry) };
      const xml = zip.readText(entry);
      const chars = [...xml];
      const n = int(r, 1, 12);
      const alphabet = '<>/&;="\' :#xX0\u0000\uffff';
      for (let i = 0; i < n; i++) {
        const at = int(r, 0, chars.length - 1);
        const op = int(r, 0, 2);
        if (op === 0) chars[at] = alphabet[int(r, 0, alphabet.length - 1)] as string;
        else if (op === 1) chars.splice(at, int(r, 1, 40));
        else chars.splice(at, 0, chars.slice(at, at + int(r, 1, 400)).join(''));
      }
      return { name: entry.name, data: chars.join('') };
    });
    return { bytes: writeZip(entries), what: 'XML damaged and re-packed' };
  },
};

const BINARY_OPS = [
  'truncate',
  'flip',
  'flip',
  'randomBytes',
  'tail',
  'zeroRange',
  'deleteRange',
  'duplicateRange',
  'bigNumbers',
];

/** `count` seeded mutants, cycling over the mutation sources. */
export function generateMutants(count: number, seed = DEFAULT_SEED): Mutant[] {
  const random = prng(seed ^ 0x5a5a5a5a);
  const sources = MUTATION_SOURCES.map((name) => ({ name, bytes: fixture(name) }));
  const mutants: Mutant[] = [];
  for (let i = 0; i < count; i++) {
    const source = sources[i % sources.length] as { name: string; bytes: Uint8Array };
    const ops = source.name.endsWith('.docx') ? [...BINARY_OPS, 'xml', 'xml', 'xml'] : BINARY_OPS;
    const operation = ops[int(random, 0, ops.length - 1)] as string;
    const mutate = MUTATIONS[operation] as Mutation;
    const { bytes, what } = mutate(source.bytes, random, source.name);
    const ext = source.name.slice(source.name.lastIndexOf('.'));
    mutants.push({
      name: `m${String(i).padStart(3, '0')}-${operation}${ext}`,
      source: source.name,
      operation: `${operation}: ${what}`,
      bytes,
    });
  }
  return mutants;
}

// ─── as a script ────────────────────────────────────────────────────────────

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: tsx test/hostile/generate.ts <dir> [seed]\n');
    process.exit(2);
  }
  const seed = process.argv[3] ? Number(process.argv[3]) : DEFAULT_SEED;
  const corpus = generateHostileCorpus(join(dir, 'cases'), seed);
  mkdirSync(join(dir, 'mutants'), { recursive: true });
  const mutants = generateMutants(240, seed);
  for (const m of mutants) writeFileSync(join(dir, 'mutants', m.name), m.bytes);
  for (const c of corpus.cases) process.stdout.write(`${c.id.padEnd(24)} ${c.file}\n`);
  process.stdout.write(
    `${corpus.cases.length} cases and ${mutants.length} mutants in ${dir} (seed ${seed})\n`,
  );
}
