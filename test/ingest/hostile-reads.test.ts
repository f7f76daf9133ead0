/**
 * Reader fixes found by the hostile suite (test/hostile/): each with the input that showed it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectFormat, readBuffer } from '../../src/ingest/index.js';
import { isPdfJsRejection } from '../../src/ingest/pdf.js';
import { bomlessUtf16, decodeText } from '../../src/ingest/text.js';
import { buildPdf, fixture, ORIGINALS, unbalancedStringPdf, utf16 } from '../hostile/generate.js';

const REPO = join(import.meta.dirname, '..', '..');

describe('PDF: text spread over an absurdly wide page', () => {
  it('reads a page with text 10^9 units apart quickly, without a gigabyte histogram', async () => {
    const width = 1e9;
    const ops: string[] = [];
    for (let row = 0; row < 20; row++) {
      for (const x of [10, width - 300]) {
        ops.push(`BT /F1 12 Tf ${x} ${1000 - row * 14} Td (Clause ${row} of the agreement text) Tj ET`);
      }
    }
    const pdf = buildPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} 1100] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>`,
      { dict: '<< /Filter /FlateDecode >>', data: new Uint8Array(deflateSync(ops.join('\n'))) },
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ]);
    await readBuffer(pdf, 'warm-up.pdf').catch(() => undefined); // pdf.js loads on first use
    const before = process.memoryUsage().arrayBuffers;
    const started = performance.now();
    const raw = await readBuffer(pdf, 'wide.pdf');
    expect(performance.now() - started).toBeLessThan(3000);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
    // Each row's two far-apart items share a baseline: one table row per line, nothing lost.
    expect(raw.pages[0]?.lines).toHaveLength(20);
    expect(raw.pages[0]?.lines[0]?.text).toBe(
      'Clause 0 of the agreement text | Clause 0 of the agreement text',
    );
  });
});

describe('PDF: promises pdf.js leaves unhandled', () => {
  it('tells pdf.js exceptions from other errors', () => {
    const formatError = Object.assign(new Error('Illegal character: 41'), { name: 'FormatError' });
    expect(isPdfJsRejection(formatError)).toBe(true);
    const fromPdfJs = new Error('boom');
    fromPdfJs.stack =
      'Error: boom\n    at x (file:///app/node_modules/pdfjs-dist/legacy/build/pdf.worker.mjs:1:1)';
    expect(isPdfJsRejection(fromPdfJs)).toBe(true);
    expect(isPdfJsRejection(new Error('an unrelated bug'))).toBe(false);
    expect(isPdfJsRejection('FormatError')).toBe(false);
  });

  it('a damaged page tree does not end the process; any other unhandled rejection still does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-rejection-'));
    const file = join(dir, 'unbalanced.pdf');
    writeFileSync(file, unbalancedStringPdf(fixture(ORIGINALS.pdf)));
    const script = `
      import { readFileSync } from 'node:fs';
      const { readBuffer } = await import(${JSON.stringify(join(REPO, 'dist', 'ingest', 'index.js'))});
      try { await readBuffer(readFileSync(${JSON.stringify(file)}), 'unbalanced.pdf'); }
      catch (error) { console.log('read:', error.code); }
      await new Promise((resolve) => setTimeout(resolve, 300));
      console.log('still running');
      Promise.reject(new Error('an unrelated bug'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      console.log('not reached');`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.stdout).toContain('read: PDF_CORRUPT');
    expect(child.stdout).toContain('still running');
    expect(child.stdout).not.toContain('not reached');
    expect(child.stderr).toContain('an unrelated bug');
    expect(child.stderr).not.toMatch(/FormatError|Illegal character/);
    expect(child.status).toBe(1);
  });
});

describe('text: UTF-16 without a byte-order mark', () => {
  const agreement = Buffer.from(fixture(ORIGINALS.text)).toString('utf8');

  it('is detected as text and decoded, little- and big-endian', () => {
    for (const endian of ['le', 'be'] as const) {
      const bytes = utf16(agreement, endian, false);
      expect(bomlessUtf16(bytes)).toBe(`utf-16${endian}`);
      expect(detectFormat(bytes, '.txt')).toEqual({ format: 'text' });
      expect(decodeText(bytes)).toEqual({ text: agreement, encoding: `utf-16${endian}` });
    }
  });

  it('binary data with NULs in every other byte is not taken for text', () => {
    const binary = new Uint8Array(4096).map((_, i) => (i % 2 === 1 ? 0 : (i * 37) % 32));
    expect(bomlessUtf16(binary)).toBeNull();
    expect(detectFormat(binary, '.txt').format).toBe('unknown');
    expect(bomlessUtf16(new Uint8Array(4096))).toBeNull(); // all zeros
    expect(bomlessUtf16(new TextEncoder().encode(agreement))).toBeNull(); // UTF-8
  });
});
