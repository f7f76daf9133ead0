import { describe, expect, it } from 'vitest';
import { readText } from '../../src/ingest/text.js';
import { segment } from '../../src/segment/index.js';

function read(content: string) {
  return segment(readText(new TextEncoder().encode(content), 'a.txt', 'text'));
}

const PREAMBLE =
  'This Agreement is made between Summit Rock Dental Support, Inc., an Oregon corporation ("DSO"), and Ngata Dental Group, P.C., an Oregon professional corporation ("Practice").';

describe('document facts', () => {
  it('reads "Dental Support Agreement" and other "… Support Agreement" titles as management agreements', () => {
    for (const title of [
      'DENTAL SUPPORT AGREEMENT',
      'MEDICAL SUPPORT SERVICES AGREEMENT',
      'PRACTICE SUPPORT AGREEMENT',
    ]) {
      expect(read(`${title}\n\n${PREAMBLE}\n\n1. Services. DSO shall provide billing services.`).kind).toBe(
        'management-agreement',
      );
    }
  });

  it('finds "Wisconsin law governs this agreement" as the governing law, and not a mere mention', () => {
    const text = `BUSINESS SERVICES AGREEMENT\n\n${PREAMBLE}\n\n1. Offices. The Practice has offices in Wisconsin.\n\n24. Governing law. Wisconsin law governs this agreement.`;
    expect(read(text).governingLaw).toBe('WI');
    expect(read(text.replace(/24\. Governing law\..*$/s, '')).governingLaw).toBeNull();
  });

  it('gives a company defined outside the preamble its side ("Northsound Dental Partners, LLC … ("NDP")")', () => {
    const text = [
      'DENTIST EMPLOYMENT AGREEMENT',
      'This Agreement is made between Cascadia Family Dental, P.C. ("Employer") and Anika Holm, D.D.S. ("Dentist").',
      'A. The non-clinical assets of the practice are being sold to Northsound Dental Partners, LLC, a Delaware limited liability company ("NDP").',
      '1. Duties. Dentist shall practise dentistry.',
    ].join('\n\n');
    const ndp = read(text).definitions.find((d) => d.term === 'NDP');
    expect(ndp?.side).toBe('lay');
  });
});
