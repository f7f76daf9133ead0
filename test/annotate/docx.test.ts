/**
 * Reviewed DOCX copies: one Word comment per finding on its trigger words, one for the missing clauses,
 * and nothing else changed.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { annotateDocx } from '../../src/annotate/docx.js';
import { extractTextWithMammoth, readDocx } from '../../src/ingest/docx.js';
import { openZip, writeZip } from '../../src/util/zip.js';
import {
  commentRanges,
  DATE,
  FIXTURES,
  fileHash,
  lettersOf,
  type Reviewed,
  review,
  skeleton,
  triggerOf,
  wordComments,
  zipText,
} from './helpers.js';

/** Fixtures with existing comments and tracked changes, Word numbering, tables, amendments, missing clauses. */
const CASES = [
  'msa-med-ortho-ny-clinical-pathways.docx', // an existing comment, a tracked insertion and deletion
  'dsa-brightsmile-auto-numbered.docx', // auto-numbering, a fee table, a comment, tracked changes
  'asa-harborview-legal-numbering.docx', // legal numbering, missing clauses, tracked changes
  'dsa-dental-catskill-ny-pct-collections.docx', // the trigger starts with a generated "(a)"
  'ho-dental-admin-services-schedule-table-co.docx', // schedule table rows as triggers
  'dsa-dental-piedmont-ga-per-procedure.docx',
  'emp-physician-lay-llc-protocols-scheduling.docx',
];

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

async function rawLines(bytes: Uint8Array): Promise<string> {
  const raw = await readDocx(bytes, 'x.docx');
  return JSON.stringify(raw.pages.map((p) => p.lines));
}

/** Check a reviewed copy against its original and the findings. */
async function checkCopy(reviewed: Reviewed, output: Uint8Array) {
  const { bytes, contract, findings } = reviewed;
  const before = openZip(bytes);
  const after = openZip(output);
  const located = findings.filter((f) => f.location);
  const missing = findings.filter((f) => !f.location);

  // comments.xml: the original comments, then one per located finding and one for the missing clauses.
  const originalComments = before.has('word/comments.xml')
    ? wordComments(zipText(bytes, 'word/comments.xml'))
    : [];
  const comments = wordComments(zipText(output, 'word/comments.xml'));
  const ours = comments.filter((c) => c.author === 'contract-lint');
  expect(ours).toHaveLength(located.length + (missing.length > 0 ? 1 : 0));
  expect(comments.filter((c) => c.author !== 'contract-lint')).toEqual(originalComments);
  for (const c of ours) {
    expect(c.initials).toBe('CL');
    expect(c.date).toBe('2026-03-02T09:30:00Z');
  }
  const ids = comments.map((c) => c.id);
  expect(new Set(ids).size).toBe(ids.length);

  // Each finding's comment: message, one-sentence rationale, fix and rule id, on a range holding its trigger.
  const documentXml = zipText(output, 'word/document.xml');
  const ranges = commentRanges(documentXml);
  const unmatched = [...ours];
  for (const finding of located) {
    const index = unmatched.findIndex(
      (c) => c.text.includes(oneLine(finding.message)) && c.text.includes(`Rule: ${finding.ruleId}`),
    );
    expect(index, `a comment for ${finding.ruleId}`).toBeGreaterThanOrEqual(0);
    const comment = unmatched.splice(index, 1)[0] as (typeof ours)[number];
    expect(comment.text).toMatch(/\nWhy: [^\n]+[.!?]["”')]*\n/);
    expect(comment.text).toContain('\nFix: ');
    expect(documentXml).toMatch(new RegExp(`<w:commentReference w:id="${comment.id}"/>`));
    const enclosed = lettersOf(ranges.get(comment.id) ?? '');
    const trigger = lettersOf(triggerOf(contract, finding));
    // The range holds the trigger; only Word's generated numbering ("(a)", "4.1") can be missing in front.
    expect(trigger.endsWith(enclosed), `${finding.ruleId}: "${ranges.get(comment.id)}"`).toBe(true);
    expect(trigger.length - enclosed.length).toBeLessThanOrEqual(6);
  }
  if (missing.length > 0) {
    const gathered = unmatched[0] as (typeof ours)[number];
    expect(unmatched).toHaveLength(1);
    for (const f of missing) {
      expect(gathered.text).toContain(oneLine(f.message));
      expect(gathered.text).toContain(`Rule: ${f.ruleId}`);
    }
    // On the title (or the first paragraph).
    const title = lettersOf(contract.title ?? '');
    expect(lettersOf(ranges.get(gathered.id) ?? '')).toContain(title);
  }

  // The document reads the same, with our reader and with mammoth.
  expect(await rawLines(output)).toBe(await rawLines(bytes));
  expect(await extractTextWithMammoth(output)).toBe(await extractTextWithMammoth(bytes));

  // Every entry but the changed parts is copied with its stored bytes; the document's skeleton is the same.
  const changed = new Set([
    'word/document.xml',
    'word/comments.xml',
    'word/_rels/document.xml.rels',
    '[Content_Types].xml',
  ]);
  for (const entry of before.entries) {
    expect(after.has(entry.name), entry.name).toBe(true);
    if (changed.has(entry.name)) continue;
    const a = before.raw(entry);
    const b = after.raw(entry.name);
    expect(b.crc32).toBe(a.crc32);
    expect(Buffer.from(b.compressed).equals(Buffer.from(a.compressed)), entry.name).toBe(true);
  }
  const original = zipText(bytes, 'word/document.xml');
  expect(skeleton(documentXml)).toBe(skeleton(original));
  for (const tag of ['<w:ins ', '<w:del ', '<w:commentRangeStart ', '<w:commentReference ']) {
    const count = (s: string) => s.split(tag).length - 1;
    if (tag.startsWith('<w:comment')) expect(count(documentXml)).toBe(count(original) + ours.length);
    else expect(count(documentXml), tag).toBe(count(original));
  }
  if (before.has('word/comments.xml')) {
    const was = zipText(bytes, 'word/comments.xml');
    const end = was.lastIndexOf('</w:comments>');
    expect(zipText(output, 'word/comments.xml').startsWith(was.slice(0, end))).toBe(true);
  }
}

describe('annotateDocx on the DOCX fixtures', () => {
  for (const name of CASES) {
    it(name, async () => {
      const path = join(FIXTURES, name);
      const hash = fileHash(path);
      const reviewed = await review(path);
      expect(reviewed.findings.length).toBeGreaterThan(0);
      const out = annotateDocx({ ...reviewed, date: DATE });
      expect(out.notes).toBe(
        reviewed.findings.filter((f) => f.location).length +
          (reviewed.findings.some((f) => !f.location) ? 1 : 0),
      );
      expect(out.placements.filter((p) => p.anchor === 'trigger')).toHaveLength(
        reviewed.findings.filter((f) => f.location).length,
      );
      await checkCopy(reviewed, out.bytes);
      expect(fileHash(path)).toBe(hash);
    });
  }

  it('adds a comments part, its relationship and content type when the document has none', async () => {
    const reviewed = await review(join(FIXTURES, 'dsa-dental-catskill-ny-pct-collections.docx'));
    expect(openZip(reviewed.bytes).has('word/comments.xml')).toBe(false);
    const out = annotateDocx({ ...reviewed, date: DATE });
    expect(zipText(out.bytes, 'word/_rels/document.xml.rels')).toMatch(
      /<Relationship Id="rId\d+" Type="http:\/\/schemas\.openxmlformats\.org\/officeDocument\/2006\/relationships\/comments" Target="comments\.xml"\/><\/Relationships>$/,
    );
    expect(zipText(out.bytes, '[Content_Types].xml')).toContain(
      '<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>',
    );
  });

  it('is deterministic for a given date', async () => {
    const reviewed = await review(join(FIXTURES, 'msa-med-ortho-ny-clinical-pathways.docx'));
    const a = annotateDocx({ ...reviewed, date: DATE });
    const b = annotateDocx({ ...reviewed, date: DATE });
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
  });
});

/**
 * Word splits runs anywhere (spell-check marks, revision ids, formatting). Re-cut every run of a fixture
 * into pieces of a few characters — inside words — with proofErr and bookmark marks between them and a
 * tracked insertion around some, and the comments must still enclose the triggers exactly.
 */
function shredRuns(documentXml: string): string {
  let n = 0;
  return documentXml.replace(
    /<w:r>(<w:rPr>(?:(?!<\/w:rPr>)[\s\S])*<\/w:rPr>)?<w:t xml:space="preserve">([^<]*)<\/w:t><\/w:r>/g,
    (_all, rPr: string | undefined, text: string) => {
      // Pieces of up to 7 characters, never inside an entity ("&amp;").
      const tokens = text.match(/&[^;]+;|[\s\S]/g) ?? [];
      const pieces: string[] = [];
      for (let k = 0; k < tokens.length; k += 7) pieces.push(tokens.slice(k, k + 7).join(''));
      return pieces
        .map((piece) => {
          n++;
          const run = `<w:r w:rsidR="00AB${String(n % 10000).padStart(4, '0')}">${rPr ?? ''}<w:t xml:space="preserve">${piece}</w:t></w:r>`;
          const marks =
            n % 3 === 0
              ? '<w:proofErr w:type="spellStart"/>'
              : `<w:bookmarkStart w:id="${9000 + n}" w:name="_b${n}"/><w:bookmarkEnd w:id="${9000 + n}"/>`;
          return n % 5 === 0
            ? `${marks}<w:ins w:id="${50000 + n}" w:author="Opposing Counsel" w:date="2026-01-05T00:00:00Z">${run}</w:ins>`
            : `${marks}${run}`;
        })
        .join('');
    },
  );
}

describe('runs that split words, tracked insertions, entities', () => {
  it('anchors each comment on exactly the trigger text', async () => {
    const source = join(FIXTURES, 'msa-med-ortho-ny-clinical-pathways.docx');
    const zip = openZip(new Uint8Array(await import('node:fs').then((fs) => fs.readFileSync(source))));
    const documentXml = new TextDecoder().decode(zip.read('word/document.xml'));
    const shredded = shredRuns(documentXml);
    expect(shredded.split('<w:r ').length).toBeGreaterThan(documentXml.split('<w:r>').length * 5);
    const bytes = writeZip(
      zip.entries.map((e) =>
        e.name === 'word/document.xml' ? { name: e.name, data: shredded } : { raw: zip.raw(e) },
      ),
    );
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const dir = mkdtempSync(join((await import('node:os')).tmpdir(), 'cl-shred-'));
    const path = join(dir, 'shredded.docx');
    writeFileSync(path, bytes);
    const reviewed = await review(path, bytes);
    expect(reviewed.findings.filter((f) => f.location).length).toBeGreaterThanOrEqual(3);
    const out = annotateDocx({ ...reviewed, date: DATE });
    expect(out.placements.every((p) => p.anchor !== 'clause')).toBe(true);
    await checkCopy(reviewed, out.bytes);
    // The trigger's exact words, not whole runs: the first and last characters are the trigger's.
    const ranges = commentRanges(zipText(out.bytes, 'word/document.xml'));
    const ours = wordComments(zipText(out.bytes, 'word/comments.xml')).filter(
      (c) => c.author === 'contract-lint',
    );
    for (const c of ours) {
      const finding = reviewed.findings.find((f) => f.location && c.text.includes(`Rule: ${f.ruleId}`));
      if (!finding) continue;
      expect((ranges.get(c.id) ?? '').replace(/\s+/g, ' ').trim()).toBe(
        triggerOf(reviewed.contract, finding).replace(/\s+/g, ' ').trim(),
      );
    }
  });
});

describe('ISO/IEC 29500 Strict documents', () => {
  it('get comments in the Strict namespace, with a Strict relationship', async () => {
    const source = join(FIXTURES, 'dsa-dental-catskill-ny-pct-collections.docx');
    const { readFileSync, mkdtempSync, writeFileSync } = await import('node:fs');
    const zip = openZip(new Uint8Array(readFileSync(source)));
    const strict = (xml: string) =>
      xml
        .replaceAll(
          'http://schemas.openxmlformats.org/wordprocessingml/2006/main',
          'http://purl.oclc.org/ooxml/wordprocessingml/main',
        )
        .replaceAll(
          'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
          'http://purl.oclc.org/ooxml/officeDocument/relationships',
        );
    const bytes = writeZip(
      zip.entries.map((e) =>
        /\.(xml|rels)$/.test(e.name)
          ? { name: e.name, data: strict(new TextDecoder().decode(zip.read(e))) }
          : { raw: zip.raw(e) },
      ),
    );
    const dir = mkdtempSync(join((await import('node:os')).tmpdir(), 'cl-strict-'));
    const path = join(dir, 'strict.docx');
    writeFileSync(path, bytes);
    const reviewed = await review(path, bytes);
    const out = annotateDocx({ ...reviewed, date: DATE });
    expect(zipText(out.bytes, 'word/comments.xml')).toContain(
      '<w:comments xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main">',
    );
    expect(zipText(out.bytes, 'word/_rels/document.xml.rels')).toContain(
      'Type="http://purl.oclc.org/ooxml/officeDocument/relationships/comments"',
    );
    expect(await rawLines(out.bytes)).toBe(await rawLines(bytes));
    expect(out.placements.filter((p) => p.anchor === 'trigger')).toHaveLength(
      reviewed.findings.filter((f) => f.location).length,
    );
  });
});
