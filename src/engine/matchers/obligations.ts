/**
 * Who does what: finds the obligations of a clause — the actor (resolved to a party), the polarity and the
 * predicate — without a parser, from the shapes agreements are drafted in:
 *
 *   Manager shall (not) establish …              subject before a modal
 *   Manager's personnel shall …                   possessive: the owner is the actor
 *   Any employee of Manager shall …               "of/by/employed by <party>" after a people noun
 *   The Practice and its Dentists shall …         coordinated subjects
 *   Manager, in consultation with X, shall …      parenthetical skipped
 *   Treatment protocols shall be established by Manager          passive: the agent after "by"
 *   In no event shall Manager …  /  nor shall Manager …          inverted negation
 *   Neither Manager nor any of its Affiliates shall …             negated subject
 *   No employee of Manager shall …                               negated subject
 *   Nothing herein shall be construed to permit Manager to …      the party after "permit" is the actor, negated
 *   Manager shall handle billing; the Practice shall direct …     each part of the sentence separately
 *   Manager shall provide billing and shall establish …           ellipsis: the subject carries over
 *   Manager shall provide the following services: (a) …; (b) …   list items inherit the lead-in
 *
 * Offsets are local to the clause text. Obligations without a resolvable actor are kept (they delimit
 * the predicates of their neighbours) with `actors: []`.
 */
import type { PartyRole, PartySide } from '../../model.js';
import { type PartyMention, PEOPLE_NOUNS } from './party.js';

export interface ActorRef {
  side: PartySide;
  role: PartyRole;
  /** Text id and offsets of the mention that names the actor. */
  t: number;
  s: number;
  e: number;
}

export interface Range {
  t: number;
  s: number;
  e: number;
}

export interface Obligation {
  /** Text id (clause) the predicate is in. */
  t: number;
  actors: ActorRef[];
  negated: boolean;
  passive: boolean;
  /** The modal (or trigger) words. */
  modal: Range;
  predicate: Range;
  /** Ranges `does` is tested against: the predicate, or in the passive the subject and the predicate. */
  does: Range[];
  /** Ranges `qualifiedBy` is tested against: this part of the sentence (and the lead-in's). */
  qualifiers: Range[];
  /** The predicate introduces a list ("… the following services:"); sub-clauses inherit it. */
  listIntro: boolean;
  inherited: boolean;
}

interface Tok {
  s: number;
  e: number;
  /** lower-case text (for words), the character for punctuation */
  w: string;
  raw: string;
  kind: 'word' | 'punct' | 'mention';
  m?: PartyMention;
}

const TOKEN_RE = /[\p{L}\p{N}]+(?:['.&-][\p{L}\p{N}]+)*'?|[^\s\p{L}\p{N}]/gu;

function tokenize(text: string, from: number, to: number, mentions: PartyMention[]): Tok[] {
  const out: Tok[] = [];
  const slice = text.slice(from, to);
  TOKEN_RE.lastIndex = 0;
  let mi = 0;
  while (mi < mentions.length && (mentions[mi] as PartyMention).e <= from) mi++;
  for (let m = TOKEN_RE.exec(slice); m; m = TOKEN_RE.exec(slice)) {
    const s = from + m.index;
    const e = s + m[0].length;
    while (mi < mentions.length && (mentions[mi] as PartyMention).e <= s) mi++;
    const men = mentions[mi];
    if (men && men.s <= s && men.e > s && men.e <= to) {
      const last = out[out.length - 1];
      if (last && last.kind === 'mention' && last.m === men) continue;
      out.push({
        s: men.s,
        e: men.e,
        w: text.slice(men.s, men.e).toLowerCase(),
        raw: text.slice(men.s, men.e),
        kind: 'mention',
        m: men,
      });
      continue;
    }
    const raw = m[0];
    const c0 = raw.charCodeAt(0);
    // a token is a word unless it is one punctuation character
    const isWord =
      raw.length > 1 ||
      (c0 >= 48 && c0 <= 57) ||
      (c0 >= 65 && c0 <= 90) ||
      (c0 >= 97 && c0 <= 122) ||
      c0 > 127;
    out.push({ s, e, w: isWord ? raw.toLowerCase() : raw, raw, kind: isWord ? 'word' : 'punct' });
  }
  return out;
}

const AUX = new Set(['shall', 'will', 'may', 'must', 'should', 'can', 'cannot']);
const SUBORDINATORS = new Set(
  `if when whenever where wherever unless until provided except whereas while because although though so
  whether once after before since then thereafter hereafter however moreover furthermore additionally
  accordingly therefore thus otherwise including namely upon following during within without as
  notwithstanding subject pursuant per to`
    .split(/\s+/)
    .filter(Boolean),
);
const COORD = new Set(['and', 'or', 'nor', 'but', '&', 'and/or']);
const PREPOSITIONS = new Set(
  `of by for from in at on with under within without between among through to via including except other than`
    .split(/\s+/)
    .filter(Boolean),
);
const PARTICIPLE_MODIFIERS = new Set(
  `employed engaged retained designated acting providing performing working contracted affiliated owned
  controlled appointed hired assigned furnished supplied`
    .split(/\s+/)
    .filter(Boolean),
);
const PRONOUNS = new Set(['it', 'they', 'he', 'she', 'itself', 'themselves']);
const QUANTIFIERS = new Set([
  'any',
  'each',
  'all',
  'none',
  'some',
  'either',
  'both',
  'one',
  'every',
  'neither',
]);
const POSSESSIVE_PRONOUNS = new Set(['its', 'their', 'his', 'her']);
const NEG_NOUNS = new Set(
  `right rights authority power powers ability control discretion say role involvement responsibility
  obligation duty liability voice input`
    .split(/\s+/)
    .filter(Boolean),
);
const AUTHORITY_VERBS = new Set(
  `retains reserves has holds controls directs determines establishes sets approves hires fires supervises
  owns manages maintains exercises makes decides selects appoints employs provides performs bears assumes
  oversees governs dictates`
    .split(/\s+/)
    .filter(Boolean),
);
const AUTHORITY_VERBS_PLURAL = new Set(
  `retain reserve have hold control direct determine establish set approve hire fire supervise own manage
  maintain exercise make decide select appoint employ provide perform bear assume oversee govern dictate`
    .split(/\s+/)
    .filter(Boolean),
);
const PHRASAL_ADJ = new Set(
  `authorized permitted entitled empowered required obligated expected allowed responsible liable solely
  exclusively primarily fully jointly`
    .split(/\s+/)
    .filter(Boolean),
);
const NEG_PHRASAL = new Set(['prohibited', 'precluded', 'barred', 'restricted', 'forbidden', 'enjoined']);
const NH_VERBS =
  /^(?:permit|permits|permitting|allow|allows|allowing|authorize|authorizes|authorizing|authorise|give|gives|giving|grant|grants|granting|entitle|entitles|entitling|empower|empowers|empowering|confer|confers|conferring|require|requires|requiring|vest|vests|vesting|enable|enables|enabling|create|creates|creating|delegate|delegates|delegating)$/;
const IRREGULAR_PARTICIPLES = new Set(
  `made set done given taken held kept paid chosen sold bought brought built caught drawn driven found
  granted hired led left lent met put read run said seen sent shown shut spent told thought understood
  undertaken withheld written borne born overseen`
    .split(/\s+/)
    .filter(Boolean),
);

/** Words that can start an inverted negation or a "nothing herein" form. */
const NEGATION_STARTS = new Set(['nothing', 'no', 'in', 'at', 'on', 'under', 'nor', 'neither']);
/** Words that can start a modal / phrasal trigger (besides present-tense verbs after a party). */
const TRIGGER_STARTS = new Set([
  ...AUX,
  'agree',
  'agrees',
  'covenant',
  'covenants',
  'undertake',
  'undertakes',
  'commit',
  'commits',
  'elect',
  'elects',
  'does',
  'do',
  'is',
  'are',
]);

/** Words allowed between a participle and "by" ("selected, employed and, if necessary, terminated by"). */
const PASSIVE_CHAIN = new Set([
  'and',
  'or',
  ',',
  'if',
  'necessary',
  'applicable',
  'appropriate',
  'needed',
  'required',
  'as',
  'when',
]);

function isParticiple(w: string): boolean {
  return (
    (/^[a-z]{3,}(?:ed|en)$/.test(w) &&
      !/^(?:need|seed|feed|deed|speed|bleed|heed|often|even|open|seven|eleven|between)$/.test(w)) ||
    IRREGULAR_PARTICIPLES.has(w)
  );
}

const NOT_ADVERBS = new Set(
  `apply applies comply complies supply supplies reply replies rely relies imply implies multiply ally family
  assembly monopoly anomaly italy july fly belly jelly holy early only`
    .split(/\s+/)
    .filter(Boolean),
);

function isAdverb(w: string): boolean {
  return (
    (/^[a-z]{3,}ly$/.test(w) && !NOT_ADVERBS.has(w)) ||
    w === 'also' ||
    w === 'further' ||
    w === 'then' ||
    w === 'thereafter' ||
    w === 'hereafter' ||
    w === 'only' ||
    w === 'alone' ||
    w === 'itself' ||
    w === 'themselves' ||
    w === 'together'
  );
}

function isPeople(t: Tok): boolean {
  return t.kind === 'mention' ? true : t.kind === 'word' && PEOPLE_NOUNS.has(t.w);
}

function isNounish(t: Tok | undefined): boolean {
  if (!t) return false;
  return (
    t.kind === 'mention' ||
    (t.kind === 'word' &&
      (PEOPLE_NOUNS.has(t.w) || /^(?:any|each|all|other|such|the|its|their|every)$/.test(t.w)))
  );
}

function isMention(t: Tok | undefined): boolean {
  return t?.kind === 'mention' && !!t.m;
}

interface Trigger {
  type: 'modal' | 'inverted' | 'nothing' | 'present' | 'passive-present';
  /** token index where the trigger starts and where the predicate starts */
  start: number;
  predStart: number;
  negated: boolean;
  /** for inverted / nothing: the actors found after the trigger */
  actors?: ActorRef[];
  /** A modal in a relative clause ("Manager, which shall …"): index of the relative pronoun. */
  relative?: number;
}

/** Reads the negation and where the predicate starts after an auxiliary at token `i`. */
function readModal(toks: Tok[], i: number): { predStart: number; negated: boolean } {
  let j = i + 1;
  let negated = toks[i]?.w === 'cannot';
  const w = (k: number): string => toks[k]?.w ?? '';
  // adverbs between the modal and the negation
  while (isAdverb(w(j)) && w(j) !== 'at' && w(j) !== 'all') j++;
  if (w(j) === 'not' || w(j) === 'never' || w(j) === 'neither') {
    negated = true;
    j++;
  } else if (w(j) === 'in' && w(j + 1) === 'no' && (w(j + 2) === 'event' || w(j + 2) === 'case')) {
    negated = true;
    j += 3;
  } else if (w(j) === 'under' && w(j + 1) === 'no' && /^circumstances?$/.test(w(j + 2))) {
    negated = true;
    j += 3;
  } else if (w(j) === 'at' && w(j + 1) === 'no' && w(j + 2) === 'time') {
    negated = true;
    j += 3;
  }
  // "shall have no right/authority …"
  if (
    (w(j) === 'have' || w(j) === 'possess' || w(j) === 'retain') &&
    w(j + 1) === 'no' &&
    NEG_NOUNS.has(w(j + 2))
  )
    negated = true;
  // "shall be prohibited from", "shall refrain from"
  if (w(j) === 'be' && NEG_PHRASAL.has(w(j + 1))) negated = true;
  if ((w(j) === 'refrain' || w(j) === 'abstain') && w(j + 1) === 'from') negated = true;
  return { predStart: j, negated };
}

function findTriggers(toks: Tok[]): Trigger[] {
  const out: Trigger[] = [];
  const w = (k: number): string => toks[k]?.w ?? '';
  const consumed = new Set<number>();
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Tok;
    if (t.kind !== 'word' || !NEGATION_STARTS.has(t.w)) continue;
    // Nothing herein shall be construed to permit <party> to …
    if (t.w === 'nothing' || (t.w === 'no' && /^(?:provision|term|part|portion)s?$/.test(w(i + 1)))) {
      for (let k = i + 1; k < Math.min(toks.length, i + 25); k++) {
        if (toks[k]?.w === ';') break;
        if (NH_VERBS.test(w(k))) {
          let a = k + 1;
          while (
            a < toks.length &&
            /^(?:upon|on|in|to|or|and|the|any|require|permit|allow|authorize)$/.test(w(a)) &&
            !isMention(toks[a])
          )
            a++;
          if (isMention(toks[a])) {
            const np = readNounPhrase(toks, a);
            for (let c = i; c < np.end; c++) consumed.add(c);
            out.push({
              type: 'nothing',
              start: i,
              predStart: skipTo(toks, np.end),
              negated: true,
              actors: np.actors,
            });
          }
          break;
        }
      }
      continue;
    }
    // In no event / under no circumstances / at no time / nor / neither + AUX + <party>
    let invEnd = -1;
    if (
      (t.w === 'in' && w(i + 1) === 'no' && (w(i + 2) === 'event' || w(i + 2) === 'case')) ||
      (t.w === 'at' && w(i + 1) === 'no' && w(i + 2) === 'time') ||
      (t.w === 'on' && w(i + 1) === 'no' && w(i + 2) === 'account')
    )
      invEnd = i + 3;
    else if (t.w === 'under' && w(i + 1) === 'no' && /^circumstances?$/.test(w(i + 2))) invEnd = i + 3;
    else if (t.w === 'nor' || (t.w === 'neither' && (AUX.has(w(i + 1)) || w(i + 1) === 'does')))
      invEnd = i + 1;
    if (invEnd >= 0 && (AUX.has(w(invEnd)) || /^(?:is|are|does|do)$/.test(w(invEnd)))) {
      let a = invEnd + 1;
      while (
        a < invEnd + 5 &&
        a < toks.length &&
        !isMention(toks[a]) &&
        /^(?:the|any|such|each|either|of|its|their)$/.test(w(a))
      )
        a++;
      if (isMention(toks[a]) || (toks[a] && PEOPLE_NOUNS.has(w(a)))) {
        const np = readNounPhrase(toks, a);
        for (let c = i; c < np.end; c++) consumed.add(c);
        out.push({ type: 'inverted', start: i, predStart: np.end, negated: true, actors: np.actors });
        i = np.end - 1;
      }
    }
  }
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Tok;
    if (t.kind !== 'word') continue;
    if (!TRIGGER_STARTS.has(t.w) && toks[i - 1]?.kind !== 'mention') continue;
    if (consumed.has(i)) continue;
    if (AUX.has(t.w)) {
      if (t.w === 'will' && (w(i - 1) === 'at' || w(i + 1) === '-' || /^(?:at-will|will-)/.test(t.w)))
        continue;
      if (t.w === 'may' && /^May$/.test(t.raw) && /^\d/.test(w(i + 1))) continue;
      const r = readModal(toks, i);
      const tr: Trigger = { type: 'modal', start: i, predStart: r.predStart, negated: r.negated };
      if (
        /^(?:who|which)$/.test(w(i - 1)) ||
        (w(i - 1) === 'that' &&
          (isMention(toks[i - 2]) || isPeople(toks[i - 2] ?? ({ kind: 'punct' } as Tok))))
      )
        tr.relative = i - 1;
      // "none of whom shall …", "each of which shall …"
      if (/^(?:whom|which)$/.test(w(i - 1)) && w(i - 2) === 'of' && QUANTIFIERS.has(w(i - 3))) {
        tr.relative = i - 3;
        if (w(i - 3) === 'none' || w(i - 3) === 'neither') tr.negated = true;
      }
      out.push(tr);
      continue;
    }
    // agrees to / covenants to / undertakes to / agrees not to
    if (/^(?:agrees?|covenants?|undertakes?|commits?|elects?)$/.test(t.w)) {
      let j = i + 1;
      if (w(j) === 'and' && /^(?:agrees?|covenants?)$/.test(w(j + 1))) j += 2;
      let negated = false;
      if (w(j) === 'not') {
        negated = true;
        j++;
      }
      if (w(j) === 'to') {
        out.push({ type: 'modal', start: i, predStart: j + 1, negated });
        i = j;
      }
      continue;
    }
    // does not / do not
    if ((t.w === 'does' || t.w === 'do') && w(i + 1) === 'not') {
      out.push({ type: 'modal', start: i, predStart: i + 2, negated: true });
      i++;
      continue;
    }
    // is/are responsible for, is authorized to, is prohibited from, is not permitted to, are made by …
    if (t.w === 'is' || t.w === 'are') {
      let j = i + 1;
      let negated = false;
      if (w(j) === 'hereby') j++;
      if (w(j) === 'not') {
        negated = true;
        j++;
      }
      while (isAdverb(w(j)) && !PHRASAL_ADJ.has(w(j))) j++;
      if (/^(?:solely|exclusively|primarily|fully|jointly)$/.test(w(j))) j++;
      if (NEG_PHRASAL.has(w(j)) && w(j + 1) === 'from') {
        out.push({ type: 'modal', start: i, predStart: j + 2, negated: true });
        continue;
      }
      if (PHRASAL_ADJ.has(w(j)) && (w(j + 1) === 'to' || w(j + 1) === 'for')) {
        out.push({
          type: 'modal',
          start: i,
          predStart: w(j) === 'responsible' || w(j) === 'liable' ? j : j + 2,
          negated,
        });
        continue;
      }
      if (isParticiple(w(j))) {
        // present passive with an agent: "are made by the Physicians"
        let k = j + 1;
        while (
          k < toks.length &&
          k < j + 12 &&
          (isAdverb(w(k)) || isParticiple(w(k)) || PASSIVE_CHAIN.has(w(k)))
        )
          k++;
        // not inside a relative clause ("any Dentist who is employed by Manager shall …")
        if (w(k) === 'by' && !/^(?:who|which|that|whom)$/.test(w(i - 1))) {
          out.push({ type: 'passive-present', start: i, predStart: i, negated });
        }
      }
      continue;
    }
    // present-tense authority verbs directly after a party: "The Practice retains sole authority"
    const prev = toks[i - 1];
    if (prev?.kind === 'mention' && !prev.m?.possessive && !prev.m?.attributive) {
      const plural = /s'?$/.test(prev.w) || COORD.has(toks[i - 2]?.w ?? '');
      if (AUTHORITY_VERBS.has(t.w) || (plural && AUTHORITY_VERBS_PLURAL.has(t.w))) {
        out.push({ type: 'present', start: i, predStart: i, negated: false });
      }
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

function skipTo(toks: Tok[], i: number): number {
  let j = i;
  if (toks[j]?.w === 'to') j++;
  return j;
}

/** A noun phrase starting at a mention/people noun: "Manager or any of its Affiliates". */
function readNounPhrase(toks: Tok[], start: number): { end: number; actors: ActorRef[] } {
  const actors: ActorRef[] = [];
  let i = start;
  let last: ActorRef | null = null;
  const cont = /^(?:or|and|nor|any|of|its|their|his|her|the|such|each|either|other|respective|,)$/;
  while (i < toks.length) {
    const t = toks[i] as Tok;
    if (t.kind === 'mention' && t.m) {
      if (t.m.side !== 'unknown') {
        last = { side: t.m.side, role: t.m.role, t: -1, s: t.s, e: t.e };
        actors.push(last);
      }
      i++;
      continue;
    }
    if (t.kind === 'word' && (cont.test(t.w) || PEOPLE_NOUNS.has(t.w))) {
      i++;
      continue;
    }
    if (t.w === ',') {
      i++;
      continue;
    }
    break;
  }
  // do not swallow a trailing conjunction or comma
  while (i > start && /^(?:or|and|nor|,|the|any|of|its|their)$/.test(toks[i - 1]?.w ?? '')) i--;
  return { end: i, actors };
}

interface Subject {
  actors: ActorRef[];
  negated: boolean;
  pronoun: boolean;
  /** token range of the subject */
  start: number;
  end: number;
}

/** Words that open a parenthetical between a subject and its modal ("the Practice, in its discretion, shall"). */
const PARENTHETICAL_OPENERS = new Set(
  `in with after upon on subject as at by for if unless when whenever where to following pursuant without
  notwithstanding acting through except including which who whom whose acting having being only solely
  alone each both either together except at its through`.split(/\s+/),
);

/** Finds the subject tokens before the trigger at `ti` (not before `floor`). */
function subjectRange(
  toks: Tok[],
  ti: number,
  floor: number,
  loose: boolean,
): { start: number; end: number } {
  let i = ti - 1;
  const w = (k: number): string => toks[k]?.w ?? '';
  // skip adverbs directly before the modal ("Manager also shall")
  while (i >= floor && toks[i]?.kind === 'word' && isAdverb(w(i))) i--;
  // ellipsis: "… and shall", "…, but may not" — no subject of its own
  if (i >= floor && (COORD.has(w(i)) || (w(i) === ',' && i === ti - 1 && COORD.has(w(i - 1)))))
    return { start: ti, end: ti };
  if (i < floor) return { start: ti, end: ti };
  // a parenthetical directly before the modal: "Manager, in consultation with X, shall"
  if (i >= 0 && w(i) === ',') {
    let j = i - 1;
    while (j >= 0 && w(j) !== ',' && w(j) !== ';' && w(j) !== ':') j--;
    // After another predicate of the same sentence, ", shall …" is a further predicate of the same subject
    // ("Manager shall recruit, hire, train and supervise the counselors …, shall assign them …"), unless
    // the stretch between the commas opens like a parenthetical ("…, and the Practice, in its discretion,
    // shall approve").
    if (floor > 0 && j >= floor && w(j) === ',' && !PARENTHETICAL_OPENERS.has(w(j + 1)))
      return { start: ti, end: ti };
    if (j >= 0 && w(j) === ',') {
      i = j - 1;
      if (i < floor) floor = 0; // the parenthetical held a relative clause's modal
    }
  } else if (i >= floor && w(i) === ')') {
    let depth = 0;
    let j = i;
    for (; j >= floor; j--) {
      if (w(j) === ')') depth++;
      else if (w(j) === '(') {
        depth--;
        if (depth === 0) break;
      }
    }
    if (j >= floor) i = j - 1;
  }
  const end = i + 1;
  while (i >= floor) {
    const t = toks[i] as Tok;
    if (t.kind === 'punct') {
      if (t.w === ')') {
        let depth = 0;
        let j = i;
        for (; j >= floor; j--) {
          if (w(j) === ')') depth++;
          else if (w(j) === '(') {
            depth--;
            if (depth === 0) break;
          }
        }
        if (j < floor) break;
        i = j - 1;
        continue;
      }
      if (
        t.w === ',' &&
        (loose ||
          ((isMention(toks[i - 1]) || isPeople(toks[i - 1] ?? ({ kind: 'punct' } as Tok))) &&
            isNounish(toks[i + 1])))
      ) {
        // "manager, administrator or other non-physician" — a list of people in the subject
        i--;
        continue;
      }
      if (t.w === '"' || t.w === "'") {
        i--;
        continue;
      }
      break;
    }
    if (t.kind === 'word') {
      if (SUBORDINATORS.has(t.w)) break;
      if (t.w === 'that' || t.w === 'which') {
        if (isPeople(toks[i - 1] ?? ({ kind: 'punct' } as Tok)) || isMention(toks[i - 1])) {
          i--;
          continue;
        }
        break;
      }
      if (AUX.has(t.w) || t.w === 'agrees' || t.w === 'agree') break;
      if (COORD.has(t.w) && !loose) {
        const p = toks[i - 1];
        if (p && (isMention(p) || isPeople(p))) {
          i--;
          continue;
        }
        break;
      }
    }
    i--;
  }
  let start = i + 1;
  if (end - start > 30) start = end - 30;
  return { start, end };
}

function resolveSubject(toks: Tok[], start: number, end: number, antecedent: ActorRef[]): Subject {
  let s = start;
  const w = (k: number): string => toks[k]?.w ?? '';
  while (
    s < end &&
    (toks[s]?.kind === 'punct' || COORD.has(w(s)) || w(s) === 'that' || SUBORDINATORS.has(w(s)))
  )
    s++;
  let negated = false;
  if (w(s) === 'no' || w(s) === 'neither') {
    negated = true;
    s++;
  }
  let e = end;
  for (let k = s; k < end; k++) {
    if (
      w(k) === 'who' ||
      w(k) === 'whom' ||
      w(k) === 'whose' ||
      (k > s && (w(k) === 'which' || w(k) === 'that'))
    ) {
      e = k;
      break;
    }
  }
  // split into coordinated noun phrases
  const nps: Array<[number, number]> = [];
  let a = s;
  for (let k = s; k < e; k++) {
    if (COORD.has(w(k)) || w(k) === ',') {
      if (k > a) nps.push([a, k]);
      a = k + 1;
    }
  }
  if (e > a) nps.push([a, e]);
  const actors: ActorRef[] = [];
  let pronoun = false;
  for (const [ns, ne] of nps) {
    let cs = ns;
    // "any of its Affiliates", "each of the Physicians"
    while (cs < ne - 1 && QUANTIFIERS.has(w(cs)) && w(cs + 1) === 'of') cs += 2;
    let ce = cs;
    while (
      ce < ne &&
      !(toks[ce]?.kind === 'word' && (PREPOSITIONS.has(w(ce)) || PARTICIPLE_MODIFIERS.has(w(ce))))
    )
      ce++;
    let h = ce - 1;
    while (h >= cs && toks[h]?.kind === 'punct') h--;
    if (h < cs) continue;
    const head = toks[h] as Tok;
    const ref = (t: Tok): ActorRef | null =>
      t.m && t.m.side !== 'unknown' ? { side: t.m.side, role: t.m.role, t: -1, s: t.s, e: t.e } : null;
    if (head.kind === 'mention' && head.m) {
      if (head.m.attributive || head.m.possessive) continue;
      if (head.m.side !== 'unknown') {
        actors.push(ref(head) as ActorRef);
        continue;
      }
      // staff title (side unknown): fall through to owner search like a people noun
    }
    if (head.kind === 'word' && PRONOUNS.has(head.w)) {
      pronoun = true;
      continue;
    }
    if (!isPeople(head)) continue; // a thing: "Practice Expenses", "the fees"
    // owner of a people noun
    let owner: ActorRef | null = null;
    for (let k = cs; k < h; k++) {
      const t = toks[k] as Tok;
      if (t.kind === 'mention' && t.m && t.m.side !== 'unknown') owner = ref(t);
      else if (t.kind === 'word' && POSSESSIVE_PRONOUNS.has(t.w)) {
        const prev = actors[actors.length - 1] ?? antecedent[antecedent.length - 1];
        if (prev) owner = prev;
      }
    }
    if (!owner) {
      for (let k = ce; k < ne; k++) {
        const t = toks[k] as Tok;
        if (t.kind === 'mention' && t.m && t.m.side !== 'unknown') {
          owner = ref(t);
          break;
        }
        if (t.kind === 'word' && POSSESSIVE_PRONOUNS.has(t.w) && /^(?:of|by|for)$/.test(w(k - 1))) {
          owner = actors[actors.length - 1] ?? antecedent[antecedent.length - 1] ?? null;
          if (owner) break;
        }
      }
    }
    if (owner) actors.push(owner);
  }
  return { actors, negated, pronoun, start: s, end: e };
}

/** The agent of a passive predicate starting at token `p` ("be established by Manager"). */
function passiveAgent(toks: Tok[], p: number, end: number): { agent: ActorRef[]; verbEnd: number } | null {
  const w = (k: number): string => toks[k]?.w ?? '';
  let j = p;
  if (w(j) === 'is' || w(j) === 'are') j++;
  if (w(j) === 'not') j++;
  if (/^(?:be|been|being)$/.test(w(j))) j++;
  else if (j === p) return null;
  while (isAdverb(w(j)) && j < end) j++;
  if (!isParticiple(w(j))) return null;
  let k = j + 1;
  while (k < end && k < j + 12 && (isAdverb(w(k)) || isParticiple(w(k)) || PASSIVE_CHAIN.has(w(k)))) k++;
  if (w(k) !== 'by') return null;
  let a = k + 1;
  while (a < end && /^(?:the|its|their|such|each|any|one|or|more|of)$/.test(w(a)) && !isMention(toks[a])) a++;
  const t = toks[a];
  if (t?.kind === 'mention' && t.m && t.m.side !== 'unknown') {
    const np = readNounPhrase(toks, a);
    return { agent: np.actors, verbEnd: toks[j]?.e ?? 0 };
  }
  if (t && PEOPLE_NOUNS.has(t.w)) {
    // "by employees of Manager"
    for (let b = a + 1; b < Math.min(end, a + 5); b++) {
      const o = toks[b];
      if (o?.kind === 'mention' && o.m && o.m.side !== 'unknown')
        return {
          agent: [{ side: o.m.side, role: o.m.role, t: -1, s: o.s, e: o.e }],
          verbEnd: toks[j]?.e ?? 0,
        };
    }
  }
  return { agent: [], verbEnd: toks[j]?.e ?? 0 };
}

const LIST_MARKER = /^\s*(?:\(?[a-z]{1,4}\)|\(?\d{1,3}\)|[a-z]\.|\d{1,3}\.(?!\d)|[ivxlcdm]+\.)\s*/i;

export function startsWithListMarker(text: string): boolean {
  return LIST_MARKER.test(text);
}

/**
 * Obligations of one clause text. `sentences` are local ranges; `leadIn` is the list-introducing
 * obligation this clause continues (from its parent), if any.
 */
export function analyzeObligations(
  textId: number,
  text: string,
  sentences: ReadonlyArray<readonly [number, number]>,
  mentions: PartyMention[],
  leadIn: Obligation | null,
): Obligation[] {
  const out: Obligation[] = [];
  let previousSentenceActors: ActorRef[] = leadIn?.actors ?? [];
  for (const [ss, se] of sentences) {
    const toks = tokenize(text, ss, se, mentions);
    if (toks.length === 0) continue;
    // segments at ';' outside parentheses
    const segs: Array<[number, number]> = [];
    let depth = 0;
    let a = 0;
    for (let k = 0; k < toks.length; k++) {
      const w = (toks[k] as Tok).w;
      if (w === '(') depth++;
      else if (w === ')') depth = Math.max(0, depth - 1);
      else if (w === ';' && depth === 0) {
        segs.push([a, k]);
        a = k + 1;
      }
    }
    segs.push([a, toks.length]);
    const sentenceObligations: Obligation[] = [];
    for (const [ga, gb] of segs) {
      if (gb <= ga) continue;
      const segRange: Range = { t: textId, s: (toks[ga] as Tok).s, e: (toks[gb - 1] as Tok).e };
      const segToks = toks.slice(ga, gb);
      const triggers = findTriggers(segToks);
      const segObligations: Obligation[] = [];
      let floor = 0;
      for (let ti = 0; ti < triggers.length; ti++) {
        const tr = triggers[ti] as Trigger;
        let actors: ActorRef[] = [];
        let negated = tr.negated;
        let passive = false;
        let subjStartTok = tr.start;
        if (tr.type === 'inverted' || tr.type === 'nothing') {
          actors = tr.actors ?? [];
        } else {
          const prevActors =
            segObligations[segObligations.length - 1]?.actors ??
            sentenceObligations[sentenceObligations.length - 1]?.actors ??
            previousSentenceActors;
          const loose = tr.type === 'passive-present' || isPassiveAt(segToks, tr.predStart);
          // a relative clause's subject is the noun phrase before "who"/"which"
          const range =
            tr.relative !== undefined
              ? subjectRange(
                  segToks,
                  segToks[tr.relative - 1]?.w === ',' ? tr.relative - 1 : tr.relative,
                  0,
                  false,
                )
              : subjectRange(segToks, tr.start, floor, loose);
          const subj = resolveSubject(segToks, range.start, range.end, prevActors);
          subjStartTok = subj.start < range.end ? subj.start : tr.start;
          if (subj.negated) negated = true;
          if (subj.actors.length > 0) actors = subj.actors;
          else if (range.end <= range.start || subj.start >= subj.end) {
            // no subject words: ellipsis ("and shall …") carries the previous actor
            actors = prevActors;
          } else if (subj.pronoun) {
            actors = nearestMentionBefore(segToks, range.start) ?? prevActors;
          }
          // passive: the agent is the actor
          const pa = passiveAgent(segToks, tr.predStart, segToks.length);
          if (pa && (tr.type === 'modal' || tr.type === 'passive-present')) {
            passive = true;
            actors = pa.agent;
          }
        }
        const modalTok = segToks[tr.start] as Tok;
        const predStartTok = Math.min(tr.predStart, segToks.length);
        const ob: Obligation = {
          t: textId,
          actors: actors.map((x) => ({ ...x, t: x.t < 0 ? textId : x.t })),
          negated,
          passive,
          modal: {
            t: textId,
            s: modalTok.s,
            e: (segToks[Math.max(tr.start, predStartTok - 1)] ?? modalTok).e,
          },
          predicate: {
            t: textId,
            s: segToks[predStartTok]?.s ?? segRange.e,
            e: segRange.e,
          },
          does: [],
          qualifiers: [segRange, ...(leadIn?.qualifiers ?? [])],
          listIntro: false,
          inherited: false,
        };
        (ob as Obligation & { subjTok?: number; predTok?: number }).subjTok = subjStartTok;
        (ob as Obligation & { subjTok?: number; predTok?: number }).predTok = predStartTok;
        segObligations.push(ob);
        if (tr.relative === undefined) floor = Math.max(floor, predStartTok);
      }
      // predicate ends where the next obligation's subject begins
      for (let k = 0; k < segObligations.length; k++) {
        const ob = segObligations[k] as Obligation & { subjTok?: number; predTok?: number };
        const next = segObligations[k + 1] as (Obligation & { subjTok?: number }) | undefined;
        if (next) {
          let endTok = next.subjTok ?? 0;
          const nextModalTok = segToks.findIndex((t) => t.s === next.modal.s);
          if (endTok > nextModalTok && nextModalTok >= 0) endTok = nextModalTok;
          // the next subject starts before this predicate (a relative clause inside it): stop at its modal
          if (endTok <= (ob.predTok ?? 0) && nextModalTok > (ob.predTok ?? 0)) endTok = nextModalTok;
          while (
            endTok > 0 &&
            /^(?:and|or|but|,|nor|;|provided|however|that|except|which|who|whom|where|whereby|no|neither)$/.test(
              segToks[endTok - 1]?.w ?? '',
            )
          )
            endTok--;
          const endTokTok = segToks[endTok - 1];
          ob.predicate.e = endTokTok && endTokTok.e > ob.predicate.s ? endTokTok.e : ob.predicate.s;
        }
      }
      // an empty predicate shares the next one ("shall not, and shall cause its Affiliates not to, direct …")
      for (let k = segObligations.length - 2; k >= 0; k--) {
        const ob = segObligations[k] as Obligation;
        const next = segObligations[k + 1] as Obligation;
        if (!/[\p{L}\p{N}]/u.test(text.slice(ob.predicate.s, ob.predicate.e)))
          ob.predicate = { ...next.predicate };
      }
      for (const ob of segObligations) {
        const predText = text.slice(ob.predicate.s, ob.predicate.e);
        // "cause its Affiliates not to …" / "permit any person not to"
        if (
          !ob.negated &&
          /^\s*(?:cause|permit|allow|require|direct|instruct)\b[^;]{0,80}?\bnot\s+to\b/i.test(predText)
        )
          ob.negated = true;
        ob.listIntro = /(?::|\bthe following|\bas follows)\s*$/i.test(predText.trim());
        if (ob.passive) {
          const subjTok = (ob as Obligation & { subjTok?: number }).subjTok ?? 0;
          const from = segToks[subjTok]?.s ?? ob.modal.s;
          ob.does = [{ t: textId, s: Math.min(from, ob.modal.s), e: ob.predicate.e }];
        } else {
          ob.does = [ob.predicate];
        }
        delete (ob as Obligation & { subjTok?: number }).subjTok;
        delete (ob as Obligation & { predTok?: number }).predTok;
      }
      if (segObligations.length === 0) {
        // a part without a modal continues the obligation before it in the sentence (a list), or the lead-in
        // — but only a list item: after a colon, or starting with "(b)", "and (c)"; an independent clause
        // ("…; all treatment decisions remain with the Practice") has an actor of its own, not the carrier's
        const prevInSentence = sentenceObligations[sentenceObligations.length - 1];
        const segText = text.slice(segRange.s, segRange.e);
        const listItem =
          startsWithListMarker(segText.replace(/^\s*(?:and|or)\s+/i, '')) ||
          (prevInSentence !== undefined && text.slice(ss, segRange.s).includes(':'));
        const carrier = prevInSentence
          ? listItem
            ? prevInSentence
            : null
          : out.length === 0 || !hasOwnModal(out)
            ? leadIn
            : null;
        if (carrier && carrier.actors.length > 0) {
          const ob: Obligation = {
            t: textId,
            actors: carrier.actors,
            negated: carrier.negated,
            passive: false,
            modal: carrier.modal,
            predicate: segRange,
            does: [segRange],
            qualifiers: [segRange, ...carrier.qualifiers],
            listIntro: /(?::|\bthe following|\bas follows)\s*$/i.test(
              text.slice(segRange.s, segRange.e).trim(),
            ),
            inherited: true,
          };
          segObligations.push(ob);
        }
      }
      sentenceObligations.push(...segObligations);
    }
    out.push(...sentenceObligations);
    const lastWithActor = [...sentenceObligations].reverse().find((o) => o.actors.length > 0);
    if (lastWithActor) previousSentenceActors = lastWithActor.actors;
  }
  return out;
}

function hasOwnModal(obs: Obligation[]): boolean {
  return obs.some((o) => !o.inherited);
}

function isPassiveAt(toks: Tok[], p: number): boolean {
  const w = (k: number): string => toks[k]?.w ?? '';
  let j = p;
  if (!/^(?:be|been|being)$/.test(w(j))) return false;
  j++;
  while (isAdverb(w(j))) j++;
  if (!isParticiple(w(j))) return false;
  for (let k = j + 1; k < Math.min(toks.length, j + 12); k++) {
    if (w(k) === 'by') return true;
    if (!(isAdverb(w(k)) || isParticiple(w(k)) || PASSIVE_CHAIN.has(w(k)))) return false;
  }
  return false;
}

function nearestMentionBefore(toks: Tok[], i: number): ActorRef[] | null {
  for (let k = i - 1; k >= 0; k--) {
    const t = toks[k] as Tok;
    if (t.kind === 'mention' && t.m && t.m.side !== 'unknown' && !t.m.attributive)
      return [{ side: t.m.side, role: t.m.role, t: -1, s: t.s, e: t.e }];
  }
  return null;
}
