/** Helpers for the annotation tests: review a fixture in-process, open the copies with independent readers. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { letters } from '../../src/annotate/locate.js';
import { reviewFile } from '../../src/batch/review.js';
import { resolveConfig } from '../../src/engine/index.js';
import type { Contract, Finding, RuleInfo } from '../../src/model.js';
import { openZip } from '../../src/util/zip.js';

export const REPO = join(import.meta.dirname, '..', '..');
export const FIXTURES = join(REPO, 'fixtures');
export const DATE = new Date('2026-03-02T09:30:00Z');

export interface Reviewed {
  bytes: Uint8Array;
  contract: Contract;
  findings: Finding[];
  rules: Map<string, RuleInfo>;
}

let config: ReturnType<typeof resolveConfig> | undefined;

/** Review a file with the built-in pack, as a scan does. */
export async function review(path: string, bytes?: Uint8Array): Promise<Reviewed> {
  config ??= resolveConfig({ searchFrom: REPO, root: REPO });
  const resolved = await config;
  const { result, contract } = await reviewFile(path, path, resolved.compiled);
  if (!contract || result.status !== 'ok')
    throw new Error(`${path} was not reviewed: ${result.error?.message}`);
  return {
    bytes: bytes ?? new Uint8Array(readFileSync(path)),
    contract,
    findings: result.findings,
    rules: new Map(resolved.rules.map((r) => [r.id, r])),
  };
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function fileHash(path: string): string {
  return sha256(new Uint8Array(readFileSync(path)));
}

export function zipText(bytes: Uint8Array, name: string): string {
  return new TextDecoder().decode(openZip(bytes).read(name));
}

/** The trigger of a located finding, as the contract text has it. */
export function triggerOf(contract: Contract, finding: Finding): string {
  const loc = finding.location;
  if (!loc || loc.start === undefined || loc.end === undefined) throw new Error('no trigger');
  return contract.text.slice(loc.start, loc.end);
}

export function lettersOf(text: string): string {
  return letters(text).text;
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/**
 * The visible text each comment range of a document.xml encloses, read with a DOM (xmldom), independently
 * of the annotator's own parser: text of w:t (not deleted text, not field codes), tabs and breaks.
 */
export function commentRanges(documentXml: string): Map<string, string> {
  const doc = new DOMParser().parseFromString(documentXml, 'text/xml');
  const open = new Map<string, string[]>();
  const done = new Map<string, string>();
  const walk = (node: Node, deleted: boolean) => {
    if (node.nodeType !== 1) return;
    const el = node as Element;
    const local = el.localName;
    const inW = el.namespaceURI === W;
    if (inW && local === 'commentRangeStart') open.set(el.getAttributeNS(W, 'id') ?? '', []);
    else if (inW && local === 'commentRangeEnd') {
      const id = el.getAttributeNS(W, 'id') ?? '';
      done.set(id, (open.get(id) ?? []).join(''));
      open.delete(id);
    } else if (inW && local === 't' && !deleted) {
      for (const parts of open.values()) parts.push(el.textContent ?? '');
    } else if (inW && (local === 'tab' || local === 'br') && !deleted) {
      for (const parts of open.values()) parts.push(' ');
    }
    const skip =
      deleted || (inW && (local === 'del' || local === 'moveFrom' || local === 'rPr' || local === 'pPr'));
    for (let c = el.firstChild; c; c = c.nextSibling) walk(c, skip);
    if (inW && local === 'p') for (const parts of open.values()) parts.push(' ');
  };
  walk(doc.documentElement as unknown as Node, false);
  return done;
}

export interface WordComment {
  id: string;
  author: string;
  initials: string;
  date: string;
  text: string;
}

export function wordComments(commentsXml: string): WordComment[] {
  const doc = new DOMParser().parseFromString(commentsXml, 'text/xml');
  const list = doc.getElementsByTagNameNS(W, 'comment');
  const out: WordComment[] = [];
  for (let i = 0; i < list.length; i++) {
    const el = list.item(i) as Element;
    const paragraphs: string[] = [];
    const ps = el.getElementsByTagNameNS(W, 'p');
    for (let k = 0; k < ps.length; k++) paragraphs.push(ps.item(k)?.textContent ?? '');
    out.push({
      id: el.getAttributeNS(W, 'id') ?? '',
      author: el.getAttributeNS(W, 'author') ?? '',
      initials: el.getAttributeNS(W, 'initials') ?? '',
      date: el.getAttributeNS(W, 'date') ?? '',
      text: paragraphs.join('\n'),
    });
  }
  return out;
}

/** document.xml without runs and comment markers: the skeleton (paragraphs, properties, tables, revisions). */
export function skeleton(documentXml: string): string {
  return documentXml
    .replace(/<w:r(?:\s[^>]*)?\/>/g, '')
    .replace(/<w:r(?:\s[^>]*)?>[\s\S]*?<\/w:r>/g, '')
    .replace(/<w:comment(?:RangeStart|RangeEnd)\b[^>]*\/>/g, '');
}
