/**
 * Plain text and Markdown: decode (UTF-8, UTF-16 with or without BOM, Windows-1252 fall-back), then one RawLine per
 * source line, keeping the source line number for editors and SARIF regions. Re-joining hard-wrapped
 * lines is clean-up's job (segment/), not ours.
 */
import { createHash } from 'node:crypto';
import { type RawLine, type RawText, ReadError, type SourceFormat } from '../model.js';

export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
}

/**
 * UTF-16 without a byte-order mark, told by its shape: text in Latin scripts has a NUL in every other byte
 * (the high byte of each code unit) and almost none in the others, and decodes to printable characters.
 * Binary data rarely has both properties over its first 8 KB.
 */
export function bomlessUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const length = Math.min(bytes.length, 8192) & ~1;
  if (length < 16) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < length; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const units = length / 2;
  const encoding =
    oddZeros >= units * 0.7 && evenZeros <= units * 0.02
      ? 'utf-16le'
      : evenZeros >= units * 0.7 && oddZeros <= units * 0.02
        ? 'utf-16be'
        : null;
  if (!encoding) return null;
  const sample = new TextDecoder(encoding).decode(bytes.subarray(0, length));
  const printable = sample.match(/[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}\t\n\r\f]/gu)?.length ?? 0;
  return printable >= sample.length * 0.98 ? encoding : null;
}

export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  }
  const utf16 = bomlessUtf16(bytes);
  if (utf16) return { text: new TextDecoder(utf16).decode(bytes), encoding: utf16 };
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    // Not valid UTF-8: agreements saved from older Windows tools are Windows-1252 ("smart quotes" 0x93/0x94).
    return { text: new TextDecoder('windows-1252').decode(body), encoding: 'windows-1252' };
  }
}

/** Markdown syntax that is layout, not agreement text. */
function stripMarkdown(line: string): {
  text: string;
  headingLevel?: number;
  bold?: boolean;
  table?: boolean;
} {
  const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
  if (heading) return { text: unemphasize(heading[2] ?? ''), headingLevel: (heading[1] ?? '#').length };
  if (/^\s*\|.*\|\s*$/.test(line)) {
    if (/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line)) return { text: '', table: true };
    const cells = line
      .trim()
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((c) => unemphasize(c.trim()));
    return { text: cells.join(' | '), table: true };
  }
  const bold = /^\s*\*\*([^*]+)\*\*\s*$/.test(line);
  const text = unemphasize(line.replace(/^>\s?/, ''));
  return bold ? { text, bold } : { text };
}

function unemphasize(text: string): string {
  return text.replace(/\*\*([^*]+)\*\*/g, '$1').replace(/(^|[\s(])_([^_]+)_(?=[\s).,;:]|$)/g, '$1$2');
}

export function readText(bytes: Uint8Array, path: string, format: SourceFormat = 'text'): RawText {
  const { text, encoding } = decodeText(bytes);
  if (text.trim() === '')
    throw new ReadError('EMPTY_FILE', `${path} contains no text — check that it is the right file`);
  const lines: RawLine[] = [];
  const sourceLines = text.replace(/\r\n?/g, '\n').split('\n');
  sourceLines.forEach((raw, index) => {
    const line = raw.replace(/\f/g, '');
    if (format === 'markdown') {
      const md = stripMarkdown(line);
      if (md.table && md.text === '') return;
      lines.push({
        text: md.text,
        page: 1,
        role: md.table ? 'table' : 'body',
        paragraph: Boolean(md.table || md.headingLevel),
        sourceLine: index + 1,
        ...(md.headingLevel ? { headingLevel: md.headingLevel } : {}),
        ...(md.bold ? { bold: true } : {}),
      });
      return;
    }
    lines.push({ text: line, page: 1, role: 'body', paragraph: false, sourceLine: index + 1 });
  });
  return {
    path,
    format,
    pages: [{ number: 1, lines }],
    revisions: null,
    notes: encoding === 'utf-8' ? [] : [`decoded as ${encoding}`],
    sha256: createHash('sha256').update(bytes).digest('hex'),
    byteLength: bytes.length,
  };
}
