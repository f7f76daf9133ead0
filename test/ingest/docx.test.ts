import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { renderDocx } from '../../scripts/render/docx.js';
import { type AgreementSource, acceptedWords, parseSource } from '../../scripts/render/source.js';
import { extractTextWithMammoth, readDocx } from '../../src/ingest/docx.js';
import { formatNumber } from '../../src/ingest/docx-numbering.js';
import { type RawLine, ReadError, type ReadErrorCode } from '../../src/model.js';
import { childElements, parseXml } from '../../src/util/xml.js';
import { openZip, writeZip } from '../../src/util/zip.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures');

// ─── helpers ───────────────────────────────────────────────────────────────────

const NS = [
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"',
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"',
  'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"',
  'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"',
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"',
  'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"',
  'xmlns:v="urn:schemas-microsoft-com:vml"',
].join(' ');
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

interface Parts {
  body: string;
  styles?: string;
  numbering?: string;
  footnotes?: string;
  endnotes?: string;
  comments?: string;
  /** Replaces the whole document.xml. */
  documentXml?: string;
}

/** A minimal package around hand-written WordprocessingML. */
function buildDocx(parts: Parts): Uint8Array {
  const wrapped: [string, string, string | undefined][] = [
    ['styles', 'w:styles', parts.styles],
    ['numbering', 'w:numbering', parts.numbering],
    ['footnotes', 'w:footnotes', parts.footnotes],
    ['endnotes', 'w:endnotes', parts.endnotes],
    ['comments', 'w:comments', parts.comments],
  ];
  const present = wrapped.filter(([, , xml]) => xml !== undefined);
  const rels = present
    .map(([name], i) => `<Relationship Id="rId${i + 1}" Type="${REL}/${name}" Target="${name}.xml"/>`)
    .join('');
  return writeZip([
    {
      name: '[Content_Types].xml',
      data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    },
    {
      name: '_rels/.rels',
      data: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="word/document.xml"/></Relationships>`,
    },
    {
      name: 'word/document.xml',
      data:
        parts.documentXml ??
        `<?xml version="1.0"?><w:document ${NS}><w:body>${parts.body}</w:body></w:document>`,
    },
    {
      name: 'word/_rels/document.xml.rels',
      data: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`,
    },
    ...present.map(([name, root, xml]) => ({
      name: `word/${name}.xml`,
      data: `<${root} ${NS}>${xml}</${root}>`,
    })),
  ]);
}

const r = (text: string, rPr = '') =>
  `<w:r>${rPr ? `<w:rPr>${rPr}</w:rPr>` : ''}<w:t xml:space="preserve">${text}</w:t></w:r>`;
const p = (text: string, pPr = '') =>
  `<w:p>${pPr ? `<w:pPr>${pPr}</w:pPr>` : ''}${text ? r(text) : ''}</w:p>`;
const np = (numId: number, ilvl: number, text: string) =>
  p(text, `<w:numPr><w:ilvl w:val="${ilvl}"/><w:numId w:val="${numId}"/></w:numPr>`);
const lvl = (ilvl: number, fmt: string, text: string, extra = '') =>
  `<w:lvl w:ilvl="${ilvl}"><w:start w:val="1"/><w:numFmt w:val="${fmt}"/>${extra}<w:lvlText w:val="${text}"/></w:lvl>`;

async function read(bytes: Uint8Array): Promise<RawLine[]> {
  const raw = await readDocx(bytes, 'test.docx');
  return raw.pages.flatMap((page) => page.lines);
}

async function texts(bytes: Uint8Array): Promise<string[]> {
  return (await read(bytes)).map((line) => line.text);
}

async function numbers(bytes: Uint8Array): Promise<(string | undefined)[]> {
  return (await read(bytes)).map((line) => line.autoNumber);
}

async function expectReadError(
  bytes: Uint8Array,
  code: ReadErrorCode,
  message?: RegExp,
  options?: Parameters<typeof readDocx>[2],
) {
  const error = await readDocx(bytes, 'deal.docx', options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReadError);
  expect((error as ReadError).code).toBe(code);
  if (message) expect((error as ReadError).message).toMatch(message);
}

function source(body: string, docx = 'numbering: auto'): AgreementSource {
  const meta = `render: [docx]\ndocx:\n  ${docx.split('\n').join('\n  ')}\n  header: "RUNNING HEADER XYZZY"\n  footer: "Page {page} of {pages}"`;
  return parseSource('inline', `---\n${meta}\n---\n${body.trim()}\n`);
}

function fixtureSource(name: string): AgreementSource {
  return parseSource(name, readFileSync(join(FIXTURES, 'sources', `${name}.contract`), 'utf8'));
}

/** A minimal OLE compound file whose directory lists the given streams. */
function compoundFile(streams: string[]): Uint8Array {
  const out = new Uint8Array(512 * 3);
  const v = new DataView(out.buffer);
  out.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0);
  v.setUint16(0x18, 0x3e, true);
  v.setUint16(0x1a, 3, true);
  v.setUint16(0x1c, 0xfffe, true);
  v.setUint16(0x1e, 9, true);
  v.setUint16(0x20, 6, true);
  v.setUint32(0x2c, 1, true); // one FAT sector
  v.setUint32(0x30, 1, true); // directory starts in sector 1
  v.setUint32(0x38, 4096, true);
  v.setUint32(0x3c, 0xfffffffe, true);
  v.setUint32(0x44, 0xfffffffe, true);
  for (let i = 0; i < 109; i++) v.setUint32(0x4c + i * 4, i === 0 ? 0 : 0xffffffff, true);
  for (let i = 0; i < 128; i++) v.setUint32(512 + i * 4, 0xffffffff, true);
  v.setUint32(512, 0xfffffffd, true); // sector 0: FAT
  v.setUint32(516, 0xfffffffe, true); // sector 1: end of the directory chain
  ['Root Entry', ...streams].forEach((name, i) => {
    const e = 1024 + i * 128;
    for (let k = 0; k < name.length; k++) v.setUint16(e + k * 2, name.charCodeAt(k), true);
    v.setUint16(e + 0x40, (name.length + 1) * 2, true);
    out[e + 0x42] = i === 0 ? 5 : 2;
  });
  return out;
}

// ─── numbering (hand-built numbering.xml) ──────────────────────────────────────

describe('Word automatic numbering', () => {
  it('legal numbering (w:isLgl) shows a roman article as a decimal in "%1.%2"', async () => {
    const numbering = `
      <w:abstractNum w:abstractNumId="0">${lvl(0, 'upperRoman', 'ARTICLE %1')}${lvl(1, 'decimal', '%1.%2', '<w:isLgl/>')}</w:abstractNum>
      <w:abstractNum w:abstractNumId="1">${lvl(0, 'upperRoman', 'ARTICLE %1')}${lvl(1, 'decimal', '%1.%2')}</w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>`;
    const body = [
      np(1, 0, 'A'),
      np(1, 1, 'B'),
      np(1, 1, 'C'),
      np(1, 0, 'D'),
      np(1, 1, 'E'),
      np(2, 0, 'F'),
      np(2, 1, 'G'),
    ];
    const lines = await read(buildDocx({ body: body.join(''), numbering }));
    expect(lines.map((l) => l.autoNumber)).toEqual([
      'ARTICLE I',
      '1.1',
      '1.2',
      'ARTICLE II',
      '2.1',
      'ARTICLE I',
      'I.1',
    ]);
    expect(lines[1]?.text).toBe('1.1 B');
  });

  it('keeps the own level format under isLgl ("Section 1.01", Word\'s Article/Section list)', async () => {
    const numbering = `<w:abstractNum w:abstractNumId="0">${lvl(0, 'upperRoman', 'Article %1.')}${lvl(1, 'decimalZero', 'Section %1.%2', '<w:isLgl/>')}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`;
    expect(
      await numbers(
        buildDocx({ body: np(1, 0, 'a') + np(1, 1, 'b') + np(1, 0, 'c') + np(1, 1, 'd'), numbering }),
      ),
    ).toEqual(['Article I.', 'Section 1.01', 'Article II.', 'Section 2.01']);
  });

  it('honours w:lvlRestart (restart only after the named level; 0 = never)', async () => {
    const numbering = `<w:abstractNum w:abstractNumId="0">
      ${lvl(0, 'decimal', '%1.')}${lvl(1, 'decimal', '%1.%2')}
      ${lvl(2, 'lowerLetter', '(%3)', '<w:lvlRestart w:val="1"/>')}
      ${lvl(3, 'lowerRoman', '(%4)', '<w:lvlRestart w:val="0"/>')}
      </w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`;
    const levels = [0, 1, 2, 3, 1, 2, 3, 0, 2, 3];
    const body = levels.map((l, i) => np(1, l, `p${i}`)).join('');
    expect(await numbers(buildDocx({ body, numbering }))).toEqual([
      '1.',
      '1.1',
      '(a)',
      '(i)',
      '1.2',
      '(b)', // level 1 does not restart level 2 (lvlRestart 1 = only level 0)
      '(ii)', // never restarts
      '2.',
      '(a)',
      '(iii)',
    ]);
  });

  it('shares counters between w:num instances of one abstractNum; w:startOverride restarts', async () => {
    const numbering = `<w:abstractNum w:abstractNumId="0">${lvl(0, 'decimal', '%1.')}</w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
      <w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="4"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="10"/></w:lvlOverride></w:num>`;
    const body = [
      np(1, 0, 'a'),
      np(1, 0, 'b'),
      np(2, 0, 'c'),
      np(2, 0, 'd'),
      np(3, 0, 'e'),
      np(1, 0, 'f'),
      np(4, 0, 'g'),
    ];
    expect(await numbers(buildDocx({ body: body.join(''), numbering }))).toEqual([
      '1.',
      '2.',
      '1.',
      '2.',
      '3.',
      '4.',
      '10.',
    ]);
  });

  it('replaces a level with w:lvlOverride/w:lvl for that num only', async () => {
    const numbering = `<w:abstractNum w:abstractNumId="0">${lvl(0, 'decimal', '%1.')}</w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>${lvl(0, 'upperLetter', 'Exhibit %1')}</w:lvlOverride></w:num>`;
    expect(
      await numbers(buildDocx({ body: np(1, 0, 'x') + np(2, 0, 'y') + np(2, 0, 'z'), numbering })),
    ).toEqual(['1.', 'Exhibit A', 'Exhibit B']);
  });

  it('numbers paragraphs through their style (w:pStyle → style w:numPr, level from w:lvl/w:pStyle)', async () => {
    const styles = `
      <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>
      <w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="ListA"><w:name w:val="List A"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="ListA2"><w:name w:val="List A 2"/><w:basedOn w:val="ListA"/></w:style>`;
    const numbering = `<w:abstractNum w:abstractNumId="0">
      ${lvl(0, 'upperRoman', 'ARTICLE %1', '<w:pStyle w:val="Heading1"/>')}
      ${lvl(1, 'decimal', '%1.%2', '<w:isLgl/>')}
      ${lvl(2, 'lowerLetter', '(%3)', '<w:pStyle w:val="ListA"/>')}
      </w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`;
    const styled = (style: string, text: string, extra = '') =>
      p(text, `<w:pStyle w:val="${style}"/>${extra}`);
    const body = [
      styled('Heading1', 'GENERAL'),
      styled('Heading2', 'Scope.'),
      styled('ListA', 'alpha'),
      styled('ListA2', 'beta'), // basedOn ListA: inherits the numbering
      styled('Heading2', 'Term.'),
      styled('ListA', 'gamma'),
      styled('Heading1', 'Unnumbered heading', '<w:numPr><w:numId w:val="0"/></w:numPr>'),
      styled('Heading1', 'FEES'),
    ].join('');
    const lines = await read(buildDocx({ body, styles, numbering }));
    expect(lines.map((l) => l.text)).toEqual([
      'ARTICLE I GENERAL',
      '1.1 Scope.',
      '(a) alpha',
      '(b) beta',
      '1.2 Term.',
      '(a) gamma',
      'Unnumbered heading',
      'ARTICLE II FEES',
    ]);
    expect(lines[0]).toMatchObject({ headingLevel: 1, bold: true, autoNumber: 'ARTICLE I' });
    expect(lines[1]?.headingLevel).toBe(2);
    expect(lines[6]).toMatchObject({ headingLevel: 1 });
    expect(lines[6]?.autoNumber).toBeUndefined();
  });

  it('follows w:numStyleLink to the abstractNum that defines the levels', async () => {
    const styles = `<w:style w:type="numbering" w:styleId="LegalList"><w:name w:val="Legal List"/><w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style>`;
    const numbering = `
      <w:abstractNum w:abstractNumId="5"><w:styleLink w:val="LegalList"/>${lvl(0, 'decimal', 'Section %1')}</w:abstractNum>
      <w:abstractNum w:abstractNumId="6"><w:numStyleLink w:val="LegalList"/></w:abstractNum>
      <w:num w:numId="7"><w:abstractNumId w:val="5"/></w:num>
      <w:num w:numId="8"><w:abstractNumId w:val="6"/></w:num>`;
    expect(await numbers(buildDocx({ body: np(8, 0, 'x') + np(7, 0, 'y'), styles, numbering }))).toEqual([
      'Section 1',
      'Section 2',
    ]);
  });

  it('handles bullets, none, missing w:start, suffixes and unknown nums', async () => {
    const numbering = `<w:abstractNum w:abstractNumId="0">
      ${lvl(0, 'bullet', '•')}
      <w:lvl w:ilvl="1"><w:numFmt w:val="decimal"/><w:lvlText w:val="%2)"/><w:suff w:val="nothing"/></w:lvl>
      ${lvl(2, 'none', '')}
      </w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`;
    const lines = await read(
      buildDocx({
        body: np(1, 0, 'bullet') + np(1, 1, 'zero') + np(1, 2, 'none') + np(99, 0, 'unknown'),
        numbering,
      }),
    );
    expect(lines.map((l) => [l.autoNumber, l.text])).toEqual([
      [undefined, 'bullet'],
      ['0)', '0) zero'], // ECMA-376: without w:start the level starts at 0
      [undefined, 'none'],
      [undefined, 'unknown'],
    ]);
  });

  it('reads w:numFmt wrapped in mc:AlternateContent (custom zero-padded formats)', async () => {
    const numbering = `<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="7"/>
      <mc:AlternateContent><mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="001, 002, 003, ..."/></mc:Choice><mc:Fallback><w:numFmt w:val="decimal"/></mc:Fallback></mc:AlternateContent>
      <w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`;
    expect(await numbers(buildDocx({ body: np(1, 0, 'x'), numbering }))).toEqual(['007.']);
  });

  it('formats numbers like Word', () => {
    expect(formatNumber(5, 'decimalZero')).toBe('05');
    expect(formatNumber(12, 'decimalZero')).toBe('12');
    expect(formatNumber(4, 'lowerRoman')).toBe('iv');
    expect(formatNumber(14, 'upperRoman')).toBe('XIV');
    expect(formatNumber(27, 'upperLetter')).toBe('AA');
    expect(formatNumber(28, 'lowerLetter')).toBe('bb');
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 111].map((n) => formatNumber(n, 'ordinal'))).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '111th',
    ]);
    expect(formatNumber(21, 'cardinalText')).toBe('Twenty-one');
    expect(formatNumber(3, 'ordinalText')).toBe('Third');
    expect(formatNumber(20, 'ordinalText')).toBe('Twentieth');
    expect(formatNumber(42, 'ordinalText')).toBe('Forty-second');
    expect(formatNumber(7, 'custom', '001, 002, 003, ...')).toBe('007');
    expect(formatNumber(4000, 'upperRoman')).toBe('4000');
    expect(formatNumber(3, 'bullet')).toBe('');
    expect(formatNumber(3, 'hebrew1')).toBe('3');
  });
});

// ─── text fidelity ─────────────────────────────────────────────────────────────

describe('text fidelity', () => {
  it('reads tabs, breaks, symbols, hyphens, quotes, fields, hyperlinks, content controls and smart tags', async () => {
    const field = (instr: string, result: string) =>
      `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">${instr}</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>${r(result)}<w:r><w:fldChar w:fldCharType="end"/></w:r>`;
    const body = [
      `<w:p>${r('Tab')}<w:r><w:tab/></w:r>${r('after')}</w:p>`,
      `<w:p><w:r><w:t>line one</w:t><w:br/><w:t>line two</w:t><w:br w:type="page"/><w:t>next page</w:t></w:r></w:p>`,
      `<w:p><w:r><w:t>co</w:t><w:softHyphen/><w:t xml:space="preserve">operate non</w:t><w:noBreakHyphen/><w:t xml:space="preserve">compete </w:t><w:sym w:font="Symbol" w:char="F0B3"/><w:t xml:space="preserve"> 5 </w:t><w:sym w:font="Wingdings" w:char="F0FE"/></w:r></w:p>`,
      p('“Manager” means Manager’s designee'),
      `<w:p>${r('See page ')}${field(' PAGEREF _Ref1 \\h ', '7')}${r(' and ')}<w:fldSimple w:instr=" DOCPROPERTY Client "><w:r><w:t>Acme</w:t></w:r></w:fldSimple></w:p>`,
      // nested field: the inner field sits in the outer field's code and is not displayed
      `<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">IF </w:instrText></w:r>${field('MERGEFIELD a', 'inner')}<w:r><w:instrText xml:space="preserve"> = 1 "yes" "no"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>${r('yes')}<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`,
      `<w:p><w:hyperlink r:id="rId99"><w:r><w:t>www.example.com</w:t></w:r></w:hyperlink></w:p>`,
      `<w:sdt><w:sdtPr><w:alias w:val="Party"/><w:placeholder><w:docPart w:val="x"/></w:placeholder></w:sdtPr><w:sdtContent>${p('Content control text')}</w:sdtContent></w:sdt>`,
      `<w:p>${r('Name: ')}<w:sdt><w:sdtPr><w:text/></w:sdtPr><w:sdtContent>${r('Jane Roe')}</w:sdtContent></w:sdt></w:p>`,
      `<w:p><w:smartTag w:uri="urn:x" w:element="place"><w:smartTagPr><w:attr w:name="n" w:val="v"/></w:smartTagPr>${r('Austin')}</w:smartTag>${r(', Texas')}</w:p>`,
      `<w:p>${r('Visible ')}${r('hidden', '<w:vanish/>')}</w:p>`,
      `<w:p><w:customXml w:element="clause"><w:customXmlPr/>${r('custom XML text')}</w:customXml></w:p>`,
    ].join('');
    expect(await texts(buildDocx({ body }))).toEqual([
      'Tab\tafter',
      'line one\nline two next page',
      'cooperate non-compete ≥ 5 ☑',
      '“Manager” means Manager’s designee',
      'See page 7 and Acme',
      'yes',
      'www.example.com',
      'Content control text',
      'Name: Jane Roe',
      'Austin, Texas',
      'Visible',
      'custom XML text',
    ]);
  });

  it('takes one branch of mc:AlternateContent and puts text boxes after their anchor paragraph', async () => {
    const box = `<w:txbxContent>${p('Box text')}</w:txbxContent>`;
    const body = `<w:p>${r('Anchor paragraph')}<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>${box}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>${box}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>${r(' continues')}</w:p>${p('Next paragraph')}`;
    expect(await texts(buildDocx({ body }))).toEqual([
      'Anchor paragraph continues',
      'Box text',
      'Next paragraph',
    ]);
  });

  it('resolves namespace prefixes instead of assuming "w:"', async () => {
    const documentXml = `<ns0:document xmlns:ns0="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><ns0:body><ns0:p><ns0:r><ns0:t>Prefix-independent</ns0:t></ns0:r></ns0:p></ns0:body></ns0:document>`;
    expect(await texts(buildDocx({ body: '', documentXml }))).toEqual(['Prefix-independent']);
    const strict = `<document xmlns="http://purl.oclc.org/ooxml/wordprocessingml/main"><body><p><r><t>Strict OOXML</t></r></p></body></document>`;
    expect(await texts(buildDocx({ body: '', documentXml: strict }))).toEqual(['Strict OOXML']);
  });

  it('sets headingLevel from Heading N styles and outline levels, and bold when every run is bold', async () => {
    const styles = `
      <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
      <w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/></w:style>
      <w:style w:type="paragraph" w:styleId="ClauseHead"><w:name w:val="Clause Head"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>
      <w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>`;
    const body = [
      p('Heading two', '<w:pStyle w:val="Heading2"/>'),
      p('Outline zero', '<w:outlineLvl w:val="0"/>'),
      p('Clause head', '<w:pStyle w:val="ClauseHead"/>'),
      p('Body outline', '<w:outlineLvl w:val="9"/>'),
      `<w:p>${r('All ', '<w:b/>')}${r('bold', '<w:rStyle w:val="Strong"/>')}</w:p>`,
      `<w:p>${r('Mixed ', '<w:b/>')}${r('weight')}</w:p>`,
      `<w:p><w:pPr><w:pStyle w:val="ClauseHead"/></w:pPr>${r('Not bold', '<w:b w:val="0"/>')}</w:p>`,
    ].join('');
    const lines = await read(buildDocx({ body, styles }));
    expect(lines.map((l) => [l.headingLevel, l.bold ?? false])).toEqual([
      [2, false],
      [1, false],
      [3, true],
      [undefined, false],
      [undefined, true],
      [undefined, false],
      [3, false],
    ]);
  });
});

// ─── tables, notes, tracked changes ────────────────────────────────────────────

describe('tables, notes and tracked changes', () => {
  it('reads one line per row, cells joined by " | ", merged cells not duplicated', async () => {
    const tc = (text: string, tcPr = '') =>
      `<w:tc>${tcPr ? `<w:tcPr>${tcPr}</w:tcPr>` : ''}${p(text)}</w:tc>`;
    const table = `<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>
      <w:tr>${tc('Component')}${tc('Rate')}${tc('Timing')}</w:tr>
      <w:tr>${tc('Management fee', '<w:vMerge w:val="restart"/>')}${tc('35% of Collections')}${tc('monthly')}</w:tr>
      <w:tr>${tc('', '<w:vMerge/>')}${tc('40% above target')}${tc('quarterly')}</w:tr>
      <w:tr>${tc('Total', '<w:gridSpan w:val="2"/>')}${tc('n/a')}</w:tr>
      <w:tr>${tc('')}${tc('')}${tc('')}</w:tr>
      <w:tr><w:tc>${p('Outer')}<w:tbl><w:tr>${tc('x')}${tc('y')}</w:tr></w:tbl></w:tc>${tc('two')}<w:tc>${p('three')}${p('lines')}</w:tc></w:tr>
      </w:tbl>`;
    const lines = await read(buildDocx({ body: p('Before') + table + p('After') }));
    expect(lines.map((l) => [l.role, l.text])).toEqual([
      ['body', 'Before'],
      ['table', 'Component | Rate | Timing'],
      ['table', 'Management fee | 35% of Collections | monthly'],
      ['table', '| 40% above target | quarterly'],
      ['table', 'Total | n/a'],
      ['table', 'Outer x | y | two | three lines'],
      ['body', 'After'],
    ]);
    expect(lines.every((l) => l.paragraph && l.page === 1)).toBe(true);
  });

  it('places footnotes after the paragraph (or table) that references them, unreferenced notes at the end', async () => {
    const ref = (kind: 'footnote' | 'endnote', id: number) =>
      `<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:${kind}Reference w:id="${id}"/></w:r>`;
    const note = (kind: string, id: number, text: string) =>
      `<w:${kind} w:id="${id}"><w:p><w:r><w:${kind}Ref/></w:r>${r(` ${text}`)}</w:p></w:${kind}>`;
    const footnotes = `<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>${note('footnote', 1, 'First note.')}${note('footnote', 2, 'Table note.')}${note('footnote', 3, 'Orphan note.')}`;
    const endnotes = note('endnote', 1, 'End note.');
    const body = [
      `<w:p>${r('Referenced here.')}${ref('footnote', 1)}</w:p>`,
      p('Plain paragraph.'),
      `<w:p>${r('Endnote here.')}${ref('endnote', 1)}${ref('footnote', 1)}</w:p>`,
      `<w:tbl><w:tr><w:tc><w:p>${r('Cell')}${ref('footnote', 2)}</w:p></w:tc></w:tr></w:tbl>`,
      p('Last paragraph.'),
    ].join('');
    const lines = await read(buildDocx({ body, footnotes, endnotes }));
    expect(lines.map((l) => [l.role, l.text])).toEqual([
      ['body', 'Referenced here.'],
      ['footnote', 'First note.'],
      ['body', 'Plain paragraph.'],
      ['body', 'Endnote here.'],
      ['footnote', 'End note.'],
      ['table', 'Cell'],
      ['footnote', 'Table note.'],
      ['body', 'Last paragraph.'],
      ['footnote', 'Orphan note.'],
    ]);
  });

  it('reads tracked changes as accepted and counts revisions and comments', async () => {
    const ins = (id: number, inner: string, author = 'A') =>
      `<w:ins w:id="${id}" w:author="${author}" w:date="2026-01-01T00:00:00Z">${inner}</w:ins>`;
    const del = (id: number, text: string, author = 'A') =>
      `<w:del w:id="${id}" w:author="${author}" w:date="2026-01-01T00:00:00Z"><w:r><w:delText xml:space="preserve">${text}</w:delText></w:r></w:del>`;
    const body = [
      // one deletion, and one insertion split into two w:ins elements (counted once)
      `<w:p>${r('Fee is ')}${del(1, 'ten')}${ins(2, r('five') + r(' percent', '<w:b/>'))}${ins(3, r(' only'))}${r('.')}</w:p>`,
      // deleted paragraph mark: merges with the next paragraph
      `<w:p><w:pPr><w:rPr><w:del w:id="4" w:author="B" w:date="2026-01-02T00:00:00Z"/></w:rPr></w:pPr>${r('First half')}</w:p>`,
      p(' second half.'),
      // a move: the text appears only at its destination
      `<w:p><w:pPr><w:rPr><w:moveFrom w:id="5" w:author="C" w:date="2026-01-03T00:00:00Z"/></w:rPr></w:pPr><w:moveFrom w:id="6" w:author="C" w:date="2026-01-03T00:00:00Z">${r('Moved clause.')}</w:moveFrom></w:p>`,
      p('Between.'),
      `<w:p><w:moveTo w:id="7" w:author="C" w:date="2026-01-03T00:00:00Z">${r('Moved clause.')}</w:moveTo></w:p>`,
      // a formatting change
      `<w:p><w:r><w:rPr><w:b/><w:rPrChange w:id="8" w:author="A" w:date="2026-01-01T00:00:00Z"><w:rPr/></w:rPrChange></w:rPr><w:t>Bolded</w:t></w:r></w:p>`,
      // a deleted table row
      `<w:tbl><w:tr><w:tc>${p('kept row')}</w:tc></w:tr><w:tr><w:trPr><w:del w:id="9" w:author="T" w:date="2026-01-04T00:00:00Z"/></w:trPr><w:tc>${p('deleted row')}</w:tc></w:tr></w:tbl>`,
      // comments: anchored ranges, their text is not part of the agreement
      `<w:p><w:commentRangeStart w:id="0"/>${r('Commented text.')}<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r><w:commentRangeStart w:id="1"/><w:commentRangeEnd w:id="1"/><w:r><w:commentReference w:id="1"/></w:r></w:p>`,
    ].join('');
    const comments = `<w:comment w:id="0" w:author="R"><w:p>${r('COMMENT ONE')}</w:p></w:comment><w:comment w:id="1" w:author="R"><w:p>${r('COMMENT TWO')}</w:p></w:comment>`;
    const raw = await readDocx(buildDocx({ body, comments }), 'redline.docx');
    expect(raw.pages[0]?.lines.map((l) => l.text)).toEqual([
      'Fee is five percent only.',
      'First half second half.',
      'Between.',
      'Moved clause.',
      'Bolded',
      'kept row',
      'Commented text.',
    ]);
    expect(raw.revisions).toEqual({ insertions: 1, deletions: 3, comments: 2, other: 3 });
    expect(raw.notes.join(' ')).toMatch(/unaccepted revisions .*read as if all changes were accepted/);
  });

  it('reports no revisions for a clean document', async () => {
    const raw = await readDocx(buildDocx({ body: p('Clean.') }), 'clean.docx');
    expect(raw.revisions).toEqual({ insertions: 0, deletions: 0, comments: 0, other: 0 });
    expect(raw.notes).toEqual([]);
    expect(raw.format).toBe('docx');
    expect(raw.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

// ─── round trips through renderDocx ────────────────────────────────────────────

describe('renderDocx → readDocx', () => {
  const SECTIONS = `
ARTICLE I **GENERAL**

Section 1.01 **First.** The first section.

Section 1.02 **Second.** The second section:

(a) alpha;

(b) beta.

ARTICLE II **MORE**

Section 2.01 **Third.** The third section:

(A) upper one;

(B) upper two:

(1) digit one.
`;

  it('reproduces ARTICLE %1 / Section %1.%2 (legal, zero-padded) / (%3) / (A) / (1) numbering', async () => {
    const bytes = await renderDocx(source(SECTIONS));
    const lines = await read(bytes);
    expect(lines.map((l) => l.autoNumber)).toEqual([
      'ARTICLE I',
      'Section 1.01',
      'Section 1.02',
      '(a)',
      '(b)',
      'ARTICLE II',
      'Section 2.01',
      '(A)',
      '(B)',
      '(1)',
    ]);
    expect(lines[1]?.text).toBe('Section 1.01 First. The first section.');
    const numbering = openZip(bytes).readText('word/numbering.xml');
    expect(numbering).toContain(
      '<w:numFmt w:val="decimalZero"/><w:isLgl/><w:suff w:val="tab"/><w:lvlText w:val="Section %1.%2"/>',
    );
    // the text Word shows has no typed numbers left
    expect(openZip(bytes).readText('word/document.xml')).not.toMatch(/Section 1\.01|\(a\)|ARTICLE I\b/);
  });

  it('keeps typed numbers in the text with numbering: typed', async () => {
    const bytes = await renderDocx(source(SECTIONS, 'numbering: typed'));
    const lines = await read(bytes);
    expect(lines.every((l) => l.autoNumber === undefined)).toBe(true);
    expect(lines.map((l) => l.text)).toEqual(
      (await read(await renderDocx(source(SECTIONS)))).map((l) => l.text),
    );
    expect(openZip(bytes).has('word/numbering.xml')).toBe(false);
    expect(lines[0]).toMatchObject({ text: 'ARTICLE I GENERAL', headingLevel: 1 });
  });

  it('restarts exhibit lists with their own w:num and w:startOverride', async () => {
    const bytes = await renderDocx(
      source(`
1. **FIRST**

1.1 A body section.

1.2 Another body section.

2. **SECOND**

2.1 Last body section.

**EXHIBIT A**

1. Alpha item.

2. Beta item.

**EXHIBIT B**

1. Gamma item.

(a) sub item;

(b) another sub item.

2. Delta item.
`),
    );
    const lines = await read(bytes);
    expect(lines.map((l) => l.autoNumber ?? l.text)).toEqual([
      '1.',
      '1.1',
      '1.2',
      '2.',
      '2.1',
      'EXHIBIT A',
      '1.',
      '2.',
      'EXHIBIT B',
      '1.',
      '(a)',
      '(b)',
      '2.',
    ]);
    const numbering = parseXml(openZip(bytes).readText('word/numbering.xml'));
    const nums = childElements(numbering, 'w:num');
    expect(nums).toHaveLength(3); // body, Exhibit A, Exhibit B
    expect(childElements(nums[2]!, 'w:lvlOverride').length).toBeGreaterThan(0);
    // top-level headings are numbered through the Heading 1 style
    expect(openZip(bytes).readText('word/styles.xml')).toMatch(
      /w:styleId="Heading1">.*<w:numPr><w:numId w:val="1"\/><\/w:numPr>/,
    );
  });

  it('numbers "Section 2.01" without ARTICLE paragraphs (a w:num per first number, startOverride on level 0)', async () => {
    const bytes = await renderDocx(
      source(`
Section 1.01 First.

(a) alpha;

(b) beta.

Section 1.02 Second.

Section 2.01 Third:

(a) gamma.

Section 3.01 Fourth.
`),
    );
    expect(await numbers(bytes)).toEqual([
      'Section 1.01',
      '(a)',
      '(b)',
      'Section 1.02',
      'Section 2.01',
      '(a)',
      'Section 3.01',
    ]);
    const nums = childElements(parseXml(openZip(bytes).readText('word/numbering.xml')), 'w:num');
    expect(nums).toHaveLength(3);
    for (const num of nums) expect(childElements(num, 'w:lvlOverride')[0]?.attrs['w:ilvl']).toBe('0');
  });

  it('refuses to render numbering Word would display differently', async () => {
    await expect(renderDocx(source('ARTICLE I **A**\n\n1.1 One.\n\n1.3 Three.'))).rejects.toThrow(
      /would display "1\.2" where the source says "1\.3"/,
    );
  });

  it('drops headers and footers, and renders deterministic bytes', async () => {
    const a = await renderDocx(source(SECTIONS));
    const b = await renderDocx(source(SECTIONS));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const zip = openZip(a);
    expect(zip.readText('word/header1.xml')).toContain('RUNNING HEADER XYZZY');
    expect(zip.readText('word/footer1.xml')).toContain('NUMPAGES');
    const all = (await texts(a)).join('\n');
    expect(all).not.toContain('XYZZY');
    expect(all).not.toMatch(/Page \d/);
  });
});

// ─── fixtures ──────────────────────────────────────────────────────────────────

/** Our reading as mammoth would give it: no generated numbers, one paragraph per table cell, no notes. */
function asMammothParagraphs(lines: RawLine[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (line.role === 'footnote') continue;
    if (line.role === 'table') out.push(...line.text.split(' | '));
    else out.push(line.autoNumber ? line.text.slice(line.autoNumber.length).trimStart() : line.text);
  }
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

const words = (lines: RawLine[]) =>
  lines.flatMap((l) => l.text.split(/\s+/).filter((w) => w !== '' && !(l.role === 'table' && w === '|')));

const OWN_FIXTURES = ['dsa-brightsmile-auto-numbered', 'asa-harborview-legal-numbering'];

/** Every fixture source rendered to DOCX. */
const DOCX_FIXTURES = readdirSync(join(FIXTURES, 'sources'))
  .filter((file) => file.endsWith('.contract'))
  .map((file) => file.replace(/\.contract$/, ''))
  .filter((name) => fixtureSource(name).meta.render.includes('docx'));

it('covers the DOCX fixtures written for this reader', () => {
  expect(DOCX_FIXTURES).toEqual(expect.arrayContaining(OWN_FIXTURES));
});

describe.each(DOCX_FIXTURES)('fixture %s', (name) => {
  const src = fixtureSource(name);
  const rendered = renderDocx(src);

  it('reads back every word of the source, in order, with changes accepted', async () => {
    const lines = await read(await rendered);
    const bodyWords = words(lines.filter((l) => l.role !== 'footnote'));
    const noteWords = words(lines.filter((l) => l.role === 'footnote'));
    const expected = acceptedWords({ ...src, blocks: src.blocks.filter((b) => b.kind !== 'footnote') });
    const expectedNotes = acceptedWords({ ...src, blocks: src.blocks.filter((b) => b.kind === 'footnote') });
    expect(bodyWords).toEqual(expected);
    expect(noteWords).toEqual(expectedNotes);
  });

  it('agrees with mammoth once generated numbers are taken out', async () => {
    const bytes = await rendered;
    const ours = asMammothParagraphs(await read(bytes));
    const theirs = (await extractTextWithMammoth(bytes))
      .split(/\n\n/)
      .map((t) => t.trim())
      .filter((t) => t !== '');
    expect(ours).toEqual(theirs);
  });

  it('writes well-formed XML parts whose relationships and content types resolve', async () => {
    const zip = openZip(await rendered);
    const names = zip.entries.map((e) => e.name);
    for (const entry of zip.entries) expect(() => parseXml(zip.readText(entry)), entry.name).not.toThrow();
    const types = parseXml(zip.readText('[Content_Types].xml'));
    const overrides = childElements(types)
      .filter((el) => el.name === 'Override')
      .map((el) => el.attrs.PartName?.slice(1));
    for (const name of names.filter((n) => !n.endsWith('.rels') && n !== '[Content_Types].xml')) {
      expect(overrides, name).toContain(name);
    }
    for (const rels of names.filter((n) => n.endsWith('.rels'))) {
      const base = rels.replace(/_rels\/[^/]*$/, '');
      for (const rel of childElements(parseXml(zip.readText(rels)))) {
        expect(names, `${rels} → ${rel.attrs.Target}`).toContain(`${base}${rel.attrs.Target}`);
      }
    }
    const document = zip.readText('word/document.xml');
    for (const part of ['header', 'footer'] as const) {
      if (src.meta.docx?.[part]) expect(document).toContain(`<w:${part}Reference w:type="default" r:id=`);
    }
  });

  // Staleness is checked for the DOCX-focused fixtures only: other sources change while their authors work.
  it.runIf(OWN_FIXTURES.includes(name))('matches the committed fixtures/NAME.docx', async () => {
    const path = join(FIXTURES, `${name}.docx`);
    expect(existsSync(path), `${name}.docx is missing — run npm run render-fixtures`).toBe(true);
    const committed = readFileSync(path);
    expect(
      Buffer.from(await rendered).equals(committed),
      `${name}.docx is stale — run npm run render-fixtures`,
    ).toBe(true);
  });
});

describe('fixture dsa-brightsmile-auto-numbered.docx', () => {
  it('reads the numbers Word displays, the fee table, the footnote and the revisions', async () => {
    const raw = await readDocx(await renderDocx(fixtureSource('dsa-brightsmile-auto-numbered')), 'dsa.docx');
    const lines = raw.pages[0]?.lines ?? [];
    expect(lines.flatMap((l) => (l.autoNumber ? [l.autoNumber] : []))).toEqual([
      'ARTICLE I',
      '1.1',
      '1.2',
      '1.3',
      'ARTICLE II',
      '2.1',
      '(a)',
      '(b)',
      '(c)',
      '(d)',
      '2.2',
      'ARTICLE III',
      '3.1',
      '3.2',
      'ARTICLE IV',
      '4.1',
      '4.2',
      'ARTICLE V',
      '5.1',
      '5.2',
      '1.',
      '2.',
    ]);
    expect(lines.find((l) => l.autoNumber === 'ARTICLE I')).toMatchObject({
      text: 'ARTICLE I DEFINITIONS',
      headingLevel: 1,
      bold: true,
    });
    const exhibitA = lines.findIndex((l) => l.text === 'EXHIBIT A');
    expect(lines[exhibitA + 2]?.text).toBe('1. 1200 Main Street, Austin, Texas.');
    expect(lines.filter((l) => l.role === 'table').map((l) => l.text)).toContain(
      'Management fee | 35% of Collections',
    );
    const footnote = lines.findIndex((l) => l.role === 'footnote');
    expect(lines[footnote - 1]?.autoNumber).toBe('2.2');
    expect(lines[footnote]?.text).toBe('Equipment ownership remains with DSO throughout the Term.');
    expect(lines.find((l) => l.autoNumber === '5.1')?.text).toBe(
      '5.1 Term. This Agreement has an initial term of five (5) years.',
    );
    expect(lines.some((l) => /Confirm the delivery period/.test(l.text))).toBe(false);
    expect(lines.some((l) => l.text === 'Bright Smile Dental Support, LLC' || /^Page \d/.test(l.text))).toBe(
      false,
    );
    expect(raw.revisions).toEqual({ insertions: 2, deletions: 1, comments: 1, other: 0 });
  });
});

describe('fixture asa-harborview-legal-numbering.docx', () => {
  it('reads legal numbering, roman sub-items, the schedule list and the accepted fee change', async () => {
    const raw = await readDocx(await renderDocx(fixtureSource('asa-harborview-legal-numbering')), 'asa.docx');
    const lines = raw.pages[0]?.lines ?? [];
    const numbered = lines.flatMap((l) => (l.autoNumber ? [l.autoNumber] : []));
    expect(numbered.slice(0, 12)).toEqual([
      '1.',
      '1.1',
      '1.2',
      '1.3',
      '2.',
      '2.1',
      '(a)',
      '(i)',
      '(ii)',
      '(b)',
      '(c)',
      '(d)',
    ]);
    expect(numbered.slice(-2)).toEqual(['1.', '2.']); // Schedule 1 restarts
    expect(lines.find((l) => l.autoNumber === '4.')).toMatchObject({
      text: '4. COMPENSATION',
      headingLevel: 1,
    });
    const fee = lines.find((l) => l.autoNumber === '4.1')?.text ?? '';
    expect(fee).toContain('a monthly management fee of Forty-Two Thousand Dollars ($42,000), payable');
    expect(fee).toContain('as set forth in Schedule 1.');
    expect(fee).not.toMatch(/eight percent|FMV opinion/);
    expect(lines.filter((l) => l.role === 'table').map((l) => l.text)).toEqual([
      'Item | Amount | Timing',
      'Management fee | $42,000 per month | Monthly, in arrears',
      'Practice Expenses | Actual cost, no mark-up | Monthly, upon invoice',
      'Start-up services | $15,000 (one time) | Within 30 days of the Effective Date',
    ]);
    expect(raw.revisions).toEqual({ insertions: 2, deletions: 1, comments: 1, other: 0 });
  });
});

// ─── hostile and broken input ──────────────────────────────────────────────────

describe('hostile and broken DOCX input', () => {
  it('refuses a zip bomb before inflating it (declared size over the limit)', async () => {
    const bomb = deflateRawSync(Buffer.alloc(16 * 1024 * 1024, 0x20));
    const zip = writeZip([
      {
        name: 'word/document.xml',
        raw: {
          name: 'word/document.xml',
          method: 8,
          crc32: 0,
          uncompressedSize: 16 * 1024 * 1024,
          compressed: bomb,
        },
      },
    ]);
    expect(zip.length).toBeLessThan(20_000);
    await expectReadError(zip, 'DOCX_TOO_LARGE', /document\.xml would inflate to 16\.0 MB.*zip bomb/, {
      maxUncompressedBytes: 1024 * 1024,
    });
  });

  it('stops a zip bomb that lies about its size at the limit, without inflating all of it', async () => {
    // 512 MiB of spaces as one fixed-Huffman deflate block (1 literal + "repeat 258" codes), declared as 100 bytes.
    const total = 512 * 1024 * 1024;
    const repeats = Math.floor((total - 1) / 258);
    const out = new Uint8Array(Math.ceil((3 + 8 + repeats * 13 + 7) / 8) + 1);
    let bit = 0;
    const put = (value: number, n: number) => {
      for (let i = 0; i < n; i++, bit++)
        if ((value >> i) & 1) out[bit >> 3] = (out[bit >> 3] ?? 0) | (1 << (bit & 7));
    };
    const huff = (code: number, n: number) => {
      for (let i = n - 1; i >= 0; i--, bit++)
        if ((code >> i) & 1) out[bit >> 3] = (out[bit >> 3] ?? 0) | (1 << (bit & 7));
    };
    put(1, 1); // final block
    put(1, 2); // fixed Huffman
    huff(0x30 + 0x20, 8); // literal ' '
    for (let i = 0; i < repeats; i++) {
      huff(0b11000101, 8); // length 258
      huff(0, 5); // distance 1
    }
    huff(0, 7); // end of block
    const zip = writeZip([
      {
        name: 'word/document.xml',
        raw: { name: 'word/document.xml', method: 8, crc32: 0, uncompressedSize: 100, compressed: out },
      },
    ]);
    const before = process.memoryUsage().arrayBuffers;
    await expectReadError(zip, 'DOCX_TOO_LARGE', /inflates past the limit/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(256 * 1024 * 1024);
  });

  it('refuses a package with 10,000 entries', async () => {
    const entries = Array.from({ length: 10_000 }, (_, i) => ({
      name: `word/media/p${i}.xml`,
      data: new Uint8Array(0),
      compress: false,
    }));
    await expectReadError(writeZip(entries), 'DOCX_TOO_LARGE', /10000 entries \(limit 5000\)/);
  });

  it('reads 100,000 levels of nested XML without overflowing the stack', async () => {
    const depth = 100_000;
    const nested = (open: string, close: string, inner: string) =>
      open.repeat(depth) + inner + close.repeat(depth);
    const body =
      `<w:p>${nested('<w:smartTag w:element="x">', '</w:smartTag>', r('deep smart tags'))}</w:p>` +
      nested('<w:sdt><w:sdtContent>', '</w:sdtContent></w:sdt>', p('deep content controls')) +
      `<w:p>${nested('<x:unknown xmlns:x="urn:x">', '</x:unknown>', r('deep unknown'))}</w:p>`;
    expect(await texts(buildDocx({ body }))).toEqual([
      'deep smart tags',
      'deep content controls',
      'deep unknown',
    ]);
  });

  it('says a password-protected DOCX (OLE file with EncryptedPackage) is password-protected', async () => {
    await expectReadError(
      compoundFile(['EncryptionInfo', 'EncryptedPackage', '\u0006DataSpaces']),
      'DOCX_ENCRYPTED',
      /deal\.docx is password-protected — remove the password and retry/,
    );
    // a damaged directory: the stream name is still found
    const damaged = compoundFile(['EncryptedPackage']);
    damaged[0x1e] = 0;
    await expectReadError(damaged, 'DOCX_ENCRYPTED');
  });

  it('says a legacy .doc is not supported, and other OLE files are not DOCX', async () => {
    await expectReadError(
      compoundFile(['WordDocument', '1Table']),
      'UNSUPPORTED_FORMAT',
      /Word 97–2003 \.doc.*save it as \.docx/,
    );
    await expectReadError(compoundFile(['Workbook']), 'UNSUPPORTED_FORMAT', /OLE compound file/);
  });

  it('refuses garbage, truncated, empty and PDF bytes, zips without word/document.xml, and malformed XML', async () => {
    const garbage = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) & 0xff);
    await expectReadError(garbage, 'DOCX_CORRUPT', /not a valid DOCX file \(not a zip archive\)/);
    const good = await renderDocx(fixtureSource('dsa-brightsmile-auto-numbered'));
    await expectReadError(good.subarray(0, Math.floor(good.length / 2)), 'DOCX_CORRUPT', /truncated/);
    await expectReadError(new Uint8Array(0), 'EMPTY_FILE');
    await expectReadError(new TextEncoder().encode('%PDF-1.7\n...'), 'DOCX_CORRUPT', /is a PDF/);
    await expectReadError(
      writeZip([{ name: 'hello.txt', data: 'hi' }]),
      'DOCX_CORRUPT',
      /no word\/document\.xml/,
    );
    await expectReadError(
      writeZip([{ name: 'xl/workbook.xml', data: '<workbook/>' }]),
      'DOCX_CORRUPT',
      /Excel workbook/,
    );
    await expectReadError(
      buildDocx({ body: '<w:p><w:r><w:t>unclosed</w:r></w:p>' }),
      'DOCX_CORRUPT',
      /word\/document\.xml is not well-formed XML/,
    );
    await expectReadError(
      buildDocx({ body: '', documentXml: '<!DOCTYPE x [<!ENTITY a "aaaa">]><w:document/>' }),
      'DOCX_CORRUPT',
      /DOCTYPE/,
    );
  });
});
