/**
 * Small agreements rendered to PDF in memory for the PDF reader and clean-up tests, and hand-made broken
 * PDFs (encrypted, image-only) for the error cases.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { renderPdf } from '../../scripts/render/pdf.js';
import { type AgreementSource, acceptedWords, parseSource } from '../../scripts/render/source.js';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

/** DejaVu is what makes "●", "§" and "–" renderable; without it the renderer falls back to WinAnsi. */
export const HAS_DEJAVU =
  existsSync('/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf') ||
  Boolean(process.env.CONTRACT_LINT_FONT_DIR);

export function source(name: string, text: string): AgreementSource {
  return parseSource(name, text);
}

export function fixtureSource(name: string): AgreementSource {
  return parseSource(name, readFileSync(join(FIXTURES, 'sources', `${name}.contract`), 'utf8'));
}

export async function render(
  src: AgreementSource,
): Promise<{ bytes: Uint8Array; pages: Record<number, number> }> {
  return renderPdf(src);
}

/** The words a reader should find, table cell separators aside. */
export function expectedWords(src: AgreementSource): string[] {
  return acceptedWords(src);
}

export function wordsOf(texts: string[]): string[] {
  return texts.flatMap((t) => t.split(/\s+/)).filter((w) => w !== '' && w !== '|');
}

/** A filler paragraph of `n` sentences, so that text wraps and flows over pages. */
export function filler(topic: string, n: number): string {
  const sentences = [
    `The ${topic} shall be performed in a diligent and professional manner consistent with applicable law.`,
    'Each party shall bear its own costs and expenses incurred in connection with its obligations hereunder.',
    'Nothing in this section limits the authority of the licensed professionals over clinical matters.',
    'The parties shall cooperate in good faith to resolve any question that arises under this section.',
  ];
  return Array.from({ length: n }, (_, i) => sentences[i % sentences.length]).join(' ');
}

/** A two-page, single-column agreement with every kind of page furniture. */
export function furnitureSource(): AgreementSource {
  const body = [
    '**MANAGEMENT SERVICES AGREEMENT**',
    'This Management Services Agreement is made between Harbor Medical Management, LLC ("Manager") and Bayside Internal Medicine, P.C. (the "Practice").',
    'ARTICLE I **SERVICES**',
    `Section 1.01 **Billing.** Manager shall bill and collect for professional services in the name of the Practice. ${filler('billing', 6)}`,
    `Section 1.02 **Staffing.** ${filler('staffing', 8)}`,
    'ARTICLE II **FEES**',
    `Section 2.01 **Management Fee.** The Practice shall pay Manager a fixed monthly fee of $25,000. ${filler('payment', 8)}`,
    `Section 2.02 **Records.** ${filler('record keeping', 6)}`,
  ];
  return source(
    'furniture',
    [
      '---',
      'render: [pdf]',
      'pdf:',
      '  header: "Harbor Medical Management – Management Services Agreement"',
      '  footer: "Page {page} of {pages}"',
      '  stamp: "CONFIDENTIAL – DRAFT"',
      '---',
      body.join('\n\n'),
      '',
    ].join('\n'),
  );
}

/** A two-column, justified, hyphenated agreement. */
export function twoColumnSource(): AgreementSource {
  const body = [
    '**ASSET PURCHASE AGREEMENT**',
    'This Asset Purchase Agreement is entered into by Mesa Dental Partners, LLC ("Buyer") and Red Rock Family Dentistry, PLLC ("Seller").',
    'WHEREAS, Seller operates a general dentistry practice in Tempe, Arizona; and',
    'WHEREAS, Buyer wishes to acquire the non-clinical assets of the practice.',
    'ARTICLE I **PURCHASE**',
    `1.1 **Assets.** Seller shall sell the furniture, equipment, supplies and administrative records of the practice. ${filler('transfer', 5)}`,
    `1.2 **Price.** The purchase price is $1,250,000, payable at closing by wire transfer. ${filler('closing', 7)}`,
    'ARTICLE II **COVENANTS**',
    `2.1 **Noncompetition.** ${filler('covenant', 6)}`,
    `2.2 **Cooperation.** ${filler('transition', 6)}`,
  ];
  return source(
    'two-column',
    [
      '---',
      'render: [pdf]',
      'pdf:',
      '  header: "Mesa Dental Partners – Asset Purchase Agreement"',
      '  pageNumbers: "- {page} -"',
      '  columns: 2',
      '  justify: true',
      '  hyphenate: true',
      '---',
      body.join('\n\n'),
      '',
    ].join('\n'),
  );
}

/**
 * A one-page PDF whose trailer names an /Encrypt dictionary: pdf.js cannot derive the key from an empty
 * password and asks for one.
 */
export function encryptedPdf(): Uint8Array {
  const hex32 = '00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
    `<< /Filter /Standard /V 1 /R 2 /O <${hex32}> /U <${hex32}> /P -44 >>`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>] >>\n`;
  out += `startxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A small grey PNG (what a scanner would produce, minus the size). */
export function png(width = 64, height = 64): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const body = new Uint8Array(4 + data.length);
    body.set(new TextEncoder().encode(type), 0);
    body.set(data, 4);
    const out = new Uint8Array(12 + data.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, data.length);
    out.set(body, 4);
    view.setUint32(8 + data.length, crc32(body));
    return out;
  };
  const header = new Uint8Array(13);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const raw = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = (x * 3 + y * 5) & 0xff;
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', new Uint8Array(deflateSync(raw))),
    chunk('IEND', new Uint8Array()),
  ];
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A PDF of `pages` pages: 'image' pages carry only a picture, 'blank' nothing, 'text' a line of text. */
export async function pagesPdf(pages: Array<'image' | 'blank' | 'text'>): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const image = await doc.embedPng(png());
  for (const kind of pages) {
    const page = doc.addPage([612, 792]);
    if (kind === 'image') page.drawImage(image, { x: 72, y: 200, width: 468, height: 468 });
    if (kind === 'text')
      page.drawText('This page carries a line of agreement text.', { x: 72, y: 700, size: 11 });
  }
  return doc.save();
}
