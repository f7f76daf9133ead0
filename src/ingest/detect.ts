/**
 * Format detection from the bytes (magic numbers), never from the extension: a ".pdf" that is really
 * text is read as text, and a ".docx" that is really a PDF is read as a PDF.
 */
import type { SourceFormat } from '../model.js';
import { bomlessUtf16 } from './text.js';

export type DetectedFormat =
  | { format: SourceFormat }
  | { format: 'ole'; note: string }
  | { format: 'unknown'; note: string }
  | { format: 'empty' };

const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];
const OLE_COMPOUND = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(bytes: Uint8Array, magic: number[], offset = 0): boolean {
  if (bytes.length < offset + magic.length) return false;
  return magic.every((b, i) => bytes[offset + i] === b);
}

/** A PDF may carry junk before `%PDF-` (the spec allows it within the first 1024 bytes). */
function findPdfHeader(bytes: Uint8Array): boolean {
  const limit = Math.min(bytes.length - 5, 1024);
  for (let i = 0; i <= limit; i++) {
    if (
      bytes[i] === 0x25 &&
      bytes[i + 1] === 0x50 &&
      bytes[i + 2] === 0x44 &&
      bytes[i + 3] === 0x46 &&
      bytes[i + 4] === 0x2d
    )
      return true;
  }
  return false;
}

/** Share of bytes in the first 8 KB that cannot occur in text (NUL and most C0 controls). */
function binaryRatio(bytes: Uint8Array): number {
  const sample = bytes.subarray(0, 8192);
  if (sample.length === 0) return 0;
  // UTF-16 text has NULs in every other byte; it is recognised (by its BOM, or its shape) before this check.
  let binary = 0;
  for (const b of sample) {
    if (b === 0 || b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) binary++;
  }
  return binary / sample.length;
}

function looksLikeMarkdown(head: string, extension: string): boolean {
  if (extension === '.md' || extension === '.markdown') return true;
  return /^(#{1,6} |\*\*[^*]+\*\*$|[-*] |\d+\. )/m.test(head) && /^#{1,6} /m.test(head);
}

export function detectFormat(bytes: Uint8Array, extension = ''): DetectedFormat {
  if (bytes.length === 0) return { format: 'empty' };
  if (findPdfHeader(bytes)) return { format: 'pdf' };
  if (startsWith(bytes, ZIP_LOCAL_HEADER) || startsWith(bytes, ZIP_EMPTY)) return { format: 'docx' };
  if (startsWith(bytes, OLE_COMPOUND)) {
    return {
      format: 'ole',
      note: 'an OLE compound file (a password-protected Office file or a legacy .doc)',
    };
  }
  if (startsWith(bytes, [0x7b, 0x5c, 0x72, 0x74, 0x66])) {
    return { format: 'unknown', note: 'an RTF document (save it as DOCX or PDF)' };
  }
  const utf16 =
    (bytes[0] === 0xff && bytes[1] === 0xfe) ||
    (bytes[0] === 0xfe && bytes[1] === 0xff) ||
    bomlessUtf16(bytes);
  if (!utf16 && binaryRatio(bytes) > 0.01) {
    return { format: 'unknown', note: describeBinary(bytes) };
  }
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 4096));
  return { format: looksLikeMarkdown(head, extension.toLowerCase()) ? 'markdown' : 'text' };
}

function describeBinary(bytes: Uint8Array): string {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return 'a PNG image';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'a JPEG image';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'a TIFF image';
  if (startsWith(bytes, [0x1f, 0x8b])) return 'a gzip archive';
  return 'binary data of an unknown kind';
}
