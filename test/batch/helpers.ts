/** Small deal folders for batch tests: plain-text agreements that draw different findings. */
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ScanReport } from '../../src/model.js';
import { toJsonReport } from '../../src/report/index.js';

const STATES = [
  ['New York', 'NY'],
  ['Texas', 'TX'],
  ['California', 'CA'],
  ['Florida', 'FL'],
  ['Ohio', 'OH'],
] as const;

/** A short management services agreement; `i` varies the fee (percentage or flat), the state and the records clause. */
export function agreement(i: number): string {
  const [state] = STATES[i % STATES.length] ?? STATES[0];
  const fee =
    i % 2 === 0
      ? `a management fee equal to ${20 + (i % 7)} percent (${20 + (i % 7)}%) of the Practice's Net Collections each month`
      : `a fixed monthly management fee of $${(10 + i).toString()},000, which the parties agree is consistent with fair market value`;
  const records =
    i % 3 === 0
      ? 'All patient medical records are and shall remain the property of the Practice. Upon termination of this Agreement, Manager shall deliver all patient records to the Practice.'
      : 'Manager shall maintain the patient records.';
  return `MANAGEMENT SERVICES AGREEMENT

This Management Services Agreement is entered into by and between Example Practice Management ${i}, LLC, a ${state} limited liability company ("Manager"), and Example Medical Group ${i}, P.C., a ${state} professional corporation (the "Practice").

1. Services. Manager shall provide billing, collection, payroll for non-clinical staff, information technology and office space to the Practice.

2. Professional Judgment. The Practice and its physicians shall retain sole and exclusive control over the diagnosis and treatment of patients and all other matters involving professional medical judgment.

3. Management Fee. As compensation for the services, the Practice shall pay Manager ${fee}.

4. Patient Records. ${records}

5. Governing Law. This Agreement shall be governed by the laws of the State of ${state}.
`;
}

export const LEASE = `OFFICE LEASE

This Office Lease is made between Landlord Holdings LLC ("Landlord") and Tenant Co. ("Tenant").

1. Premises. Landlord leases to Tenant the premises at 1 Main Street.

2. Rent. Tenant shall pay rent of $4,000 per month.

3. Governing Law. This Lease is governed by the laws of the State of Ohio.
`;

/** A truncated PDF: an unreadable file (PDF_CORRUPT), which is not a transient failure. */
export const TRUNCATED_PDF =
  '%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pa';

/** A fixed time well in the past, so that the cache's "racy mtime" guard does not apply to test files. */
export const PAST = new Date('2024-01-02T03:04:05Z');

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `cl-${prefix}-`));
}

/** Write files (relative path → content) under `dir`, with an old mtime. */
export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    utimesSync(path, PAST, PAST);
  }
}

/** A deal folder with `n` agreements (a.txt … in sub-folders), an office lease and an unreadable PDF. */
export function dealFolder(n: number, prefix = 'deal'): { dir: string; names: string[] } {
  const dir = tempDir(prefix);
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++)
    files[`${i % 3 === 0 ? 'east' : 'west'}/msa-${String(i).padStart(2, '0')}.txt`] = agreement(i);
  files['other/lease.txt'] = LEASE;
  files['other/broken.pdf'] = TRUNCATED_PDF;
  writeTree(dir, files);
  return { dir, names: Object.keys(files).sort() };
}

/** The JSON form of a report without what legitimately differs between two runs (start time, timings). */
export function comparable(report: ScanReport): unknown {
  const json = toJsonReport(report) as Record<string, unknown>;
  delete json.startedAt;
  for (const doc of json.documents as Array<Record<string, unknown>>) delete doc.timings;
  return json;
}
