/**
 * Party resolution: which words of a text refer to which party. Built once per document from
 * `Contract.parties` and `Contract.definitions` (a defined term beats everything), falling back to the role
 * nouns agreements use ("Manager", "DSO", "the Company" → lay side; "the Practice", "P.C.", "Group",
 * "Physician", "Dentist" → licensed side).
 *
 * Entity nouns ("Manager", "Practice", "Company", "Group") only count when capitalised, the way defined
 * terms are written: "the practice of dentistry" and "an office manager" are not parties. Professional
 * nouns ("physician", "dentist") count in any case. Staff titles ("Office Manager", "Practice Manager")
 * are recognised so that they do not read as "Practice" + "Manager".
 */
import type { Contract, PartyRole, PartySide } from '../../model.js';
import type { Who } from '../types.js';

export interface PartyMention {
  s: number;
  e: number;
  side: PartySide;
  role: PartyRole;
  /** "Manager's", "Physicians'". */
  possessive: boolean;
  /** The term names people (physician, employee, staff title) rather than an entity. */
  people: boolean;
  /**
   * Followed by a capitalised noun that makes a compound term naming a thing ("Practice Expenses",
   * "Manager Fee"): not a mention of the party itself.
   */
  attributive: boolean;
}

interface Entry {
  surface: string;
  side: PartySide;
  role: PartyRole;
  /** cap: as written or ALL CAPS; any: any case; exact: as written only. */
  mode: 'cap' | 'any' | 'exact';
  people: boolean;
}

export function sideOfRole(role: PartyRole): PartySide {
  switch (role) {
    case 'manager':
    case 'purchaser':
      return 'lay';
    case 'practice':
    case 'professional':
    case 'seller':
      return 'licensed';
    default:
      return 'unknown';
  }
}

const ROLE_NOUNS: Array<[string, PartyRole, 'cap' | 'any' | 'exact', boolean]> = [
  // lay side
  ['Manager', 'manager', 'cap', false],
  ['Management Company', 'manager', 'cap', false],
  ['Management Services Organization', 'manager', 'any', false],
  ['Management Service Organization', 'manager', 'any', false],
  ['MSO', 'manager', 'exact', false],
  ['DSO', 'manager', 'exact', false],
  ['Dental Support Organization', 'manager', 'any', false],
  ['Dental Service Organization', 'manager', 'any', false],
  ['Dental Services Organization', 'manager', 'any', false],
  ['Service Company', 'manager', 'cap', false],
  ['Administrator', 'manager', 'cap', false],
  ['Company', 'manager', 'cap', false],
  ['Purchaser', 'purchaser', 'cap', false],
  ['Buyer', 'purchaser', 'cap', false],
  ['Acquirer', 'purchaser', 'cap', false],
  ['Acquiror', 'purchaser', 'cap', false],
  // licensed side: entities
  ['Practice', 'practice', 'cap', false],
  ['Professional Practice', 'practice', 'cap', false],
  ['PC', 'practice', 'exact', false],
  ['P.C.', 'practice', 'exact', false],
  ['PLLC', 'practice', 'exact', false],
  ['P.L.L.C.', 'practice', 'exact', false],
  ['professional corporation', 'practice', 'any', false],
  ['professional entity', 'practice', 'any', false],
  ['Group', 'practice', 'cap', false],
  ['Medical Group', 'practice', 'cap', false],
  ['Dental Group', 'practice', 'cap', false],
  ['Physician Group', 'practice', 'cap', false],
  ['Provider', 'practice', 'cap', false],
  // licensed side: people
  ['physician', 'professional', 'any', true],
  ['dentist', 'professional', 'any', true],
  ['doctor', 'professional', 'any', true],
  ['clinician', 'professional', 'any', true],
  ['practitioner', 'professional', 'any', true],
  ['licensed professional', 'professional', 'any', true],
  ['licensed provider', 'professional', 'any', true],
  ['health care professional', 'professional', 'any', true],
  ['healthcare professional', 'professional', 'any', true],
  ['dental professional', 'professional', 'any', true],
  ['medical professional', 'professional', 'any', true],
  ['clinical professional', 'professional', 'any', true],
  ['Professional', 'professional', 'cap', true],
  ['hygienist', 'professional', 'any', true],
  ['orthodontist', 'professional', 'any', true],
  ['oral surgeon', 'professional', 'any', true],
  ['surgeon', 'professional', 'any', true],
  ['nurse practitioner', 'professional', 'any', true],
  ['physician assistant', 'professional', 'any', true],
  ['chiropractor', 'professional', 'any', true],
  ['optometrist', 'professional', 'any', true],
  ['Medical Director', 'professional', 'any', true],
  ['Dental Director', 'professional', 'any', true],
  ['Clinical Director', 'professional', 'any', true],
  ['Chief Medical Officer', 'professional', 'any', true],
  ['Chief Dental Officer', 'professional', 'any', true],
  ['Seller', 'seller', 'cap', false],
  ['Selling Owner', 'seller', 'cap', true],
  ['Selling Shareholder', 'seller', 'cap', true],
  ['Owner', 'seller', 'cap', true],
  ['Employer', 'employer', 'cap', false],
];

/** Staff titles that contain party nouns but name neither party. */
const STAFF_TITLES = [
  'office manager',
  'practice manager',
  'general manager',
  'regional manager',
  'billing manager',
  'operations manager',
  'account manager',
  'project manager',
  'practice administrator',
  'office administrator',
  'plan administrator',
  'claims administrator',
  'third-party administrator',
  'group health plan',
  'group practice',
];

/** Nouns that name people (used to tell "Manager's employees" from "Manager's fee"). */
export const PEOPLE_NOUNS = new Set(
  `personnel employee employees staff agent agents representative representatives officer officers director
  directors manager managers affiliate affiliates designee designees delegate delegates contractor contractors
  subcontractor subcontractors member members owner owners shareholder shareholders partner partners principal
  principals board management team administrator administrators consultant consultants successor successors
  assign assigns assignee assignees subsidiary subsidiaries workforce person persons individual individuals
  entity entities organization organizations nurse nurses assistant assistants technician technicians
  licensee licensees professional professionals provider providers staffing associate associates worker workers
  trustee trustees executive executives supervisor supervisors committee committees`
    .split(/\s+/)
    .filter(Boolean),
);

const FUNCTION_CAPS = new Set(
  `Shall Will May Must Should Can And Or Nor But The A An Of In On At To For By With From As Is Are Was Were Be
  Has Have Had Not No Any Each All Such This That These Those Agreement Section Article Exhibit Schedule If
  Upon Unless Except Notwithstanding Hereunder Herein Thereof Hereof It Its Their I Inc LLC`
    .split(/\s+/)
    .filter(Boolean),
);

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Regex source for a surface with plural and possessive variants; spaces/hyphens interchangeable. */
function surfaceSource(surface: string): string {
  const parts = surface.trim().split(/[\s-]+/);
  const last = parts.pop() as string;
  let lastSrc: string;
  if (/[^aeiou]y$/i.test(last)) {
    const stem = escapeRe(last.slice(0, -1));
    const y = last.slice(-1);
    const ies = y === 'Y' ? 'IES' : 'ies';
    lastSrc = `${stem}(?:${y}|${ies})`;
  } else if (/[.]$/.test(last) || /^[A-Z.]+$/.test(last)) {
    lastSrc = `${escapeRe(last)}(?:s)?`;
  } else {
    const plural = last === last.toUpperCase() && /[A-Z]/.test(last) ? '(?:ES|S)?' : '(?:es|s)?';
    lastSrc = `${escapeRe(last)}${plural}`;
  }
  const head = parts.map((p) => `${escapeRe(p)}[\\s-]+`).join('');
  return `${head}${lastSrc}`;
}

const POSSESSIVE = "(?:'s|'S|')?";

export class PartyLexicon {
  private readonly entries: Entry[] = [];
  private readonly byKey = new Map<string, Entry>();
  private readonly exactRe: RegExp | null;
  private readonly anyRe: RegExp | null;

  constructor(contract: Pick<Contract, 'parties' | 'definitions'>) {
    const add = (e: Entry): void => {
      const surface = e.surface.trim();
      if (surface.length < 2) return;
      const key = surface.toLowerCase().replace(/[\s-]+/g, ' ');
      if (this.byKey.has(key)) return;
      const entry = { ...e, surface };
      this.byKey.set(key, entry);
      this.entries.push(entry);
    };
    for (const p of contract.parties ?? []) {
      const side = p.side !== 'unknown' ? p.side : sideOfRole(p.role);
      for (const t of p.terms) add({ surface: t, side, role: p.role, mode: modeOf(t), people: false });
    }
    for (const d of contract.definitions ?? []) {
      if (!d.role && !d.side) continue;
      const role = d.role ?? 'other';
      const side = d.side && d.side !== 'unknown' ? d.side : sideOfRole(role);
      add({ surface: d.term, side, role, mode: modeOf(d.term), people: role === 'professional' });
    }
    for (const p of contract.parties ?? []) {
      const side = p.side !== 'unknown' ? p.side : sideOfRole(p.role);
      if (p.name && p.name.length >= 4)
        add({ surface: p.name, side, role: p.role, mode: 'any', people: false });
    }
    for (const t of STAFF_TITLES)
      add({ surface: t, side: 'unknown', role: 'other', mode: 'any', people: true });
    for (const [surface, role, mode, people] of ROLE_NOUNS) {
      add({ surface, side: sideOfRole(role), role, mode, people });
    }
    const bySpecificity = [...this.entries].sort((a, b) => b.surface.length - a.surface.length);
    const exact: string[] = [];
    const any: string[] = [];
    for (const e of bySpecificity) {
      const src = surfaceSource(e.surface);
      if (e.mode === 'any') any.push(src);
      else {
        exact.push(src);
        if (e.mode === 'cap' && e.surface !== e.surface.toUpperCase())
          exact.push(surfaceSource(e.surface.toUpperCase()));
      }
    }
    const wrap = (alts: string[]): string =>
      `(?<![\\p{L}\\p{N}_])(?:${alts.join('|')})${POSSESSIVE}(?![\\p{L}\\p{N}_])`;
    this.exactRe = exact.length ? new RegExp(wrap(exact), 'gu') : null;
    this.anyRe = any.length ? new RegExp(wrap(any), 'giu') : null;
  }

  /** The entry a matched surface refers to. */
  private lookup(matched: string): Entry | null {
    const bare = matched.replace(/(?:'s|'S|')$/, '');
    const key = bare.toLowerCase().replace(/[\s-]+/g, ' ');
    const direct = this.byKey.get(key);
    if (direct) return direct;
    // plural forms
    const candidates = [key.replace(/ies$/, 'y'), key.replace(/es$/, ''), key.replace(/s$/, '')];
    for (const c of candidates) {
      const e = this.byKey.get(c);
      if (e) return e;
    }
    return null;
  }

  /** All party mentions in `text`, in order, longest first at a position, no overlaps. */
  mentions(text: string): PartyMention[] {
    const raw: PartyMention[] = [];
    for (const re of [this.exactRe, this.anyRe]) {
      if (!re) continue;
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        const entry = this.lookup(m[0]);
        if (!entry) continue;
        const possessive = /(?:'s|'S|')$/.test(m[0]);
        raw.push({
          s: m.index,
          e: m.index + m[0].length,
          side: entry.side,
          role: entry.role,
          possessive,
          people: entry.people,
          attributive: false,
        });
      }
    }
    raw.sort((a, b) => a.s - b.s || b.e - a.e);
    const out: PartyMention[] = [];
    let end = -1;
    for (const m of raw) {
      if (m.s < end) continue;
      out.push(m);
      end = m.e;
    }
    for (const m of out) {
      if (m.possessive || m.people) continue;
      const after = /^[ ]+(\p{Lu}[\p{Ll}]+)/u.exec(text.slice(m.e, m.e + 40));
      if (!after) continue;
      const word = after[1] as string;
      if (FUNCTION_CAPS.has(word)) continue;
      if (PEOPLE_NOUNS.has(word.toLowerCase())) continue;
      const nextStart = m.e + (after[0].length - word.length);
      if (out.some((o) => o.s === nextStart)) continue;
      m.attributive = true;
    }
    return out;
  }
}

function modeOf(term: string): 'cap' | 'any' | 'exact' {
  if (/^[A-Z0-9.&]+$/.test(term) && /[A-Z]/.test(term)) return 'exact';
  if (/^\p{Lu}/u.test(term)) return 'cap';
  return 'any';
}

export function mentionMatches(m: { side: PartySide; role: PartyRole }, who: Who): boolean {
  if (who === 'lay' || who === 'licensed') return m.side === who;
  return m.role === who;
}
