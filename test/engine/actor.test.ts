import { describe, expect, it } from 'vitest';
import { analyzeObligations } from '../../src/engine/matchers/obligations.js';
import { PartyLexicon } from '../../src/engine/matchers/party.js';
import { normalizeForMatching, splitSentences } from '../../src/engine/text.js';
import type { Party } from '../../src/model.js';
import { contract, holds, MANAGER, PRACTICE, run } from './helpers.js';

const CLINICAL =
  '{ terms: [treatment, treatment plan*, treatment protocol*, clinical, diagnos*, professional judgment, procedure mix, patient care] }';
const layControls = `actor: { who: lay, does: ${CLINICAL} }`;
const layDenied = `actor: { who: lay, polarity: negated, does: ${CLINICAL} }`;
const licensedControls = `actor: { who: licensed, does: ${CLINICAL} }`;

/** Obligations of a sentence as "side:NEG|AFF" strings, for compact assertions. */
function obligations(sentence: string, parties: Party[] = [MANAGER, PRACTICE]): string[] {
  const text = normalizeForMatching(sentence);
  const lex = new PartyLexicon({ parties, definitions: [] });
  return analyzeObligations(0, text, splitSentences(text), lex.mentions(text), null).map(
    (o) => `${[...new Set(o.actors.map((a) => a.side))].join('+') || '-'}:${o.negated ? 'NEG' : 'AFF'}`,
  );
}

describe('actor: who is the subject', () => {
  it('tells "Manager shall direct treatment" from "Practice shall direct treatment"', () => {
    expect(holds(layControls, 'Manager shall direct treatment.')).toBe(true);
    expect(holds(layControls, 'The Practice shall direct treatment.')).toBe(false);
    expect(holds(licensedControls, 'The Practice shall direct treatment.')).toBe(true);
    expect(holds(licensedControls, 'Manager shall direct treatment.')).toBe(false);
  });

  it('reads ", shall …" after a predicate as the same subject, but keeps a parenthetical subject', () => {
    const staffing =
      'actor: { who: lay, does: { near: { a: { terms: [hire] }, b: { terms: [counselors] } } } }';
    expect(
      holds(
        staffing,
        'Manager shall recruit, hire, train and supervise the counselors who serve the Practice, shall assign them among its offices, and may terminate any of them.',
      ),
    ).toBe(true);
    expect(
      obligations(
        'Manager shall provide billing services, and the Practice, in its discretion, shall approve budgets.',
      ),
    ).toEqual(['lay:AFF', 'licensed:AFF']);
  });

  it('resolves defined terms in quotes, "the Company" and legal names', () => {
    const company: Party = {
      name: 'Acme Health Management, Inc.',
      role: 'manager',
      side: 'lay',
      terms: ['Company'],
    };
    const pc: Party = { name: 'Acme Medical, P.C.', role: 'practice', side: 'licensed', terms: ['PC'] };
    const parties = { parties: [company, pc] };
    expect(
      holds(layControls, 'The Company shall establish clinical protocols for all Centers.', parties),
    ).toBe(true);
    expect(holds(layControls, 'Company shall establish treatment protocols.', parties)).toBe(true);
    expect(holds(licensedControls, 'PC shall retain sole authority over patient care.', parties)).toBe(true);
    expect(
      holds(
        layControls,
        'Acme Health Management, Inc. ("Company") shall approve each treatment plan.',
        parties,
      ),
    ).toBe(true);
  });

  it('falls back to role nouns when the contract defines no parties', () => {
    const none = { parties: [] };
    expect(holds(layControls, 'The DSO shall determine the procedure mix of each office.', none)).toBe(true);
    expect(
      holds(licensedControls, 'Each Physician shall exercise independent professional judgment.', none),
    ).toBe(true);
    expect(holds(licensedControls, 'The dentists shall make all diagnosis decisions.', none)).toBe(true);
    // lower-case "practice" is not the party; "office manager" is staff, not the Manager
    expect(holds(layControls, 'The office manager shall schedule treatment appointments.', none)).toBe(false);
  });

  it('gives possessives to their owner and keeps things out', () => {
    expect(holds(layControls, "Manager's personnel shall supervise clinical care.")).toBe(true);
    expect(holds(layControls, 'Employees of Manager shall approve treatment plans.')).toBe(true);
    expect(holds(layControls, 'Any person employed by Manager shall establish clinical protocols.')).toBe(
      true,
    );
    expect(holds(licensedControls, "The Practice's Dentists shall determine treatment.")).toBe(true);
    // a thing named after a party is not the party
    expect(obligations('Practice Expenses shall include the cost of clinical supplies.')).toEqual(['-:AFF']);
    expect(obligations("Manager's fee shall be reduced for any clinical delay.")).toEqual(['-:AFF']);
  });

  it('reads coordinated subjects and "its employees and agents"', () => {
    expect(
      obligations('The Practice and its Dentists shall have sole control over clinical matters.'),
    ).toEqual(['licensed:AFF']);
    expect(
      holds(
        layDenied,
        'Manager and its employees and agents shall not influence the professional judgment of any Physician.',
      ),
    ).toBe(true);
    expect(obligations('Each of Manager and the Practice shall comply with HIPAA.')).toEqual([
      'lay+licensed:AFF',
    ]);
  });

  it('skips parentheticals and lead-in phrases', () => {
    expect(
      holds(layControls, 'Manager, in consultation with the Practice, shall establish treatment protocols.'),
    ).toBe(true);
    expect(holds(layControls, 'Manager (or its designee) shall approve all treatment plans.')).toBe(true);
    expect(
      holds(
        layControls,
        'Notwithstanding anything herein to the contrary, Manager shall set the procedure mix.',
      ),
    ).toBe(true);
    expect(
      holds(
        licensedControls,
        'Upon termination of this Agreement for any reason, the Practice shall continue patient care.',
      ),
    ).toBe(true);
  });

  it('a relative clause does not change the subject', () => {
    expect(
      holds(
        licensedControls,
        'Any Dentist who is employed by Manager shall exercise independent professional judgment.',
      ),
    ).toBe(true);
    expect(
      holds(
        layControls,
        'Any Dentist who is employed by Manager shall exercise independent professional judgment.',
      ),
    ).toBe(false);
  });

  it('reads relative clauses with their own modal', () => {
    expect(
      obligations('The Medical Director, who shall be a Physician, shall supervise the clinical staff.', [
        MANAGER,
        PRACTICE,
      ]),
    ).toEqual(['licensed:AFF', 'licensed:AFF']);
    expect(
      obligations('Manager, which shall have no authority over clinical matters, shall provide billing.'),
    ).toEqual(['lay:NEG', 'lay:AFF']);
  });

  it('business services next to the word "non-clinical" are not clinical control', () => {
    expect(
      holds(
        layControls,
        'Manager shall provide to the Practice all non-clinical administrative services, including billing.',
      ),
    ).toBe(false);
    expect(
      holds(layControls, 'Manager shall hire, train and supervise the non-clinical staff of each office.'),
    ).toBe(false);
  });

  it('pronouns take the party named before them', () => {
    expect(holds(layDenied, 'Manager agrees that it shall not interfere with any treatment decision.')).toBe(
      true,
    );
    expect(
      obligations('Manager shall provide billing services. It shall also establish clinical protocols.'),
    ).toEqual(['lay:AFF', 'lay:AFF']);
  });

  it('works in long sentences with several obligations', () => {
    const s =
      'Subject to the terms of this Agreement and applicable law, Manager shall provide, or cause to be provided, all billing, collection, payroll and information technology services reasonably required by the Practice, and the Practice shall retain complete control over the diagnosis and treatment of its patients, including the selection of dental materials and laboratories.';
    expect(holds(licensedControls, s)).toBe(true);
    expect(holds(layControls, s)).toBe(false);
  });
});

describe('actor: the passive', () => {
  it('takes the agent after "by"', () => {
    expect(holds(layControls, 'Treatment protocols shall be established by Manager.')).toBe(true);
    expect(holds(licensedControls, 'All clinical decisions shall be made solely by the Physicians.')).toBe(
      true,
    );
    expect(holds(layControls, 'All clinical decisions shall be made solely by the Physicians.')).toBe(false);
    expect(
      holds(
        licensedControls,
        'All decisions regarding patient care are made exclusively by the licensed professionals of the Practice.',
      ),
    ).toBe(true);
    expect(
      holds(
        layControls,
        'Treatment plans shall be reviewed and approved by Manager before they are presented.',
      ),
    ).toBe(true);
  });

  it('without an agent there is no actor', () => {
    expect(holds(layControls, 'Treatment protocols shall be established.')).toBe(false);
    expect(
      holds(layControls, 'Treatment protocols shall be established by the Dental Director.', {
        parties: [MANAGER, PRACTICE],
      }),
    ).toBe(false);
  });
});

describe('actor: negation', () => {
  const negations = [
    'Manager shall not direct treatment.',
    'Manager may not direct, control or interfere with the professional judgment of any Dentist.',
    'Manager will not direct treatment.',
    'In no event shall Manager direct the clinical judgment of any Dentist.',
    'Under no circumstances will Manager have any control over clinical decisions.',
    'At no time shall Manager interfere with patient care.',
    'Nothing herein shall be construed to permit Manager to direct treatment.',
    'Nothing in this Agreement shall be construed as giving Manager the right to control clinical decisions.',
    'Nothing contained in this Agreement shall be deemed to allow Manager to practice dentistry or to direct treatment.',
    'Neither Manager nor any of its Affiliates shall direct treatment.',
    'No employee of Manager shall interfere with clinical decisions.',
    'Manager shall have no right or authority to approve treatment plans.',
    'Manager is prohibited from directing treatment.',
    'Manager shall refrain from directing treatment.',
    'Manager agrees not to interfere with the professional judgment of the Physicians.',
    'Manager shall not, and shall cause its Affiliates not to, direct, control or interfere with the professional judgment of any Dentist.',
    'The Practice shall direct all treatment, and Manager shall not interfere with any treatment decision.',
    'The Practice shall direct all treatment, nor shall Manager interfere with any treatment decision.',
  ];
  for (const s of negations) {
    it(`reverses: ${s}`, () => {
      expect(holds(layDenied, s)).toBe(true);
      expect(holds(layControls, s)).toBe(false);
    });
  }

  it('does not negate what only contains "not" elsewhere', () => {
    expect(
      holds(layControls, 'Manager shall have the right, but not the obligation, to approve treatment plans.'),
    ).toBe(true);
    expect(
      holds(layControls, 'Manager shall establish treatment protocols that are not inconsistent with law.'),
    ).toBe(true);
  });

  it('negation applies to one obligation, not the next', () => {
    const s =
      'Manager shall not provide legal services, but shall establish the treatment protocols for each office.';
    expect(holds(layControls, s)).toBe(true);
    expect(obligations(s)).toEqual(['lay:NEG', 'lay:AFF']);
  });

  it('polarity any matches both', () => {
    const any = `actor: { who: lay, polarity: any, does: ${CLINICAL} }`;
    expect(holds(any, 'Manager shall direct treatment.')).toBe(true);
    expect(holds(any, 'Manager shall not direct treatment.')).toBe(true);
  });
});

describe('actor: sentence parts, lists and qualification', () => {
  it('reads each part of a sentence split at ";" separately', () => {
    const s = 'Manager shall handle billing; the Practice shall direct treatment.';
    expect(holds(layControls, s)).toBe(false);
    expect(holds(licensedControls, s)).toBe(true);
  });

  it('list items inherit the lead-in obligation (sub-clauses and inline lists)', () => {
    const c = contract({
      clauses: [
        {
          text: '2.1 Services. Manager shall provide the following services to the Practice:',
          children: [
            '(a) billing and collection;',
            '(b) establishing treatment protocols for each office; and',
            '(c) marketing.',
          ],
        },
      ],
    });
    const f = run(layControls, c);
    expect(f.map((x) => x.location?.clause)).toEqual(['2.1(b)']);
    const neg = contract({
      clauses: [
        {
          text: '3.1 Limits. Manager shall not:',
          children: ['(a) direct treatment;', '(b) hire any Dentist.'],
        },
      ],
    });
    expect(run(layControls, neg)).toEqual([]);
    expect(run(layDenied, neg).map((x) => x.location?.clause)).toEqual(['3.1(a)']);
    expect(
      holds(
        layControls,
        'Manager shall: (a) handle billing; (b) set the procedure mix; and (c) maintain the premises.',
      ),
    ).toBe(true);
  });

  it('a part after ";" that is not a list item does not inherit the actor', () => {
    expect(
      holds(layControls, 'Manager shall handle billing; all treatment decisions remain with the Practice.'),
    ).toBe(false);
    expect(obligations('Manager shall provide the following: billing; collection; and payroll.')).toEqual([
      'lay:AFF',
      'lay:AFF',
      'lay:AFF',
    ]);
  });

  it('reads drafting variants of negated and passive forms', () => {
    const employer: Party = {
      name: 'Buckeye Health, LLC',
      role: 'employer',
      side: 'lay',
      terms: ['Employer'],
    };
    const physician: Party = { name: 'Dr. A', role: 'professional', side: 'licensed', terms: ['Physician'] };
    expect(
      obligations(
        "Neither the Employer nor any manager, administrator or other non-physician shall direct the Physician's clinical decisions.",
        [employer, physician],
      ),
    ).toEqual(['lay:NEG']);
    expect(
      obligations('(b) recruitment of the billing personnel, none of whom shall perform clinical functions;'),
    ).toEqual(['-:NEG']);
    expect(
      obligations(
        'Each such person shall be selected, employed, supervised and, if necessary, terminated by the Practice.',
      ),
    ).toEqual(['licensed:AFF']);
    expect(obligations('The Practice alone shall employ, supervise and discharge its Dentists.')).toEqual([
      'licensed:AFF',
    ]);
  });

  it('qualifiedBy makes the authority qualified in the same part of the sentence', () => {
    const approval =
      '{ near: { a: { terms: [approval, consent, approv*] }, b: { party: licensed }, within: 6 } }';
    const q = `actor: { who: lay, does: ${CLINICAL}, qualifiedBy: ${approval} }`;
    expect(holds(q, 'Manager shall establish treatment protocols.')).toBe(true);
    expect(
      holds(
        q,
        "Manager shall establish treatment protocols, subject to the Practice's prior written approval.",
      ),
    ).toBe(false);
    expect(
      holds(q, 'Subject to the approval of the Practice, Manager shall establish treatment protocols.'),
    ).toBe(false);
    // the approval in another part of the sentence does not qualify this one
    expect(
      holds(
        q,
        'Manager shall establish treatment protocols; the Practice shall approve marketing materials.',
      ),
    ).toBe(true);
  });

  it('captures the actor as written', () => {
    const f = run(
      `actor: { who: lay, does: ${CLINICAL}, capture: who }`,
      contract({ clauses: ['The Manager shall approve treatment plans.'] }),
    );
    expect(f[0]?.captures?.who).toBe('Manager');
  });
});
