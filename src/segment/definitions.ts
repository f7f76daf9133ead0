/**
 * Defined terms and the parties they name. Agreements define their parties in the preamble
 * (`Bright Smile Dental Support, LLC, a Delaware limited liability company ("DSO")`) and other terms in a
 * definitions article (`"Collections" means …`) or in passing (`(the "Management Fee")`). Rules resolve
 * "who does what" through these terms, so each party term is tagged with its role and side.
 */
import type { Clause, DefinedTerm, Party, PartyRole, PartySide } from '../model.js';

const Q_OPEN = `["“”']`;
const Q_CLOSE = `["”“']`;
const TERM = `([A-Z][\\w&.\\-/' ]{0,60}?)`;

/** `"Manager" means`, `"Collections" shall mean`, `"Term" has the meaning set forth`. */
const MEANS = new RegExp(
  `${Q_OPEN}${TERM}${Q_CLOSE}\\s*(?:\\([^)]*\\)\\s*)?(?:,\\s*)?(?:shall\\s+mean|means|shall\\s+have\\s+the\\s+meaning|has\\s+the\\s+meaning|shall\\s+refer\\s+to|refers\\s+to|includes|is\\s+defined)`,
  'g',
);

/** `(the "Practice")`, `(“DSO”)`, `(collectively, "Sellers")`, `(hereinafter referred to as "Manager")`. */
const PAREN = new RegExp(
  `\\(\\s*(?:together\\s+with\\s+[^,()]+,\\s*)?(?:collectively|individually|each|together|jointly|hereinafter|herein|referred\\s+to\\s+(?:herein\\s+)?as|hereinafter\\s+(?:referred\\s+to\\s+as|called)|as\\s+applicable)?[,\\s]*(?:(?:referred\\s+to\\s+)?as\\s+)?(?:an?\\s+|the\\s+)?${Q_OPEN}${TERM}${Q_CLOSE}(?:\\s*(?:,|or|and)\\s*(?:an?\\s+|the\\s+)?${Q_OPEN}([A-Z][\\w&.\\-/' ]{0,60}?)${Q_CLOSE})?\\s*\\)`,
  'g',
);

interface RoleHint {
  role: PartyRole;
  side: PartySide;
}

/** Role nouns used as defined terms for parties. Order matters: the first match wins. */
const TERM_ROLES: [RegExp, RoleHint][] = [
  [
    /^(manager|management company|mso|dso|administrator|service company|business manager|support company|management services organi[sz]ation|dental support organi[sz]ation|consultant)$/i,
    { role: 'manager', side: 'lay' },
  ],
  [
    /^(purchaser|buyer|acquir(?:o|e)r|parent|holdco|holdings|investor|merger sub|acquisition sub|newco)$/i,
    { role: 'purchaser', side: 'lay' },
  ],
  [
    /^(practice|pc|p\.c\.|pa|p\.a\.|pllc|group|medical group|dental group|professional corporation|professional entity|provider|client|professional association|owner practice)$/i,
    { role: 'practice', side: 'licensed' },
  ],
  [
    /^(physician|dentist|doctor|employee|professional|orthodontist|surgeon|clinician|practitioner|associate|provider dentist|provider physician)s?$/i,
    { role: 'professional', side: 'licensed' },
  ],
  [
    /^(seller|sellers|owner|owners|shareholder|shareholders|stockholders?|members?|selling (dentist|physician|owner|shareholder|member)s?|principals?|seller parties|seller party|contributor|contributors|transferor)$/i,
    { role: 'seller', side: 'licensed' },
  ],
  [/^(employer)$/i, { role: 'employer', side: 'unknown' }],
  [/^(company)$/i, { role: 'manager', side: 'unknown' }],
];

const LICENSED_NAME =
  /\b(P\.?\s?C\.?|P\.?\s?A\.?|P\.?L\.?L\.?C\.?|Professional (Corporation|Association|Limited Liability Company|LLC|Entity)|Medical Group|Dental Group|Dentistry|Dental Care|Dental Associates|S\.C\.|Dental,? Ltd\.?|Surgery Group|Physicians?|Orthodontics|Pediatrics|Medical Associates|M\.\s?D\.|D\.\s?D\.\s?S\.|D\.\s?M\.\s?D\.|Dr\.)(?=\W|$)/;
const LAY_NAME =
  /\b(Management|Services|Service|Support|Holdings?|Partners|Administrative|Administrators?|Ventures|Capital|Equity|Solutions|Health(care)? Systems|MSO|DSO)\b/i;

/** A legal entity's name, not a phrase that happens to contain "Support" or "Services". */
const ENTITY_SUFFIX =
  /\b(LLC|L\.L\.C\.|Inc\.?|Corporation|Corp\.?|L\.P\.|LLP|Ltd\.?|P\.C\.|P\.A\.|PLLC|S\.C\.)(?=\W|$)/;

function clean(term: string): string {
  const t = term.replace(/\s+/g, ' ').trim();
  // Keep the dot of an abbreviation ("P.C."), drop a trailing sentence comma or period.
  return /\.\S+\.$/.test(t) ? t : t.replace(/[,.]$/, '');
}

/**
 * The party name that a parenthetical definition is attached to:
 * `… by and among Hill Country Smiles, PLLC, a Texas professional limited liability company ("Employer"),`
 * → "Hill Country Smiles, PLLC". The descriptor (", a Texas …", ", an individual") is removed first, so an
 * "and" inside it ("licensed to practise medicine and surgery") cannot cut the name.
 */
function nameBefore(text: string, index: number): string {
  let before = text.slice(Math.max(0, index - 400), index);
  // Only what follows the previous definition's closing parenthesis.
  const lastParen = before.lastIndexOf(')');
  if (lastParen >= 0) before = before.slice(lastParen + 1);
  // Drop the descriptor: ", a Delaware limited liability company", ", an individual residing in …".
  const descriptor = /,\s+(?:(?:a|an)\s+|the\s+(?=[a-z]))[^"“”]*$/i.exec(before);
  if (descriptor && descriptor.index > 0) before = before.slice(0, descriptor.index);
  // "…, solely for purposes of Article III, Canyon Ridge Holdings, L.P." — the party joins for limited purposes.
  before = before.replace(
    /^[,\s]*(?:solely|only)\s+(?:for|with respect to)\s+(?:the\s+)?purposes?\s+of\s+[^,]*,\s*/i,
    '',
  );
  // Start after the last connective that introduces a party.
  const connectives = [
    ...before.matchAll(
      /\b(?:by and between|by and among|between|among|with|by)\s+|(?:^|[,;]\s*)and\s+|;\s*/gi,
    ),
  ];
  const last = connectives.at(-1);
  if (last) before = before.slice(last.index + last[0].length);
  return before
    .replace(/^[,:\s]+|[,\s]+$/g, '')
    .replace(/^(the|its)\s+/i, '')
    .trim();
}

export function classifyParty(term: string, name: string): RoleHint {
  const t = clean(term);
  let hint: RoleHint | null = null;
  for (const [re, role] of TERM_ROLES) {
    if (re.test(t)) {
      hint = { ...role };
      break;
    }
  }
  const licensedName = LICENSED_NAME.test(name);
  const layName = !licensedName && LAY_NAME.test(name);
  if (!hint) {
    if (licensedName)
      return {
        role: /^(Dr\.|[A-Z][a-z]+ [A-Z]\.? ?[A-Z][a-z]+,? (D|M)\.)/.test(name) ? 'professional' : 'practice',
        side: 'licensed',
      };
    if (layName) return { role: 'manager', side: 'lay' };
    return { role: 'other', side: 'unknown' };
  }
  // The name decides terms that could be either side ("Company", "Employer").
  if (hint.side === 'unknown') {
    if (licensedName) return { role: hint.role === 'manager' ? 'practice' : hint.role, side: 'licensed' };
    if (layName || /\b(LLC|Inc\.?|Corporation|Corp\.?|L\.P\.)\b/.test(name))
      return { role: hint.role, side: 'lay' };
  }
  return hint;
}

export interface DefinitionsResult {
  definitions: DefinedTerm[];
  parties: Party[];
}

export function extractDefinitions(clauses: Clause[]): DefinitionsResult {
  const definitions: DefinedTerm[] = [];
  const seen = new Set<string>();
  const parties: Party[] = [];
  // Parties are defined in the preamble or the first clauses before the recitals/body.
  const partyZone = new Set(
    clauses.filter((c) => c.kind === 'preamble' || c.kind === 'title').map((c) => c.id),
  );
  if (partyZone.size === 0 && clauses[0]) partyZone.add(clauses[0].id);
  if (clauses[1] && clauses[1].kind !== 'recital' && clauses[0]?.kind === 'title')
    partyZone.add(clauses[1].id);

  const add = (term: string, definition: string, clause: Clause, role?: RoleHint) => {
    const key = term.toLowerCase();
    if (seen.has(key) || term.length < 2) return;
    seen.add(key);
    definitions.push({
      term,
      definition: definition.replace(/\s+/g, ' ').trim().slice(0, 300),
      clauseId: clause.id,
      ...(role ? { role: role.role, side: role.side } : {}),
    });
  };

  for (const clause of clauses) {
    if (clause.kind === 'signature') continue;
    const text = clause.text;
    for (const m of text.matchAll(PAREN)) {
      const terms = [m[1], m[2]].filter((t): t is string => Boolean(t)).map(clean);
      const name = nameBefore(text, m.index);
      for (const term of terms) {
        if (/^(Agreement|Effective Date|Closing|Closing Date|Parties|Party|Term|Territory)$/i.test(term)) {
          add(term, name, clause);
          continue;
        }
        if (
          /\b(Date|Period|Term|Agreement|Closing|Fee|Price|Amount|Collections|Revenue|Services?|Territory|Premises|Law|Code|Act)$/i.test(
            term,
          ) &&
          !TERM_ROLES.some(([re]) => re.test(term))
        ) {
          add(term, name, clause);
          continue;
        }
        const inPartyZone = partyZone.has(clause.id);
        const hint = classifyParty(term, name);
        if (inPartyZone && name && hint.role !== 'other') {
          const existing = parties.find((p) => p.name === name);
          if (existing) existing.terms.push(term);
          else parties.push({ name, role: hint.role, side: hint.side, terms: [term] });
          add(term, name, clause, hint);
        } else if (
          hint.role !== 'other' &&
          (TERM_ROLES.some(([re]) => re.test(term)) || ENTITY_SUFFIX.test(name.slice(0, 120)))
        ) {
          // A role term ("the DSO"), or a company defined outside the preamble — "Northsound Dental
          // Partners, LLC, a Delaware limited liability company ("NDP")" in a recital of an employment
          // agreement is the lay manager the rules must recognise.
          add(term, name, clause, hint);
        } else {
          add(term, name, clause);
        }
      }
    }
    for (const m of text.matchAll(MEANS)) {
      const term = clean(m[1] ?? '');
      const definition = text.slice(m.index, Math.min(text.length, m.index + 300));
      const byRole = TERM_ROLES.find(([re]) => re.test(term));
      if (byRole) {
        const hint = classifyParty(term, definition);
        add(term, definition, clause, hint);
      } else add(term, definition, clause);
    }
  }

  // Terms defined as a party elsewhere ("Manager" means Bright Smile…) join that party.
  for (const def of definitions) {
    if (!def.role) continue;
    if (parties.some((p) => p.terms.some((t) => t.toLowerCase() === def.term.toLowerCase()))) continue;
    const byName = parties.find(
      (p) => def.definition.includes(p.name) || p.terms.some((t) => def.definition.includes(`"${t}"`)),
    );
    if (byName) byName.terms.push(def.term);
  }
  return { definitions, parties };
}
