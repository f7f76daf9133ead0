/**
 * A small, strict, non-recursive XML parser for Office Open XML parts, and an iterative tree walker.
 *
 * Why not a DOM library: DOCX parts come from untrusted hands. Every loop here is iterative (a 100,000-level
 * deep document must not overflow the stack), DOCTYPE declarations are refused (no entity expansion), and
 * namespace prefixes are resolved to canonical ones so readers can match `w:p` even when a producer chose
 * other prefixes (or ISO/IEC 29500 Strict namespace URIs).
 */

export interface XmlElement {
  /** Qualified name with the canonical prefix when the namespace is known (`w:p`), else as written. */
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}

export type XmlNode = XmlElement | string;

export class XmlError extends Error {
  readonly offset: number;
  readonly line: number;
  constructor(message: string, text: string, offset: number) {
    const line = lineAt(text, offset);
    super(`${message} (line ${line})`);
    this.name = 'XmlError';
    this.offset = offset;
    this.line = line;
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

export interface XmlParseOptions {
  /** Namespace URI → canonical prefix. Names in other namespaces keep the prefix they were written with. */
  namespaces?: Readonly<Record<string, string>>;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(raw: string, text: string, offset: number): string {
  if (raw.indexOf('&') === -1) return raw;
  return raw.replace(/&([^;&\s]{0,12});?/g, (match, body: string) => {
    if (!match.endsWith(';')) throw new XmlError('bare "&" in text or attribute', text, offset);
    if (body.startsWith('#')) {
      const code =
        body[1] === 'x' || body[1] === 'X'
          ? Number.parseInt(body.slice(2), 16)
          : Number.parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code < 0 || code > 0x10ffff) {
        throw new XmlError(`invalid character reference "${match}"`, text, offset);
      }
      return String.fromCodePoint(code);
    }
    const value = ENTITIES[body];
    if (value === undefined) throw new XmlError(`unknown entity "${match}"`, text, offset);
    return value;
  });
}

function isNameEnd(code: number): boolean {
  // whitespace, '/', '>', '='
  return (
    code === 0x20 ||
    code === 0x09 ||
    code === 0x0a ||
    code === 0x0d ||
    code === 0x2f ||
    code === 0x3e ||
    code === 0x3d
  );
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

interface OpenFrame {
  element: XmlElement;
  rawName: string;
  /** Prefixes this element declared (popped from the namespace stacks on close). */
  declared: string[] | null;
}

/**
 * Parse an XML document into a tree. Throws {@link XmlError} when the text is not well-formed (unbalanced or
 * mismatched tags, bad attributes, unknown entities, text outside the root, a DOCTYPE).
 */
export function parseXml(text: string, options: XmlParseOptions = {}): XmlElement {
  const namespaces = options.namespaces ?? {};
  // prefix ('' for the default namespace) → stack of URIs in scope
  const nsStacks = new Map<string, string[]>();
  const stack: OpenFrame[] = [];
  const attrNames: string[] = [];
  const attrValues: string[] = [];
  let root: XmlElement | null = null;
  let i = 0;
  const n = text.length;

  // qname → canonical name for the namespace bindings in force; cleared whenever a binding changes.
  const elementNames = new Map<string, string>();
  const attributeNames = new Map<string, string>();
  const bindingsChanged = () => {
    elementNames.clear();
    attributeNames.clear();
  };
  const resolve = (qname: string, isAttribute: boolean): string => {
    const cache = isAttribute ? attributeNames : elementNames;
    let name = cache.get(qname);
    if (name === undefined) {
      name = canonical(qname, isAttribute);
      cache.set(qname, name);
    }
    return name;
  };
  const canonical = (qname: string, isAttribute: boolean): string => {
    const colon = qname.indexOf(':');
    const prefix = colon === -1 ? '' : qname.slice(0, colon);
    if (colon === -1 && isAttribute) return qname; // unprefixed attributes have no namespace
    const uris = nsStacks.get(prefix);
    const uri = uris?.[uris.length - 1];
    if (uri === undefined) return qname;
    const canon = namespaces[uri];
    if (canon === undefined) return qname;
    const local = colon === -1 ? qname : qname.slice(colon + 1);
    return canon === '' ? local : `${canon}:${local}`;
  };

  while (i < n) {
    const lt = text.indexOf('<', i);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > i) {
      const raw = text.slice(i, textEnd);
      const top = stack[stack.length - 1];
      if (top) top.element.children.push(decodeEntities(raw, text, i));
      else if (raw.trim() !== '') throw new XmlError('text outside the root element', text, i);
    }
    if (lt === -1) break;
    i = lt;
    const next = text.charCodeAt(i + 1);
    if (next === 0x3f /* ? */) {
      const end = text.indexOf('?>', i + 2);
      if (end === -1) throw new XmlError('unterminated processing instruction', text, i);
      i = end + 2;
      continue;
    }
    if (next === 0x21 /* ! */) {
      if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i + 4);
        if (end === -1) throw new XmlError('unterminated comment', text, i);
        i = end + 3;
        continue;
      }
      if (text.startsWith('<![CDATA[', i)) {
        const end = text.indexOf(']]>', i + 9);
        if (end === -1) throw new XmlError('unterminated CDATA section', text, i);
        const top = stack[stack.length - 1];
        if (!top) throw new XmlError('CDATA outside the root element', text, i);
        top.element.children.push(text.slice(i + 9, end));
        i = end + 3;
        continue;
      }
      throw new XmlError('DOCTYPE and other declarations are not allowed', text, i);
    }
    if (next === 0x2f /* / */) {
      const end = text.indexOf('>', i + 2);
      if (end === -1) throw new XmlError('unterminated end tag', text, i);
      const name = text.slice(i + 2, end).trim();
      const top = stack.pop();
      if (!top) throw new XmlError(`unexpected end tag </${name}>`, text, i);
      if (top.rawName !== name)
        throw new XmlError(`end tag </${name}> does not match <${top.rawName}>`, text, i);
      if (top.declared) {
        for (const prefix of top.declared) nsStacks.get(prefix)?.pop();
        bindingsChanged();
      }
      i = end + 1;
      continue;
    }

    // Start tag.
    let j = i + 1;
    while (j < n && !isNameEnd(text.charCodeAt(j))) j++;
    const rawName = text.slice(i + 1, j);
    if (rawName === '') throw new XmlError('empty element name', text, i);
    let attrCount = 0;
    let declared: string[] | null = null;
    let selfClosing = false;
    for (;;) {
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      if (j >= n) throw new XmlError(`unterminated start tag <${rawName}>`, text, i);
      const c = text.charCodeAt(j);
      if (c === 0x3e /* > */) {
        j++;
        break;
      }
      if (c === 0x2f /* / */) {
        if (text.charCodeAt(j + 1) !== 0x3e) throw new XmlError(`malformed start tag <${rawName}>`, text, i);
        selfClosing = true;
        j += 2;
        break;
      }
      const nameStart = j;
      while (j < n && !isNameEnd(text.charCodeAt(j))) j++;
      const attrName = text.slice(nameStart, j);
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      if (attrName === '' || text.charCodeAt(j) !== 0x3d /* = */) {
        throw new XmlError(`malformed attribute in <${rawName}>`, text, j);
      }
      j++;
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      const quote = text[j];
      if (quote !== '"' && quote !== "'")
        throw new XmlError(`unquoted attribute value in <${rawName}>`, text, j);
      const close = text.indexOf(quote, j + 1);
      if (close === -1) throw new XmlError(`unterminated attribute value in <${rawName}>`, text, j);
      const value = decodeEntities(text.slice(j + 1, close), text, j);
      j = close + 1;
      if (attrName === 'xmlns' || attrName.startsWith('xmlns:')) {
        const prefix = attrName === 'xmlns' ? '' : attrName.slice(6);
        let uris = nsStacks.get(prefix);
        if (!uris) {
          uris = [];
          nsStacks.set(prefix, uris);
        }
        uris.push(value);
        if (!declared) declared = [];
        declared.push(prefix);
        bindingsChanged();
      } else {
        attrNames[attrCount] = attrName;
        attrValues[attrCount] = value;
        attrCount++;
      }
    }
    // Null prototype: attribute names from the file never reach Object.prototype.
    const attrs: Record<string, string> = Object.create(null);
    for (let k = 0; k < attrCount; k++)
      attrs[resolve(attrNames[k] as string, true)] = attrValues[k] as string;
    const element: XmlElement = { name: resolve(rawName, false), attrs, children: [] };
    const parent = stack[stack.length - 1];
    if (parent) parent.element.children.push(element);
    else if (root) throw new XmlError('more than one root element', text, i);
    else root = element;
    if (selfClosing) {
      if (declared) {
        for (const prefix of declared) nsStacks.get(prefix)?.pop();
        bindingsChanged();
      }
    } else {
      stack.push({ element, rawName, declared });
    }
    i = j;
  }
  const open = stack[stack.length - 1];
  if (open) throw new XmlError(`unclosed element <${open.rawName}>`, text, n);
  if (!root) throw new XmlError('no root element', text, 0);
  return root;
}

// ─── walking ───────────────────────────────────────────────────────────────────

export interface XmlVisitor {
  /**
   * Called on entering an element. Return `false` to skip its subtree (then `exit` is not called for it),
   * an array to walk those nodes instead of its children, anything else to walk its children.
   */
  enter(element: XmlElement): boolean | readonly XmlNode[] | undefined;
  exit?(element: XmlElement): void;
  text?(text: string, parent: XmlElement): void;
}

/** Depth-first walk of `root` (included), without recursion. */
export function walkXml(root: XmlElement, visitor: XmlVisitor): void {
  const first = visitor.enter(root);
  if (first === false) return;
  const stack: { element: XmlElement; nodes: readonly XmlNode[]; index: number }[] = [
    { element: root, nodes: Array.isArray(first) ? first : root.children, index: 0 },
  ];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as (typeof stack)[number];
    if (top.index >= top.nodes.length) {
      stack.pop();
      visitor.exit?.(top.element);
      continue;
    }
    const node = top.nodes[top.index++] as XmlNode;
    if (typeof node === 'string') {
      visitor.text?.(node, top.element);
      continue;
    }
    const result = visitor.enter(node);
    if (result === false) continue;
    stack.push({ element: node, nodes: Array.isArray(result) ? result : node.children, index: 0 });
  }
}

/** All text in the subtree, in order (iterative). */
export function xmlText(element: XmlElement): string {
  const parts: string[] = [];
  walkXml(element, { enter: () => true, text: (t) => parts.push(t) });
  return parts.join('');
}

export function childElements(element: XmlElement, name?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const child of element.children) {
    if (typeof child !== 'string' && (name === undefined || child.name === name)) out.push(child);
  }
  return out;
}

export function firstChild(element: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!element) return undefined;
  for (const child of element.children) if (typeof child !== 'string' && child.name === name) return child;
  return undefined;
}

/** Every element named `name` in the subtree (document order, iterative). */
export function descendants(element: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  walkXml(element, {
    enter(el) {
      if (el.name === name) out.push(el);
      return true;
    },
  });
  return out;
}

// ─── writing ───────────────────────────────────────────────────────────────────

/** Characters XML 1.0 does not allow at all (control characters other than tab, LF, CR; lone surrogates). */
const INVALID_XML_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXmlText(value: string): string {
  return value
    .replace(INVALID_XML_CHARS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

export function escapeXmlAttr(value: string): string {
  return escapeXmlText(value)
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}
