/**
 * A realistic scan of a small deal folder, for formatter tests:
 *
 * - a PDF management agreement with clause/page findings of error, warning and info severity and a
 *   missing-clause finding (location null);
 * - a DOCX acquisition agreement whose clause text carries hostile strings (markup, `::`, `%`, pipes,
 *   control characters, an ANSI escape) and whose path has a comma, a colon and a space;
 * - a text employment agreement with source line numbers;
 * - an unreadable PDF (status error) and a skipped document (kind other).
 *
 * The agreements are fictional.
 */

import type { DocumentResult, RuleInfo, ScanReport } from '../../src/model.js';
import { summarize } from '../../src/report/index.js';

export const HOSTILE_HEADING = 'Fees </script><img src=x onerror=alert(1)>';
export const HOSTILE_EXCERPT =
  'a Service Fee of 40% | of Collections::net %0A & <b>"all"</b> \u0007bell \u001b[31mred\u001b[0m';

export const RULES: RuleInfo[] = [
  {
    id: 'clinical-autonomy/manager-controls-clinical',
    category: 'clinical-autonomy',
    severity: 'error',
    title: 'Manager has authority over clinical matters',
    rationale:
      'Corporate-practice-of-medicine and dentistry doctrines reserve clinical judgment to licensed professionals. ' +
      'A clause that lets the manager set treatment protocols, procedure mix or production quotas, or hire and ' +
      'fire clinicians without the practice, puts the arrangement at risk even when another clause reserves ' +
      'clinical judgment.',
    references: ['Cal. Bus. & Prof. Code § 2400', 'https://example.org/cpom-overview'],
    fix: 'Delete the clinical authority or make it subject to the Practice’s approval and clinical override.',
    example:
      'Manager shall have no authority over, and shall not direct, the clinical judgment of any Professional, ' +
      'including diagnosis, treatment plans, procedure selection and patient referrals.',
    appliesTo: ['management-agreement', 'employment-agreement'],
    pack: 'mso-dso',
    helpUri: 'https://example.org/contract-lint/rules/clinical-autonomy',
  },
  {
    id: 'clinical-autonomy/no-reservation',
    category: 'clinical-autonomy',
    severity: 'error',
    title: 'No clause reserves clinical judgment to the licensed professionals',
    lookingFor: 'an operative clause reserving clinical judgment to the practice or its professionals',
    rationale: 'Without an express reservation, a regulator may read the manager’s broad powers as control.',
    references: ['N.Y. Educ. Law § 6530(19)'],
    fix: 'Add an express reservation of clinical judgment to the Practice and its Professionals.',
    example:
      'Practice shall retain sole and exclusive control over all clinical matters, including diagnosis, ' +
      'treatment and the professional judgment of its Professionals.',
    appliesTo: ['management-agreement', 'employment-agreement'],
    pack: 'mso-dso',
    helpUri: '',
  },
  {
    id: 'clinical-autonomy/recital-intent',
    category: 'clinical-autonomy',
    severity: 'info',
    title: 'Clinical reservation stated in the recitals',
    rationale:
      'A WHEREAS clause states intent; it does not by itself reserve anything. Noted for the reviewer.',
    references: [],
    fix: 'Make sure an operative clause carries the reservation.',
    example: 'Practice shall retain sole control over all clinical matters.',
    appliesTo: ['management-agreement', 'employment-agreement'],
    pack: 'mso-dso',
  },
  {
    id: 'cpom-fees/percentage-of-revenue',
    category: 'cpom-fees',
    severity: 'error',
    title: 'Management fee computed as a percentage of practice revenue',
    rationale:
      'Several states treat a percentage-of-revenue management fee as prohibited fee splitting between a ' +
      'licensed professional and a lay entity.',
    references: ['N.Y. Educ. Law § 6509-a', '8 NYCRR § 29.1(b)(4)'],
    fix: 'Replace the percentage with a flat fee set at fair market value, or cost plus a fixed fee.',
    example:
      'Practice shall pay Manager a monthly Management Fee of $42,500, which the parties agree is consistent ' +
      'with fair market value for the Services actually rendered.',
    appliesTo: ['management-agreement'],
    pack: 'mso-dso',
  },
  {
    id: 'fmv/no-fmv-statement',
    category: 'fmv',
    severity: 'warning',
    title: 'No fair-market-value statement or independent valuation',
    lookingFor: 'a statement that the compensation is consistent with fair market value, or an appraisal',
    rationale: 'A fair-market-value statement supported by a valuation is the first defence under the AKS.',
    references: ['42 C.F.R. § 1001.952(d)'],
    fix: 'State that the fee is consistent with fair market value and reference an independent valuation.',
    example:
      'The Management Fee is consistent with fair market value, as supported by an independent appraisal.',
    appliesTo: ['management-agreement'],
    pack: 'mso-dso',
  },
  {
    id: 'patient-records/owner-not-stated',
    category: 'patient-records',
    severity: 'error',
    title: 'No clause states who owns the patient records',
    lookingFor: 'a clause vesting ownership of patient records in the practice',
    rationale: 'State law requires the licensed practice to own and control its patient records.',
    references: [],
    fix: 'Provide that all patient records are and remain the property of the Practice.',
    example: 'All patient records are and shall remain the sole property of Practice.',
    appliesTo: ['management-agreement', 'acquisition-agreement'],
    pack: 'mso-dso',
  },
  {
    id: 'patient-records/owned-by-lay-entity',
    category: 'patient-records',
    severity: 'error',
    title: 'Patient records owned by the manager or purchaser',
    rationale: 'A lay entity may hold records as the practice’s custodian but may not own them.',
    references: [],
    fix: 'Vest ownership in the practice; the purchaser may act as custodian.',
    example: 'Purchaser shall hold the Patient Records as custodian for the Practice.',
    appliesTo: ['management-agreement', 'acquisition-agreement'],
    pack: 'mso-dso',
  },
  {
    id: 'work-back/duration',
    category: 'work-back',
    severity: 'info',
    title: 'Work-back term',
    rationale: 'The length of the seller’s post-closing commitment, for the reviewer’s summary.',
    references: [],
    fix: 'None needed.',
    example: 'Seller shall provide professional services for three (3) years after the Closing.',
    appliesTo: ['acquisition-agreement', 'employment-agreement'],
    pack: 'mso-dso',
  },
  {
    id: 'work-back/excessive-duration',
    category: 'work-back',
    severity: 'warning',
    title: 'Work-back longer than five years',
    rationale: 'Typical market terms are three to five years; longer terms draw scrutiny and hurt retention.',
    references: [],
    fix: 'Shorten the term to five years or less.',
    example: 'The Employment Term shall be four (4) years from the Closing Date.',
    appliesTo: ['acquisition-agreement', 'employment-agreement'],
    pack: 'mso-dso',
  },
];

const ALL_RULES = RULES.map((r) => r.id);

function checked(kind: string): string[] {
  return RULES.filter((r) => r.appliesTo.includes(kind as never)).map((r) => r.id);
}

export const DOCUMENTS: DocumentResult[] = [
  {
    path: 'deals/brightsmile/Dental Support Services Agreement.pdf',
    format: 'pdf',
    kind: 'management-agreement',
    governingLaw: 'NY',
    status: 'ok',
    title: 'Dental Support Services Agreement',
    pageCount: 14,
    clauseCount: 86,
    sha256: 'a3f1c2d4e5b6978812345678abcdef0123456789abcdef0123456789abcdef01',
    rulesChecked: checked('management-agreement'),
    findings: [
      {
        ruleId: 'clinical-autonomy/manager-controls-clinical',
        category: 'clinical-autonomy',
        severity: 'error',
        message:
          'Manager may set production quotas for the Dentists and approve their treatment protocols; this is ' +
          'clinical control by a lay entity even though Section 2.3 reserves clinical judgment.',
        location: {
          clause: 'Section 3.2(b)',
          heading: 'Practice Operations',
          page: 3,
          excerpt:
            '…Manager shall establish production targets and approve treatment protocols for each Dentist…',
          clauseId: 'a3-s3.2-b',
          start: 10412,
          end: 10487,
        },
        fingerprint: 'ca1f0e2d6b9c4a7e',
      },
      {
        ruleId: 'cpom-fees/percentage-of-revenue',
        category: 'cpom-fees',
        severity: 'error',
        message:
          'The Support Fee is 35% of Net Collections; New York prohibits percentage fee splitting with a lay entity.',
        location: {
          clause: 'Exhibit B ¶2',
          heading: 'Support Fee',
          page: 12,
          excerpt: '…equal to thirty-five percent (35%) of Net Collections for each calendar month…',
          clauseId: 'exb-p2',
          start: 48210,
          end: 48268,
        },
        captures: { percent: 35, base: 'Net Collections', state: 'NY' },
        fingerprint: '7d2e19b0c3a45f68',
      },
      {
        ruleId: 'fmv/no-fmv-statement',
        category: 'fmv',
        severity: 'warning',
        message:
          'The agreement neither states that the Support Fee is fair market value nor cites a valuation.',
        location: null,
        lookedFor: 'a statement that the compensation is consistent with fair market value, or an appraisal',
        fingerprint: '0b5c8e7f1a2d3c49',
      },
      {
        ruleId: 'clinical-autonomy/recital-intent',
        category: 'clinical-autonomy',
        severity: 'info',
        message:
          'The recitals state an intent to reserve clinical matters; Section 2.3 is the operative reservation.',
        location: {
          clause: 'Recitals ¶3',
          heading: null,
          page: 1,
          excerpt: 'WHEREAS, the parties intend that Practice retain control of clinical matters',
          clauseId: 'recitals-3',
        },
        fingerprint: '5e6f7a8b9c0d1e2f',
      },
    ],
    timings: { read: 182, segment: 41, evaluate: 12 },
  },
  {
    path: 'deals/Acme, P.C./APA v2:final 100%.docx',
    format: 'docx',
    kind: 'acquisition-agreement',
    governingLaw: null,
    status: 'ok',
    title: 'Asset Purchase Agreement',
    pageCount: null,
    clauseCount: 112,
    rulesChecked: checked('acquisition-agreement'),
    findings: [
      {
        ruleId: 'patient-records/owned-by-lay-entity',
        category: 'patient-records',
        severity: 'error',
        message:
          'Patient Records are "Purchased Assets" owned by Purchaser & not held for the Practice: <unsafe>.',
        location: {
          clause: '2.1(f)',
          heading: HOSTILE_HEADING,
          page: null,
          excerpt: HOSTILE_EXCERPT,
          clauseId: 'a2-2.1-f',
        },
        fingerprint: 'f00dfacec0ffee01',
      },
      {
        ruleId: 'work-back/excessive-duration',
        category: 'work-back',
        severity: 'warning',
        message:
          'Seller commits to practise for 7 years after Closing (market: 3–5 years). 100%:: done\nsecond line',
        location: {
          clause: 'Section 6.4',
          heading: 'Transition Services',
          page: null,
          excerpt: 'Seller shall provide professional services to the Practice for seven (7) years',
          clauseId: 'a6-s6.4',
        },
        captures: { years: 7 },
        fingerprint: '1234abcd5678ef90',
      },
      // The same clause matched twice (two sentences): identical rule and fingerprint.
      {
        ruleId: 'work-back/excessive-duration',
        category: 'work-back',
        severity: 'warning',
        message:
          'Seller commits to practise for 7 years after Closing (market: 3–5 years). 100%:: done\nsecond line',
        location: {
          clause: 'Section 6.4',
          heading: 'Transition Services',
          page: null,
          excerpt: 'and thereafter for successive one-year terms up to seven (7) years in total',
          clauseId: 'a6-s6.4',
        },
        captures: { years: 7 },
        fingerprint: '1234abcd5678ef90',
      },
    ],
  },
  {
    path: 'contracts/employment/dr-lee-employment.txt',
    format: 'text',
    kind: 'employment-agreement',
    governingLaw: 'CA',
    status: 'ok',
    title: 'Physician Employment Agreement',
    pageCount: null,
    clauseCount: 41,
    rulesChecked: checked('employment-agreement'),
    findings: [
      {
        ruleId: 'clinical-autonomy/no-reservation',
        category: 'clinical-autonomy',
        severity: 'error',
        message: 'No clause reserves clinical judgment to the Physician.',
        location: null,
        lookedFor: 'an operative clause reserving clinical judgment to the practice or its professionals',
        fingerprint: '9a8b7c6d5e4f3a2b',
      },
      {
        ruleId: 'work-back/duration',
        category: 'work-back',
        severity: 'info',
        message: 'Work-back term: 3 years from the Closing Date.',
        location: {
          clause: '4.1',
          heading: 'Term',
          page: null,
          excerpt: 'for a period of three (3) years commencing on the Closing Date',
          clauseId: 's4.1',
          line: 57,
          start: 3120,
          end: 3163,
        },
        captures: { years: 3 },
        fingerprint: 'c0c0a0b0d0e0f001',
      },
    ],
  },
  {
    path: 'deals/legacy/scanned-msa-2011.pdf',
    format: 'pdf',
    kind: null,
    governingLaw: null,
    status: 'error',
    findings: [],
    error: {
      code: 'PDF_NO_TEXT',
      message: 'None of the 9 pages has a text layer (a scan?). Run OCR on the file and scan it again.',
    },
  },
  {
    path: 'deals/brightsmile/office-lease.docx',
    format: 'docx',
    kind: 'other',
    governingLaw: 'NY',
    status: 'skipped',
    title: 'Office Lease',
    findings: [],
    rulesChecked: [],
  },
];

/** The full sample report (no `startedAt`, for stable snapshots). */
export function sampleReport(overrides: Partial<ScanReport> = {}): ScanReport {
  const documents = structuredClone(overrides.documents ?? DOCUMENTS);
  return {
    tool: { name: 'contract-lint', version: '0.1.0' },
    packs: [{ name: 'mso-dso', version: '1.0.0', source: 'builtin:mso-dso' }],
    config: '.contractlintrc.yaml',
    rules: structuredClone(RULES),
    documents,
    summary: summarize(documents),
    excerpts: true,
    ...overrides,
  };
}

/** Every rule id in the sample pack. */
export const RULE_IDS = ALL_RULES;
