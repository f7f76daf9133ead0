import { describe, expect, it } from 'vitest';
import { evaluate, rulesChecked } from '../../src/engine/evaluate.js';
import { contract, holds, MANAGER, PRACTICE, pack, rule, run } from './helpers.js';

const FEE_RULE = rule(`id: cpom-fees/percentage-of-revenue
title: Fee as a share of revenue
severity:
  default: warning
  byState: { field: percentageFees, values: { prohibited: error, restricted: error } }
appliesTo: [management-agreement]
kind: forbid
when:
  all:
    - number: { kind: percent, capture: percent, near: { terms: [collections, revenue] }, within: 5 }
    - not: { terms: [interest, late] }
message: "The fee is {percent} of the practice's revenue; governing law: {state}."`);

const feePack = () => pack(`rules:\n${FEE_RULE}`);
const feeClause =
  '5.1 Management Fee. The Practice shall pay Manager thirty percent (30%) of Net Collections each month.';

describe('kinds', () => {
  it('forbid: one finding per clause where the condition holds, located at the clause', () => {
    const c = contract({
      governingLaw: 'NY',
      clauses: [
        feeClause,
        '5.2 Late Payment. Late amounts bear interest at one and one-half percent (1.5%) per month of collections.',
      ],
    });
    const f = evaluate(c, feePack());
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      ruleId: 'cpom-fees/percentage-of-revenue',
      category: 'cpom-fees',
      severity: 'error',
      message: "The fee is 30% of the practice's revenue; governing law: New York (NY).",
      captures: { percent: '30%', state: 'NY' },
    });
    expect(f[0]?.location).toMatchObject({ clause: '5.1', clauseId: 'c1', line: 1 });
    expect(f[0]?.location?.excerpt).toContain('thirty percent (30%) of Net Collections');
  });

  it('forbid reports the first trigger of a clause only, and maxFindings caps a rule', () => {
    const c = contract({
      clauses: [
        '1. Manager gets 30% of collections. Manager also gets 10% of revenue.',
        '2. 5% of collections.',
        '3. 6% of collections.',
      ],
    });
    const two = rule(`id: t/x
title: t
severity: warning
kind: forbid
maxFindings: 2
when: { number: { kind: percent, near: { terms: [collections, revenue] } } }
message: m`);
    const f = evaluate(c, pack(`rules:\n${two}`));
    expect(f.map((x) => x.location?.clause)).toEqual(['1', '2']);
  });

  it('require: a document-level finding with lookedFor when no unit satisfies the condition', () => {
    const when = 'terms: [fair market value, FMV]';
    const none = run(when, contract({ clauses: ['1. The fee is $10,000 per month.'] }), { kind: 'require' });
    expect(none).toHaveLength(1);
    expect(none[0]).toMatchObject({ location: null, lookedFor: 'something' });
    expect(none[0]?.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(
      run(when, contract({ clauses: ['1. The fee is consistent with fair market value.'] }), {
        kind: 'require',
      }),
    ).toEqual([]);
  });

  it('detect: like forbid, for informational findings', () => {
    const f = run(
      'number: { kind: money, capture: fee }',
      contract({ clauses: ['1. The fee is $25,000 per month.'] }),
      { kind: 'detect' },
    );
    expect(f[0]?.captures?.fee).toBe('$25,000');
  });

  it('conditional: if → require / forbid, and unless turns the rule off', () => {
    const cond = (extra: string) =>
      pack(
        `rules:\n${rule(`id: work-back/x
title: t
severity: warning
appliesTo: [acquisition-agreement]
kind: conditional
scope: clause
if: { terms: [work-back, continue to practice, post-closing employment] }
${extra}
message: "Work-back term: {years}"`)}`,
      );
    const doc = (text: string) => contract({ kind: 'acquisition-agreement', clauses: [text] });
    const long = cond(`forbid: { number: { kind: duration, compare: "> 5", capture: years } }`);
    expect(
      evaluate(doc('7.1 Seller shall continue to practice at the Practice for seven (7) years.'), long)[0]
        ?.message,
    ).toBe('Work-back term: 7 years');
    expect(
      evaluate(doc('7.1 Seller shall continue to practice at the Practice for three (3) years.'), long),
    ).toEqual([]);
    expect(evaluate(doc('7.1 Seller shall sell the assets.'), long)).toEqual([]); // no `if`, no finding

    const missing = pack(
      `rules:\n${rule(`id: work-back/no-duration
title: t
severity: warning
appliesTo: [acquisition-agreement]
kind: conditional
scope: clause
if: { terms: [continue to practice] }
require: { number: { kind: duration } }
lookingFor: the length of the work-back
message: "No work-back term."`)}`,
    );
    expect(evaluate(doc('7.1 Seller shall continue to practice at the Practice.'), missing)[0]).toMatchObject(
      { location: null, lookedFor: 'the length of the work-back' },
    );
    expect(
      evaluate(doc('7.1 Seller shall continue to practice at the Practice for [●] years.'), missing),
    ).toHaveLength(1); // placeholder
    expect(
      evaluate(doc('7.1 Seller shall continue to practice at the Practice for three years.'), missing),
    ).toEqual([]);

    const unless = cond(
      `forbid: { number: { kind: duration, compare: "> 5", capture: years } }\nunless: { terms: [terminable at will] }`,
    );
    expect(
      evaluate(doc('7.1 Seller shall continue to practice for seven years, terminable at will.'), unless),
    ).toEqual([]);
  });

  it('a rule applies only to its appliesTo kinds; rulesChecked lists the applicable rules', () => {
    const p = feePack();
    const emp = contract({ kind: 'employment-agreement', clauses: [feeClause] });
    expect(evaluate(emp, p)).toEqual([]);
    expect(rulesChecked(emp, p)).toEqual([]);
    expect(rulesChecked(contract({ clauses: [feeClause] }), p)).toEqual(['cpom-fees/percentage-of-revenue']);
  });
});

describe('scopes', () => {
  const both = 'all: [{ terms: [management fee] }, { number: { kind: percent } }]';
  const split = contract({
    clauses: [
      {
        text: '4.1 Management Fee. The Practice shall pay the management fee monthly. It equals 30% of collections.',
        children: ['(a) The first payment is due on the Effective Date.'],
      },
    ],
  });
  const tree = contract({
    clauses: [
      {
        text: '4.1 The Practice shall pay the management fee monthly.',
        children: ['(a) It equals 30% of collections.'],
      },
    ],
  });

  it('sentence: all parts in the same sentence', () => {
    expect(run(both, split, { scope: 'sentence' })).toEqual([]);
    expect(
      run(both, contract({ clauses: ['4.1 The management fee equals 30% of collections.'] }), {
        scope: 'sentence',
      }),
    ).toHaveLength(1);
  });

  it('clause: the clause’s own text', () => {
    expect(run(both, split, { scope: 'clause' })).toHaveLength(1);
    expect(run(both, tree, { scope: 'clause' })).toEqual([]);
  });

  it('clause-tree: a clause with its sub-clauses', () => {
    const f = run(both, tree, { scope: 'clause-tree' });
    expect(f).toHaveLength(1);
    expect(f[0]?.location?.clause).toBe('4.1');
  });

  it('section: clause trees whose heading (or an ancestor’s) matches', () => {
    const c = contract({
      clauses: [
        {
          text: 'ARTICLE IV COMPENSATION',
          heading: 'Compensation',
          kind: 'article',
          path: 'Article IV',
          children: ['4.1 The fee is 30% of collections.'],
        },
        {
          text: 'ARTICLE V OTHER',
          heading: 'Other Matters',
          kind: 'article',
          path: 'Article V',
          children: ['5.1 Interest accrues at 2% of collections.'],
        },
      ],
    });
    const f = run('number: { kind: percent }', c, {
      scope: 'section',
      extra: 'section: { terms: [compensation, fees] }\n',
    });
    expect(f.map((x) => x.location?.clause)).toEqual(['4.1']);
  });

  it('document: the whole agreement as one unit', () => {
    const c = contract({
      clauses: ['1. The management fee is payable monthly.', '2. It is 30% of collections.'],
    });
    expect(run(both, c, { scope: 'clause' })).toEqual([]);
    expect(run(both, c, { scope: 'document' })).toHaveLength(1);
  });

  it('exhibits: each exhibit as a unit; body / exhibitsOnly filters', () => {
    const c = contract({
      clauses: [
        '4.1 The Practice shall pay the fee set forth in Exhibit B.',
        {
          text: 'EXHIBIT B',
          kind: 'exhibit',
          exhibit: 'Exhibit B',
          path: 'Exhibit B',
          children: [{ text: 'Management fee | 35% of Collections', kind: 'table', path: 'Exhibit B ¶1' }],
        },
      ],
    });
    const pct = 'number: { kind: percent, near: { terms: [collections] } }';
    expect(run(pct, c, { scope: 'exhibits' }).map((f) => f.location?.clause)).toEqual(['Exhibit B ¶1']);
    expect(run(pct, c, { extra: 'body: true\n' })).toEqual([]);
    expect(run(pct, c, { extra: 'exhibitsOnly: true\n' })).toHaveLength(1);
  });
});

describe('include / exclude', () => {
  const c = contract({
    clauses: [
      {
        text: 'WHEREAS, the Practice retains sole authority over all clinical matters;',
        kind: 'recital',
        path: 'Recitals ¶1',
      },
      '1. Manager shall provide billing services.',
    ],
  });
  const reservation = 'actor: { who: licensed, does: { terms: [clinical] } }';
  it('recitals are excluded by default: a WHEREAS reserves nothing', () => {
    expect(run(reservation, c, { kind: 'require' })).toHaveLength(1);
  });
  it('include: [recital] brings them in; exclude removes other kinds', () => {
    expect(run(reservation, c, { kind: 'require', extra: 'include: [recital, section]\n' })).toEqual([]);
    expect(run('terms: [billing]', c, { extra: 'exclude: [section]\n' })).toEqual([]);
  });
});

describe('placeholders', () => {
  it('a placeholder never satisfies a require', () => {
    const when = 'terms: [governed by]';
    expect(
      run(when, contract({ clauses: ['9. This Agreement is governed by the laws of [STATE].'] }), {
        kind: 'require',
      }),
    ).toEqual([]);
    const fmv = 'all: [{ terms: [fair market value] }, { number: { kind: money } }]';
    expect(
      run(fmv, contract({ clauses: ['4.2 The fee of $[●] is fair market value.'] }), { kind: 'require' }),
    ).toHaveLength(1);
    expect(
      run('terms: [PRACTICE NAME]', contract({ clauses: ['1. [PRACTICE NAME] shall own the records.'] }), {
        kind: 'require',
      }),
    ).toHaveLength(1);
  });
  it('but a placeholder percentage is still a percentage fee', () => {
    const f = evaluate(
      contract({ clauses: ['4.1 The Management Fee is [●]% of Net Collections.'] }),
      feePack(),
    );
    expect(f[0]?.message).toBe(
      "The fee is [●]% of the practice's revenue; governing law: not stated in the agreement.",
    );
  });
  it('placeholder: true finds unfilled placeholders', () => {
    expect(holds('placeholder: true', 'The term is {{term_years}} years.')).toBe(true);
    expect(holds('placeholder: true', 'The term is five years.')).toBe(false);
  });
});

describe('severity by governing law', () => {
  const c = (law: string | null) => contract({ governingLaw: law, clauses: [feeClause] });
  it('NY (prohibited) → error; FL (restricted) → error; TX (permitted) → default', () => {
    expect(evaluate(c('NY'), feePack())[0]?.severity).toBe('error');
    expect(evaluate(c('FL'), feePack())[0]?.severity).toBe('error');
    expect(evaluate(c('TX'), feePack())[0]).toMatchObject({
      severity: 'warning',
      message: expect.stringContaining('Texas (TX)'),
    });
  });
  it('a state not in the table → default, named from the US list', () => {
    expect(evaluate(c('OH'), feePack())[0]).toMatchObject({
      severity: 'warning',
      message: expect.stringContaining('Ohio (OH)'),
    });
  });
  it('no governing law → default, and the message says it was not found', () => {
    const f = evaluate(c(null), feePack())[0];
    expect(f).toMatchObject({ severity: 'warning', captures: { state: 'none' } });
    expect(f?.message).toContain('not stated in the agreement');
  });
  it('the config default applies to documents that state none, and the message says so', () => {
    const f = evaluate(c(null), feePack(), { defaultGoverningLaw: 'NY' })[0];
    expect(f?.severity).toBe('error');
    expect(f?.message).toContain('New York (NY), the configured default');
    expect(evaluate(c('TX'), feePack(), { defaultGoverningLaw: 'NY' })[0]?.severity).toBe('warning');
  });
  it('doc: { state } and doc: { governingLaw } conditions', () => {
    const p = (w: string) =>
      pack(
        `rules:\n${rule(`id: t/doc\ntitle: t\nseverity: info\nkind: detect\nscope: document\nwhen: ${w}\nmessage: m`)}`,
      );
    expect(
      evaluate(c('NY'), p('{ doc: { state: { field: percentageFees, in: [prohibited] } } }')),
    ).toHaveLength(1);
    expect(evaluate(c('TX'), p('{ doc: { state: { field: percentageFees, in: [prohibited] } } }'))).toEqual(
      [],
    );
    expect(evaluate(c(null), p('{ doc: { governingLaw: null } }'))).toHaveLength(1);
    expect(
      evaluate(c('NY'), p('{ doc: { governingLaw: [NY, NJ], kind: management-agreement } }')),
    ).toHaveLength(1);
  });
});

describe('other conditions', () => {
  it('party: a side or a role, through defined terms', () => {
    expect(holds('party: lay', 'The fee is payable to Manager.')).toBe(true);
    expect(holds('party: practice', 'The fee is payable by the Practice.')).toBe(true);
    expect(holds('party: lay', 'Practice Expenses include rent.')).toBe(false);
  });
  it('near: within N words, optionally ordered', () => {
    const near = (o: string) => `near: { a: { terms: [approval] }, b: { party: licensed }, within: 3${o} }`;
    expect(holds(near(''), 'subject to the approval of the Practice')).toBe(true);
    expect(holds(near(''), "subject to the Practice's approval")).toBe(true);
    expect(holds(near(', ordered: true'), "subject to the Practice's approval")).toBe(false);
    expect(holds(near(''), 'approval of the budget, which will then be sent to the Practice')).toBe(false);
  });
  it('any / not', () => {
    expect(
      holds('any: [{ terms: [FMV] }, { terms: [fair market value] }]', 'The fee is fair market value.'),
    ).toBe(true);
    expect(
      holds('all: [{ terms: [fee] }, { not: { terms: [interest] } }]', 'The fee accrues interest.'),
    ).toBe(false);
  });
  it('heading: the clause’s heading or an ancestor’s', () => {
    const c = contract({
      clauses: [
        {
          text: 'ARTICLE IV',
          heading: 'Compensation',
          kind: 'article',
          path: 'Article IV',
          children: ['4.1 Manager gets 30% of revenue.'],
        },
      ],
    });
    expect(
      run('all: [{ heading: { terms: [compensation] } }, { number: { kind: percent } }]', c).map(
        (f) => f.location?.clause,
      ),
    ).toEqual(['4.1']);
    expect(run('all: [{ heading: { terms: [term] } }, { number: { kind: percent } }]', c)).toEqual([]);
  });
  it('pattern: case-insensitive by default, flags, named captures', () => {
    expect(holds('pattern: "in no event shall"', 'IN NO EVENT SHALL Manager direct care.')).toBe(true);
    expect(holds('{ pattern: "in no event", flags: "" }', 'IN NO EVENT SHALL Manager direct care.')).toBe(
      false,
    );
    const f = run(
      'pattern: "(?<share>\\\\d+)% of (?:net )?collections"',
      contract({ clauses: ['1. Manager receives 30% of Net Collections.'] }),
    );
    expect(f[0]?.captures?.share).toBe('30');
  });
  it('$sets can hold term lists and conditions', () => {
    const sets =
      '  revenue: [collections, revenue]\n  pct-of-revenue: { number: { kind: percent, near: { terms: $revenue } } }\n';
    expect(holds('$pct-of-revenue', 'Manager gets 30% of revenue.', {}, sets)).toBe(true);
    expect(holds('terms: [$revenue, receipts]', 'all receipts', {}, sets)).toBe(true);
  });
});

describe('locations, excerpts and fingerprints', () => {
  it('points at the clause path, nearest heading, page and line, with the trigger in context', () => {
    const long = `${'word '.repeat(20)}Manager shall receive thirty percent (30%) of Net Collections ${'tail '.repeat(20)}`;
    const c = contract({
      clauses: [
        {
          text: 'ARTICLE IV COMPENSATION',
          heading: 'Compensation',
          kind: 'article',
          path: 'Article IV',
          children: [`4.1 ${long}`],
        },
      ],
      pageStarts: [0, 30],
    });
    const f = evaluate(c, feePack())[0];
    expect(f?.location).toMatchObject({
      clause: '4.1',
      heading: 'Compensation',
      page: 2,
      clauseId: 'c2',
      line: 3,
    });
    const ex = f?.location?.excerpt ?? '';
    expect(ex).toMatch(/^…word word/);
    expect(ex).toContain('thirty percent (30%) of Net Collections');
    expect(ex).toMatch(/tail…$/);
    expect(ex.match(/word/g)).toHaveLength(5); // 8 words of context: 5 × "word" + "Manager shall receive"
    const start = f?.location?.start ?? 0;
    expect(c.text.slice(start, f?.location?.end)).toContain('30%');
  });

  it('fingerprints depend on rule, clause text and trigger — not on numbering, position or lines', () => {
    const a = contract({ clauses: ['1. Preamble text.', feeClause] });
    const b = contract({ clauses: ['1. Other text.', '2. More text.', feeClause.replace('5.1', '7.3')] });
    const fa = evaluate(a, feePack())[0]?.fingerprint;
    const fb = evaluate(b, feePack())[0]?.fingerprint;
    expect(fa).toBe(fb);
    const c2 = contract({ clauses: [feeClause.replace('thirty percent (30%)', 'forty percent (40%)')] });
    expect(evaluate(c2, feePack())[0]?.fingerprint).not.toBe(fa);
  });

  it('findings come out missing-first, then in document order', () => {
    const p = pack(
      `rules:\n${FEE_RULE}${rule(`id: fmv/none\ntitle: t\nseverity: warning\nkind: require\nlookingFor: FMV\nwhen: { terms: [fair market value] }\nmessage: m`)}`,
    );
    const f = evaluate(contract({ clauses: [feeClause, feeClause.replace('5.1', '5.2')] }), p);
    expect(f.map((x) => x.location?.clause ?? null)).toEqual([null, '5.1', '5.2']);
  });

  it('messages use document facts', () => {
    const p = pack(
      `rules:\n${rule(`id: t/m\ntitle: t\nseverity: info\nkind: detect\nwhen: { terms: [fee] }\nmessage: "{clause} ({heading}) in a {kind}, {stateCode}"`)}`,
    );
    const c = contract({
      governingLaw: 'NY',
      parties: [MANAGER, PRACTICE],
      clauses: [{ text: '5.1 Fee. The fee is due.', heading: 'Fee' }],
    });
    expect(evaluate(c, p)[0]?.message).toBe('5.1 (Fee) in a management-agreement, NY');
  });
});
