/**
 * Word automatic numbering (`word/numbering.xml`), reconstructed the way Word displays it.
 *
 * Model (ECMA-376 Part 1 §17.9):
 * - a paragraph refers to a `w:num` (numId) and a level (ilvl 0–8), directly or through its paragraph style;
 * - a `w:num` points at a `w:abstractNum` (possibly through `w:numStyleLink` → numbering style → `w:num` →
 *   the abstractNum whose `w:styleLink` names that style), and may override levels (`w:lvlOverride` with
 *   `w:startOverride` and/or a replacement `w:lvl`);
 * - counters are kept per (resolved) abstractNum, so every `w:num` on the same definition continues the same
 *   sequence — except that a `w:startOverride` restarts its level the first time that `w:num` is used;
 * - using a level restarts the deeper levels, unless their `w:lvlRestart` says otherwise (0: never; n: only
 *   when a level at index < n is used);
 * - `w:lvlText` substitutes `%1`…`%9` with each level's counter in that level's `w:numFmt`; with `w:isLgl`
 *   every substituted number is shown as decimal ("legal" numbering: ARTICLE IV → Section 4.2).
 */

import { intToRoman } from '../segment/numbering.js';
import { childElements, firstChild, type XmlElement } from '../util/xml.js';

export type LevelSuffix = 'tab' | 'space' | 'nothing';

export interface LevelDef {
  ilvl: number;
  /** `w:start`; ECMA-376 says 0 when absent. */
  start: number;
  numFmt: string;
  /** `w:numFmt/@w:format` for `custom` formats ("001, 002, 003, ..."). */
  format?: string;
  /** `w:lvlText/@w:val`; null when the level has no text. */
  lvlText: string | null;
  /** `w:lvlRestart/@w:val` when present. */
  lvlRestart?: number;
  isLgl: boolean;
  suffix: LevelSuffix;
  /** Paragraph style linked to this level (`w:pStyle`). */
  pStyle?: string;
}

export interface AbstractNumDef {
  id: string;
  levels: Map<number, LevelDef>;
  styleLink?: string;
  numStyleLink?: string;
}

export interface LevelOverride {
  startOverride?: number;
  level?: LevelDef;
}

export interface NumDef {
  id: string;
  abstractNumId: string;
  overrides: Map<number, LevelOverride>;
}

export interface NumberingDefinitions {
  abstracts: Map<string, AbstractNumDef>;
  nums: Map<string, NumDef>;
}

export const EMPTY_NUMBERING: NumberingDefinitions = { abstracts: new Map(), nums: new Map() };

const MAX_LEVEL = 8;

function val(element: XmlElement | undefined): string | undefined {
  return element?.attrs['w:val'];
}

function intVal(element: XmlElement | undefined): number | undefined {
  const raw = val(element);
  if (raw === undefined) return undefined;
  const n = Number.parseInt(raw, 10);
  return Number.isFinite(n) ? n : undefined;
}

/** OOXML on/off property: present without `w:val`, or with a true value. */
export function onOff(element: XmlElement | undefined): boolean | undefined {
  if (!element) return undefined;
  const v = element.attrs['w:val'];
  return !(v === '0' || v === 'false' || v === 'off');
}

function parseIlvl(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number.parseInt(raw, 10);
  return Number.isInteger(n) && n >= 0 && n <= MAX_LEVEL ? n : undefined;
}

/** `w:numFmt`, also when Word 2010+ wraps it in mc:AlternateContent (Choice: custom format; Fallback). */
function readNumFmt(lvl: XmlElement): { numFmt: string; format?: string } {
  const direct = firstChild(lvl, 'w:numFmt');
  if (direct)
    return {
      numFmt: val(direct) ?? 'decimal',
      ...(direct.attrs['w:format'] ? { format: direct.attrs['w:format'] } : {}),
    };
  for (const alt of childElements(lvl, 'mc:AlternateContent')) {
    for (const branch of [...childElements(alt, 'mc:Choice'), ...childElements(alt, 'mc:Fallback')]) {
      const fmt = firstChild(branch, 'w:numFmt');
      const value = val(fmt);
      if (!fmt || !value) continue;
      if (value === 'custom' && !customPadWidth(fmt.attrs['w:format'])) continue; // fall back
      return { numFmt: value, ...(fmt.attrs['w:format'] ? { format: fmt.attrs['w:format'] } : {}) };
    }
  }
  return { numFmt: 'decimal' };
}

function parseLevel(lvl: XmlElement): LevelDef | null {
  const ilvl = parseIlvl(lvl.attrs['w:ilvl']);
  if (ilvl === undefined) return null;
  const lvlText = firstChild(lvl, 'w:lvlText');
  const suff = val(firstChild(lvl, 'w:suff'));
  const restart = intVal(firstChild(lvl, 'w:lvlRestart'));
  const pStyle = val(firstChild(lvl, 'w:pStyle'));
  return {
    ilvl,
    start: intVal(firstChild(lvl, 'w:start')) ?? 0,
    ...readNumFmt(lvl),
    lvlText: lvlText ? (lvlText.attrs['w:val'] ?? '') : null,
    ...(restart !== undefined ? { lvlRestart: restart } : {}),
    isLgl: onOff(firstChild(lvl, 'w:isLgl')) ?? false,
    suffix: suff === 'space' || suff === 'nothing' ? suff : 'tab',
    ...(pStyle ? { pStyle } : {}),
  };
}

/** Read `w:numbering` (null → no numbering definitions). */
export function parseNumbering(root: XmlElement | null): NumberingDefinitions {
  if (!root) return EMPTY_NUMBERING;
  const abstracts = new Map<string, AbstractNumDef>();
  const nums = new Map<string, NumDef>();
  for (const el of childElements(root)) {
    if (el.name === 'w:abstractNum') {
      const id = el.attrs['w:abstractNumId'];
      if (id === undefined || abstracts.has(id)) continue;
      const levels = new Map<number, LevelDef>();
      for (const lvl of childElements(el, 'w:lvl')) {
        const level = parseLevel(lvl);
        if (level && !levels.has(level.ilvl)) levels.set(level.ilvl, level);
      }
      const styleLink = val(firstChild(el, 'w:styleLink'));
      const numStyleLink = val(firstChild(el, 'w:numStyleLink'));
      abstracts.set(id, {
        id,
        levels,
        ...(styleLink ? { styleLink } : {}),
        ...(numStyleLink ? { numStyleLink } : {}),
      });
    } else if (el.name === 'w:num') {
      const id = el.attrs['w:numId'];
      const abstractNumId = val(firstChild(el, 'w:abstractNumId'));
      if (id === undefined || abstractNumId === undefined || nums.has(id)) continue;
      const overrides = new Map<number, LevelOverride>();
      for (const ov of childElements(el, 'w:lvlOverride')) {
        const ilvl = parseIlvl(ov.attrs['w:ilvl']);
        if (ilvl === undefined) continue;
        const startOverride = intVal(firstChild(ov, 'w:startOverride'));
        const lvl = firstChild(ov, 'w:lvl');
        const level = lvl ? parseLevel(lvl) : null;
        overrides.set(ilvl, {
          ...(startOverride !== undefined ? { startOverride } : {}),
          ...(level ? { level: { ...level, ilvl } } : {}),
        });
      }
      nums.set(id, { id, abstractNumId, overrides });
    }
  }
  return { abstracts, nums };
}

// ─── number formats ────────────────────────────────────────────────────────────

const ONES = [
  '',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const ORDINAL_WORDS: Record<string, string> = {
  one: 'first',
  two: 'second',
  three: 'third',
  five: 'fifth',
  eight: 'eighth',
  nine: 'ninth',
  twelve: 'twelfth',
};

function cardinalWords(n: number): string | null {
  if (n < 1 || n > 99) return null;
  if (n < 20) return ONES[n] ?? null;
  const tens = TENS[Math.floor(n / 10)] ?? '';
  return n % 10 === 0 ? tens : `${tens}-${ONES[n % 10]}`;
}

function ordinalWords(n: number): string | null {
  const words = cardinalWords(n);
  if (!words) return null;
  const parts = words.split('-');
  const last = parts.pop() ?? '';
  const ordinal = ORDINAL_WORDS[last] ?? (last.endsWith('y') ? `${last.slice(0, -1)}ieth` : `${last}th`);
  return [...parts, ordinal].join('-');
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function ordinalSuffix(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  const last = n % 10;
  return `${n}${last === 1 ? 'st' : last === 2 ? 'nd' : last === 3 ? 'rd' : 'th'}`;
}

/** "001, 002, 003, ..." → 3 (Word 2010 custom zero-padded formats). */
function customPadWidth(format: string | undefined): number | null {
  const m = /^(0*1)\b/.exec(format ?? '');
  return m ? (m[1]?.length ?? null) : null;
}

function letters(n: number, upper: boolean): string | null {
  if (n < 1 || n > 26 * 40) return null;
  const letter = String.fromCharCode((upper ? 65 : 97) + ((n - 1) % 26));
  return letter.repeat(Math.floor((n - 1) / 26) + 1);
}

/** Format a counter value in a `w:numFmt` (unknown formats fall back to decimal). */
export function formatNumber(value: number, numFmt: string, format?: string): string {
  const n = value;
  switch (numFmt) {
    case 'none':
    case 'bullet':
      return '';
    case 'decimalZero':
      return n >= 0 && n < 10 ? `0${n}` : String(n);
    case 'upperRoman':
      return n >= 1 && n < 4000 ? intToRoman(n) : String(n);
    case 'lowerRoman':
      return n >= 1 && n < 4000 ? intToRoman(n).toLowerCase() : String(n);
    case 'upperLetter':
      return letters(n, true) ?? String(n);
    case 'lowerLetter':
      return letters(n, false) ?? String(n);
    case 'ordinal':
      return ordinalSuffix(n);
    case 'cardinalText': {
      const words = cardinalWords(n);
      return words ? capitalize(words) : String(n);
    }
    case 'ordinalText': {
      const words = ordinalWords(n);
      return words ? capitalize(words) : String(n);
    }
    case 'decimalEnclosedParen':
      return `(${n})`;
    case 'decimalEnclosedFullstop':
      return `${n}.`;
    case 'custom': {
      const width = customPadWidth(format);
      return width ? String(n).padStart(width, '0') : String(n);
    }
    default:
      return String(n);
  }
}

// ─── counters ──────────────────────────────────────────────────────────────────

export interface GeneratedNumber {
  /** The number as displayed ("ARTICLE IV", "4.2", "(b)"). */
  text: string;
  suffix: LevelSuffix;
  ilvl: number;
}

interface CounterState {
  /** Current value per level; null = not used since the last restart. */
  counters: (number | null)[];
  /** Start value set by a `w:startOverride`, used at the level's next use. */
  overrideStart: (number | null)[];
}

/**
 * Generates numbers paragraph by paragraph, in document order. `numIdOfStyle` resolves a numbering style
 * (for `w:numStyleLink`) to the numId in its `w:pPr/w:numPr`.
 */
export class NumberingCounter {
  private readonly states = new Map<string, CounterState>();
  private readonly startedNums = new Set<string>();

  constructor(
    private readonly defs: NumberingDefinitions,
    private readonly numIdOfStyle: (styleId: string) => string | undefined = () => undefined,
  ) {}

  /** The abstractNum a num uses, following `w:numStyleLink` (bounded). */
  resolveAbstract(numId: string): AbstractNumDef | undefined {
    const num = this.defs.nums.get(numId);
    if (!num) return undefined;
    let abstract = this.defs.abstracts.get(num.abstractNumId);
    for (let hops = 0; abstract?.numStyleLink && hops < 4; hops++) {
      const linkedNumId = this.numIdOfStyle(abstract.numStyleLink);
      const linkedNum = linkedNumId !== undefined ? this.defs.nums.get(linkedNumId) : undefined;
      const target = linkedNum ? this.defs.abstracts.get(linkedNum.abstractNumId) : undefined;
      if (!target || target === abstract) break;
      abstract = target;
    }
    return abstract;
  }

  private level(num: NumDef, abstract: AbstractNumDef, ilvl: number): LevelDef | undefined {
    return num.overrides.get(ilvl)?.level ?? abstract.levels.get(ilvl);
  }

  /** The level of `numId` linked to paragraph style `styleId` (`w:lvl/w:pStyle`), if any. */
  levelForStyle(numId: string, styleId: string): number | undefined {
    const abstract = this.resolveAbstract(numId);
    if (!abstract) return undefined;
    for (const level of abstract.levels.values()) if (level.pStyle === styleId) return level.ilvl;
    return undefined;
  }

  /**
   * Advance the counters for a paragraph numbered (numId, ilvl) and return the number it displays, or null
   * when it displays none (unknown num, bullet, `none` format, empty level text). numId "0" means "no
   * numbering" and does not count.
   */
  next(numId: string, ilvl: number): GeneratedNumber | null {
    if (numId === '0') return null;
    const num = this.defs.nums.get(numId);
    const abstract = num ? this.resolveAbstract(numId) : undefined;
    if (!num || !abstract) return null;
    const level = this.level(num, abstract, ilvl);
    if (!level) return null;

    let state = this.states.get(abstract.id);
    if (!state) {
      state = {
        counters: new Array(MAX_LEVEL + 1).fill(null),
        overrideStart: new Array(MAX_LEVEL + 1).fill(null),
      };
      this.states.set(abstract.id, state);
    }
    if (!this.startedNums.has(numId)) {
      this.startedNums.add(numId);
      for (const [overridden, ov] of num.overrides) {
        if (ov.startOverride === undefined) continue;
        state.counters[overridden] = null;
        state.overrideStart[overridden] = ov.startOverride;
      }
    }

    const current = state.counters[ilvl];
    if (current === null || current === undefined) {
      state.counters[ilvl] = state.overrideStart[ilvl] ?? level.start;
      state.overrideStart[ilvl] = null;
    } else {
      state.counters[ilvl] = current + 1;
    }
    for (let deeper = ilvl + 1; deeper <= MAX_LEVEL; deeper++) {
      const restart = this.level(num, abstract, deeper)?.lvlRestart;
      if (restart === undefined || (restart !== 0 && ilvl < restart)) state.counters[deeper] = null;
    }

    if (level.numFmt === 'bullet' || level.lvlText === null) return null;
    const text = level.lvlText
      .replace(/%([1-9])/g, (_match, digit: string) => {
        const k = Number.parseInt(digit, 10) - 1;
        const other = this.level(num, abstract, k);
        const value = state.counters[k] ?? state.overrideStart[k] ?? other?.start ?? 0;
        const fmt = other?.numFmt ?? 'decimal';
        if (fmt === 'none' || fmt === 'bullet') return '';
        // Legal numbering shows the inherited levels as decimal and keeps the level's own format (Word's
        // built-in "Article I / Section 1.01" list: upperRoman + isLgl decimalZero → "Section 1.01").
        return formatNumber(value, level.isLgl && k !== ilvl ? 'decimal' : fmt, other?.format);
      })
      .trim();
    if (text === '') return null;
    return { text, suffix: level.suffix, ilvl };
  }
}
