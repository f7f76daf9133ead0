import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/report/index.js';
import { parseXml } from './helpers.js';
import { HOSTILE_HEADING, sampleReport } from './sample-report.js';

function junit(report = sampleReport()) {
  const xml = formatReport('junit', report, { color: false });
  return { xml, doc: parseXml(xml) };
}

const int = (el: Element, name: string) => Number(el.getAttribute(name));
const children = (el: Element, tag: string) =>
  Array.from(el.childNodes).filter((n): n is Element => n.nodeName === tag);

describe('junit', () => {
  it('parses as XML with one suite per document and correct counts on suites and root', () => {
    const { doc } = junit();
    const root = doc.documentElement;
    expect(root.nodeName).toBe('testsuites');
    const suites = children(root, 'testsuite');
    expect(suites.map((s) => s.getAttribute('name'))).toEqual(sampleReport().documents.map((d) => d.path));
    let totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    for (const suite of suites) {
      const cases = children(suite, 'testcase');
      const counted = {
        tests: cases.length,
        failures: cases.filter((c) => children(c, 'failure').length > 0).length,
        errors: cases.filter((c) => children(c, 'error').length > 0).length,
        skipped: cases.filter((c) => children(c, 'skipped').length > 0).length,
      };
      expect({
        tests: int(suite, 'tests'),
        failures: int(suite, 'failures'),
        errors: int(suite, 'errors'),
        skipped: int(suite, 'skipped'),
      }).toEqual(counted);
      totals = {
        tests: totals.tests + counted.tests,
        failures: totals.failures + counted.failures,
        errors: totals.errors + counted.errors,
        skipped: totals.skipped + counted.skipped,
      };
    }
    expect(totals).toEqual({ tests: 19, failures: 9, errors: 1, skipped: 1 });
    expect({
      tests: int(root, 'tests'),
      failures: int(root, 'failures'),
      errors: int(root, 'errors'),
      skipped: int(root, 'skipped'),
    }).toEqual(totals);
  });

  it('fails one case per finding and passes one per rule checked without a finding', () => {
    const { doc } = junit();
    const pdf = children(doc.documentElement, 'testsuite')[0]!;
    const cases = children(pdf, 'testcase');
    const failing = cases.filter((c) => children(c, 'failure').length > 0);
    const passing = cases.filter((c) => c.childNodes.length === 0);
    expect(failing).toHaveLength(4);
    expect(passing.map((c) => c.getAttribute('name'))).toEqual([
      'clinical-autonomy/no-reservation',
      'patient-records/owner-not-stated',
      'patient-records/owned-by-lay-entity',
    ]);
    const failure = children(failing[1]!, 'failure')[0]!;
    expect(failure.getAttribute('type')).toBe('error');
    expect(failure.getAttribute('message')).toContain('[Exhibit B ¶2 “Support Fee”, page 12]');
    expect(failure.textContent).toContain('Rule: cpom-fees/percentage-of-revenue');
    expect(failure.textContent).toContain('page 12');
    expect(children(failing[3]!, 'failure')[0]!.getAttribute('type')).toBe('info');
    expect(children(failing[2]!, 'failure')[0]!.getAttribute('message')).toContain('not found:');
  });

  it('reports the unreadable document as an error and the skipped one as skipped', () => {
    const { doc } = junit();
    const [, , , unreadable, skipped] = children(doc.documentElement, 'testsuite');
    const error = children(children(unreadable!, 'testcase')[0]!, 'error')[0]!;
    expect(error.getAttribute('type')).toBe('PDF_NO_TEXT');
    expect(error.getAttribute('message')).toContain('Run OCR');
    expect(children(children(skipped!, 'testcase')[0]!, 'skipped')).toHaveLength(1);
  });

  it('escapes markup, quotes and the control characters XML 1.0 forbids', () => {
    const { xml, doc } = junit();
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(xml).not.toContain('<img');
    const docx = children(doc.documentElement, 'testsuite')[1]!;
    expect(docx.getAttribute('name')).toBe('deals/Acme, P.C./APA v2:final 100%.docx');
    const failure = children(children(docx, 'testcase')[0]!, 'failure')[0]!;
    expect(failure.textContent).toContain(HOSTILE_HEADING);
    expect(failure.textContent).toContain('<b>"all"</b> \uFFFDbell \uFFFD[31mred');
    expect(failure.getAttribute('message')).toContain('"Purchased Assets" owned by Purchaser & not held');
  });

  it('puts a one-line message in the attribute and the full text in the body', () => {
    const report = sampleReport();
    report.documents[0]!.findings[0]!.message = 'line one\nline two\ttab';
    const failure = junit(report).doc.getElementsByTagName('failure')[0]!;
    expect(failure.getAttribute('message')).toMatch(/^line one line two tab \[/);
    expect(failure.textContent).toContain('line one\nline two\ttab');
  });

  it('round-trips tabs and line breaks in attribute values', () => {
    const report = sampleReport();
    report.documents[0]!.path = 'odd\tname\nwith break\r.pdf';
    const suite = junit(report).doc.getElementsByTagName('testsuite')[0]!;
    expect(suite.getAttribute('name')).toBe('odd\tname\nwith break\r.pdf');
  });
});
