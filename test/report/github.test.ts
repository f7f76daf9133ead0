import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty } from '../../src/report/github.js';
import { formatReport } from '../../src/report/index.js';
import { sampleReport } from './sample-report.js';

/** Parse a workflow command line the way the Actions runner does. */
function parseCommand(line: string) {
  const m = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
  if (!m) return null;
  const decode = (s: string) =>
    s
      .replace(/%3A/g, ':')
      .replace(/%2C/g, ',')
      .replace(/%0D/g, '\r')
      .replace(/%0A/g, '\n')
      .replace(/%25/g, '%');
  const props: Record<string, string> = {};
  for (const kv of m[2]!.split(',')) {
    const eq = kv.indexOf('=');
    props[kv.slice(0, eq)] = decode(kv.slice(eq + 1));
  }
  return { command: m[1]!, props, message: decode(m[3]!) };
}

describe('github', () => {
  const lines = formatReport('github', sampleReport(), { color: false }).trimEnd().split('\n');
  const commands = lines.map(parseCommand);

  it('writes one command per finding and per unreadable/skipped file, then a plain summary', () => {
    expect(lines).toHaveLength(9 + 2 + 1);
    expect(commands.slice(0, -1).every(Boolean)).toBe(true);
    expect(lines.at(-1)).toBe(
      'contract-lint: 4 errors, 3 warnings, 2 notes in 5 documents; 1 unreadable; 1 skipped',
    );
    const kinds = commands.filter(Boolean).map((c) => c!.command);
    expect(kinds.filter((k) => k === 'error')).toHaveLength(4 + 1);
    expect(kinds.filter((k) => k === 'warning')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'notice')).toHaveLength(2 + 1);
  });

  it('annotates PDF findings at the file with clause and page in the message', () => {
    const first = commands[0]!;
    expect(first.props).toEqual({
      file: 'deals/brightsmile/Dental Support Services Agreement.pdf',
      title: 'clinical-autonomy/manager-controls-clinical',
    });
    expect(first.message).toContain('[Section 3.2(b) “Practice Operations”, page 3]');
    expect(first.message.split('\n')[1]).toMatch(/^“…Manager shall establish/);
  });

  it('adds line= for text files and says what a missing clause lacks', () => {
    const txt = commands.find(
      (c) => c?.props.file === 'contracts/employment/dr-lee-employment.txt' && c.props.line,
    );
    expect(txt).toMatchObject({ command: 'notice', props: { line: '57', title: 'work-back/duration' } });
    const missing = commands[2]!;
    expect(missing.props).not.toHaveProperty('line');
    expect(missing.message).toContain('not found: a statement that the compensation');
  });

  it('reports unreadable and skipped files', () => {
    const unreadable = commands.find((c) => c?.props.title?.startsWith('unreadable'));
    expect(unreadable).toEqual({
      command: 'error',
      props: { file: 'deals/legacy/scanned-msa-2011.pdf', title: 'unreadable (PDF_NO_TEXT)' },
      message: expect.stringContaining('Run OCR'),
    });
    expect(commands.find((c) => c?.props.title === 'skipped')?.props.file).toBe(
      'deals/brightsmile/office-lease.docx',
    );
  });

  it('escapes %, CR, LF in data and also : and , in properties; round-trips hostile text', () => {
    expect(escapeData('100%\r\n:: ,')).toBe('100%25%0D%0A:: ,');
    expect(escapeProperty('a:b,c%d\n')).toBe('a%3Ab%2Cc%25d%0A');
    const docxLines = lines.filter((l) => l.includes('Acme'));
    for (const line of docxLines) {
      expect(line).toContain('file=deals/Acme%2C P.C./APA v2%3Afinal 100%25.docx,');
      expect(line.split('::')[0]).toMatch(/^$/);
    }
    const warning = commands.find((c) => c?.props.title === 'work-back/excessive-duration')!;
    expect(warning.props.file).toBe('deals/Acme, P.C./APA v2:final 100%.docx');
    expect(
      warning.message.startsWith(
        'Seller commits to practise for 7 years after Closing (market: 3–5 years). 100%:: done\nsecond line',
      ),
    ).toBe(true);
    const error = commands.find((c) => c?.props.title === 'patient-records/owned-by-lay-entity')!;
    expect(error.message).toContain('40% | of Collections::net %0A & <b>');
    for (const line of lines) expect(line).not.toMatch(/[\r\u001b\u0007]/);
  });
});
