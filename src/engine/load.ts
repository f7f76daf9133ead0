/**
 * Loading rule packs: by builtin name (`mso-dso` → `<package root>/rules/mso-dso/`), by path, or by npm
 * package name (`<pkg>/package.json` → its `contract-lint-pack` field, or a pack.yaml at its root),
 * following `extends`. Every file is size-checked before it is read, parsed with source positions,
 * validated against the JSON Schema, then checked for what a schema cannot see: unknown `$set`s,
 * invalid or unsafe regexes, duplicate rule ids, unknown state-table fields, message placeholders that
 * nothing captures, `extends` cycles and paths that leave the project. All problems of all files are
 * collected and thrown together as one `PackError`, before any document is read.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { ClauseKind, DocumentKind, PackInfo } from '../model.js';
import { DOCUMENT_KINDS } from '../model.js';
import { PackError, type PackErrorCode, type PackProblem, sortProblems, suggestion } from './errors.js';
import { parseComparison } from './matchers/numbers.js';
import { builtinPacksDir } from './package-root.js';
import { checkRegexSafety, namedGroups } from './regex-safety.js';
import { validateParts, validateSource } from './schema.js';
import {
  ALL_CLAUSE_KINDS,
  type Cond,
  DEFAULT_EXCLUDED_CLAUSE_KINDS,
  DEFAULT_MAX_FINDINGS,
  DEFAULT_NEAR_WITHIN,
  DEFAULT_NUMBER_WITHIN,
  type NumberKind,
  type PackDefinition,
  type Polarity,
  type RuleDefinition,
  type RuleKind,
  type RuleSeverity,
  type Scope,
  type StateEntry,
  type StateTable,
  type Who,
} from './types.js';
import { MAX_PACK_FILE_BYTES, type Path, parseYaml, problemAt, type SourceFile } from './yaml-source.js';

export interface LoadOptions {
  /** Folder that relative pack paths are resolved from (the config file's folder; default: cwd). */
  baseDir?: string;
  /** Paths may not leave this folder (default: `baseDir`). */
  root?: string;
  /** Largest pack file accepted, in bytes (default 2 MB). */
  maxFileBytes?: number;
}

export interface LoadedPack {
  definition: PackDefinition;
  /** Non-fatal remarks (e.g. a YAML file in the pack folder that pack.yaml does not list). */
  warnings: PackProblem[];
}

/** Where a reference was written, for error positions. */
export interface RefSite {
  src: SourceFile | null;
  file: string;
  path: Path | null;
}

/** Facts a message template may use besides captures. */
export const MESSAGE_FACTS = [
  'state',
  'stateCode',
  'stateName',
  'stateNote',
  'stateSource',
  'clause',
  'heading',
  'kind',
];

// ─── file access (disk or memory) ──────────────────────────────────────────────

interface PackFs {
  isFile(p: string): boolean;
  isDir(p: string): boolean;
  size(p: string): number;
  read(p: string): string;
  realpath(p: string): string;
  list(dir: string): string[];
}

const diskFs: PackFs = {
  isFile: (p) => {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  },
  isDir: (p) => {
    try {
      return fs.statSync(p).isDirectory();
    } catch {
      return false;
    }
  },
  size: (p) => fs.statSync(p).size,
  read: (p) => fs.readFileSync(p, 'utf8'),
  realpath: (p) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return resolve(p);
    }
  },
  list: (dir) => {
    try {
      return fs.readdirSync(dir);
    } catch {
      return [];
    }
  },
};

function memoryFs(files: Record<string, string>, root: string): PackFs {
  const map = new Map(Object.entries(files).map(([k, v]) => [resolve(root, k), v]));
  const isDir = (p: string): boolean => {
    const prefix = `${resolve(p)}/`;
    for (const k of map.keys()) if (k.startsWith(prefix)) return true;
    return false;
  };
  return {
    isFile: (p) => map.has(resolve(p)),
    isDir,
    size: (p) => Buffer.byteLength(map.get(resolve(p)) ?? ''),
    read: (p) => map.get(resolve(p)) ?? '',
    realpath: (p) => resolve(p),
    list: (dir) => {
      const prefix = `${resolve(dir)}/`;
      return [...map.keys()]
        .filter((k) => k.startsWith(prefix) && !k.slice(prefix.length).includes('/'))
        .map((k) => k.slice(prefix.length));
    },
  };
}

function inside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

// ─── sets ──────────────────────────────────────────────────────────────────────

interface SetEntry {
  name: string;
  value: unknown;
  src: SourceFile;
  path: Path;
  scope: SetScope;
  resolvedCond?: Cond | null;
  /** Capture names the set's condition defines. */
  captures?: Set<string>;
}

class SetScope {
  readonly own = new Map<string, SetEntry>();
  constructor(
    readonly pack: string,
    readonly parents: SetScope[],
  ) {}
  lookup(name: string): SetEntry | undefined {
    const e = this.own.get(name);
    if (e) return e;
    for (const p of this.parents) {
      const x = p.lookup(name);
      if (x) return x;
    }
    return undefined;
  }
  names(): Set<string> {
    const out = new Set(this.own.keys());
    for (const p of this.parents) for (const n of p.names()) out.add(n);
    return out;
  }
}

// ─── loaded pack data ──────────────────────────────────────────────────────────

interface PackData {
  info: PackInfo;
  dir: string;
  realDir: string;
  scope: SetScope;
  states: StateTable;
  stateFields: Record<string, string[]> | null;
  rules: RuleDefinition[];
  helpUri?: string;
}

interface ResolvedRef {
  dir: string;
  file: string;
  source: string;
  /** Folder this pack's `extends` paths may not leave. */
  root: string;
}

type Obj = Record<string, unknown>;

// ─── the loader ────────────────────────────────────────────────────────────────

export class PackLoader {
  readonly problems: PackProblem[] = [];
  readonly warnings: PackProblem[] = [];
  readonly files: string[] = [];
  /** SHA-256 of every file read, for cache keys. */
  readonly fileHashes = new Map<string, string>();
  private readonly done = new Map<string, PackData>();
  private readonly stack: Array<{ realDir: string; name: string }> = [];
  private readonly order: PackData[] = [];
  private readonly ruleIds = new Map<string, { file: string; line: number; column: number; pack: string }>();
  private readonly maxBytes: number;

  constructor(
    private readonly fsx: PackFs = diskFs,
    options: { maxFileBytes?: number } = {},
  ) {
    this.maxBytes = options.maxFileBytes ?? MAX_PACK_FILE_BYTES;
  }

  private problem(
    site: RefSite | { src: SourceFile | null; file: string; path: Path | null },
    code: PackErrorCode,
    message: string,
    key = false,
  ): void {
    this.problems.push(problemAt(site.src, site.file, site.path, code, message, { key }));
  }

  /** Reads and parses a YAML file, refusing oversized files before reading them. */
  private readYaml(file: string, site: RefSite | null): SourceFile | null {
    if (!this.fsx.isFile(file)) {
      if (site) this.problem(site, 'NOT_FOUND', `file not found: ${file}`);
      else this.problems.push({ code: 'NOT_FOUND', file, line: 0, column: 0, message: 'file not found' });
      return null;
    }
    const size = this.fsx.size(file);
    if (size > this.maxBytes) {
      this.problems.push({
        code: 'TOO_LARGE',
        file,
        line: 0,
        column: 0,
        message: `the file is ${(size / 1024 / 1024).toFixed(1)} MB, over the ${(this.maxBytes / 1024 / 1024).toFixed(1)} MB limit for pack files; refused without reading it`,
      });
      return null;
    }
    let text: string;
    try {
      text = this.fsx.read(file);
    } catch (e) {
      this.problems.push({
        code: 'READ_ERROR',
        file,
        line: 0,
        column: 0,
        message: `could not read the file: ${(e as Error).message}`,
      });
      return null;
    }
    this.files.push(file);
    this.fileHashes.set(file, createHash('sha256').update(text).digest('hex'));
    return parseYaml(file, text, this.problems);
  }

  /** Resolves a pack reference written at `site` (in a pack.yaml or a config file). */
  resolveRef(ref: string, baseDir: string, root: string, site: RefSite): ResolvedRef | null {
    const builtinRoot = builtinPacksDir();
    if (ref.startsWith('builtin:')) {
      const name = ref.slice('builtin:'.length);
      const dir = join(builtinRoot, name);
      if (!/^[a-z0-9][a-z0-9-]*$/.test(name) || !this.fsx.isFile(join(dir, 'pack.yaml'))) {
        this.problem(
          site,
          'NOT_FOUND',
          `no builtin pack \`${name}\`${suggestion(name, this.builtinNames())} (builtin packs: ${this.builtinNames().join(', ') || 'none'})`,
        );
        return null;
      }
      return { dir, file: join(dir, 'pack.yaml'), source: `builtin:${name}`, root: builtinRoot };
    }
    const looksLikePath =
      /^(?:\.{1,2}(?:[/\\]|$)|[/\\~]|[A-Za-z]:[/\\])/.test(ref) ||
      /\.ya?ml$/i.test(ref) ||
      (ref.includes('/') && !ref.startsWith('@'));
    if (
      !looksLikePath &&
      /^[a-z0-9][a-z0-9-]*$/.test(ref) &&
      this.fsx.isFile(join(builtinRoot, ref, 'pack.yaml'))
    ) {
      const dir = join(builtinRoot, ref);
      return { dir, file: join(dir, 'pack.yaml'), source: `builtin:${ref}`, root: builtinRoot };
    }
    if (looksLikePath) {
      const abs = resolve(baseDir, ref);
      const real = this.fsx.realpath(abs);
      const realRoot = this.fsx.realpath(root);
      if (!inside(realRoot, real)) {
        this.problem(
          site,
          'PATH_ESCAPE',
          `\`${ref}\` points outside the project folder (${realRoot}); a pack may only use files inside it — move the pack into the project or install it as an npm package`,
        );
        return null;
      }
      if (this.fsx.isDir(abs)) {
        const file = join(abs, 'pack.yaml');
        if (!this.fsx.isFile(file)) {
          this.problem(site, 'NOT_FOUND', `the folder \`${ref}\` has no pack.yaml`);
          return null;
        }
        return { dir: abs, file, source: ref, root };
      }
      if (this.fsx.isFile(abs)) return { dir: dirname(abs), file: abs, source: ref, root };
      this.problem(site, 'NOT_FOUND', `pack not found: \`${ref}\` (resolved to ${abs})`);
      return null;
    }
    // npm package
    const pkgDir = this.findPackage(ref, baseDir);
    if (pkgDir) {
      let packDir = pkgDir;
      try {
        const pkg = JSON.parse(this.fsx.read(join(pkgDir, 'package.json'))) as Obj;
        const field = pkg['contract-lint-pack'];
        if (typeof field === 'string') {
          const p = resolve(pkgDir, field);
          if (!inside(this.fsx.realpath(pkgDir), this.fsx.realpath(p))) {
            this.problem(
              site,
              'PATH_ESCAPE',
              `the npm package \`${ref}\` points its \`contract-lint-pack\` field outside the package`,
            );
            return null;
          }
          packDir = /\.ya?ml$/i.test(p) ? dirname(p) : p;
          const file = /\.ya?ml$/i.test(p) ? p : join(p, 'pack.yaml');
          if (!this.fsx.isFile(file)) {
            this.problem(site, 'NOT_FOUND', `the npm package \`${ref}\` has no pack at \`${field}\``);
            return null;
          }
          return { dir: packDir, file, source: ref, root: pkgDir };
        }
      } catch (e) {
        this.problem(
          site,
          'READ_ERROR',
          `could not read ${join(pkgDir, 'package.json')}: ${(e as Error).message}`,
        );
        return null;
      }
      const file = join(pkgDir, 'pack.yaml');
      if (!this.fsx.isFile(file)) {
        this.problem(
          site,
          'NOT_FOUND',
          `the npm package \`${ref}\` is not a contract-lint pack (no \`contract-lint-pack\` field in its package.json and no pack.yaml at its root)`,
        );
        return null;
      }
      return { dir: pkgDir, file, source: ref, root: pkgDir };
    }
    const hint = suggestion(ref, this.builtinNames());
    this.problem(
      site,
      'NOT_FOUND',
      `pack \`${ref}\` not found: it is not a builtin pack${hint}, not an installed npm package, and not a path (write \`./${ref}\` for a folder)`,
    );
    return null;
  }

  private builtinNames(): string[] {
    const dir = builtinPacksDir();
    return this.fsx.list(dir).filter((n) => this.fsx.isFile(join(dir, n, 'pack.yaml')));
  }

  private findPackage(name: string, from: string): string | null {
    if (!/^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name)) return null;
    let dir = resolve(from);
    for (;;) {
      const candidate = join(dir, 'node_modules', name);
      if (this.fsx.isFile(join(candidate, 'package.json'))) return candidate;
      const parent = dirname(dir);
      if (parent === dir) return null;
      dir = parent;
    }
  }

  /** Loads a pack (and what it extends), once per folder. */
  load(ref: string, baseDir: string, root: string, site: RefSite): PackData | null {
    const r = this.resolveRef(ref, baseDir, root, site);
    if (!r) return null;
    const realDir = this.fsx.realpath(r.dir);
    const cycleAt = this.stack.findIndex((s) => s.realDir === realDir);
    if (cycleAt >= 0) {
      const names = [...this.stack.slice(cycleAt).map((s) => s.name), this.stack[cycleAt]?.name ?? ref];
      this.problem(site, 'EXTENDS_CYCLE', `\`extends\` makes a cycle: ${names.join(' → ')}`);
      return null;
    }
    const existing = this.done.get(realDir);
    if (existing) return existing;
    this.stack.push({ realDir, name: basename(r.dir) });
    try {
      const data = this.loadPackFile(r, realDir);
      if (data) {
        this.done.set(realDir, data);
        this.order.push(data);
      }
      return data;
    } finally {
      this.stack.pop();
    }
  }

  private loadPackFile(r: ResolvedRef, realDir: string): PackData | null {
    const src = this.readYaml(r.file, null);
    if (!src) return null;
    if (!validateSource('packFile', src, this.problems)) return null;
    const pack = src.data as Obj;
    const name = pack.name as string;
    const top = this.stack[this.stack.length - 1];
    if (top) top.name = name;
    const info: PackInfo = { name, source: r.source };
    if (typeof pack.version === 'string') info.version = pack.version;

    // extends
    const parents: PackData[] = [];
    const ext =
      pack.extends === undefined
        ? []
        : Array.isArray(pack.extends)
          ? (pack.extends as string[])
          : [pack.extends as string];
    ext.forEach((ref, i) => {
      const path: Path = Array.isArray(pack.extends) ? ['extends', i] : ['extends'];
      const parent = this.load(ref, r.dir, r.root, { src, file: r.file, path });
      if (parent) parents.push(parent);
    });

    const scope = new SetScope(
      name,
      parents.map((p) => p.scope),
    );
    const addSets = (s: SourceFile, sets: unknown): void => {
      if (!sets || typeof sets !== 'object') return;
      for (const [setName, value] of Object.entries(sets as Obj)) {
        const prev = scope.own.get(setName);
        if (prev) {
          const where = problemAt(prev.src, prev.src.file, prev.path, 'DUPLICATE_SET', '', { key: true });
          this.problem(
            { src: s, file: s.file, path: ['sets', setName] },
            'DUPLICATE_SET',
            `set \`$${setName}\` is defined twice in pack \`${name}\` (first at ${relative(r.dir, where.file) || where.file}:${where.line}:${where.column})`,
            true,
          );
          continue;
        }
        scope.own.set(setName, { name: setName, value, src: s, path: ['sets', setName], scope });
      }
    };
    addSets(src, pack.sets);

    // states
    const states: StateTable = {};
    let stateFields: Record<string, string[]> | null = null;
    for (const p of parents) {
      for (const [code, entry] of Object.entries(p.states))
        states[code] = { ...states[code], ...entry } as StateEntry;
      if (p.stateFields) stateFields = { ...(stateFields ?? {}), ...p.stateFields };
    }
    const packFiles = new Set<string>([r.file]);
    if (typeof pack.states === 'string') {
      const file = this.packPath(r, pack.states, { src, file: r.file, path: ['states'] });
      if (file) {
        packFiles.add(file);
        const s = this.readYaml(file, { src, file: r.file, path: ['states'] });
        if (s && validateSource('stateTable', s, this.problems)) {
          const data = s.data as { fields?: Record<string, string[]>; states: Record<string, StateEntry> };
          if (data.fields) stateFields = { ...(stateFields ?? {}), ...data.fields };
          for (const [code, entry] of Object.entries(data.states)) {
            this.checkStateEntry(s, code, entry, data.fields ?? null);
            states[code] = { ...states[code], ...entry };
          }
        }
      }
    }

    // rule files
    const ruleSources: Array<{ src: SourceFile; rules: Array<{ raw: Obj; errors: string[] }> }> = [];
    (pack.rules as string[]).forEach((rel, i) => {
      const site: RefSite = { src, file: r.file, path: ['rules', i] };
      const file = this.packPath(r, rel, site);
      if (!file) return;
      if (packFiles.has(file)) {
        this.problem(site, 'BAD_VALUE', `\`${rel}\` is listed twice (or is the pack or state file)`);
        return;
      }
      packFiles.add(file);
      const s = this.readYaml(file, site);
      if (!s) return;
      const v = validateParts('ruleFile', s, this.problems);
      if (v.bad.has('')) return;
      const data = s.data as Obj;
      const sets = Object.fromEntries(
        Object.entries((data.sets as Obj | undefined) ?? {}).filter(([k]) => !v.bad.has(`/sets/${k}`)),
      );
      addSets(s, sets);
      // a rule with schema problems is still checked where its parts are valid (all problems at once)
      ruleSources.push({
        src: s,
        rules: (data.rules as unknown[]).map((raw, i) => ({
          raw: raw as Obj,
          errors: v.paths.filter((p) => p === `/rules/${i}` || p.startsWith(`/rules/${i}/`)),
        })),
      });
    });

    // YAML files the pack does not list are probably a mistake (a silent no-op otherwise)
    for (const f of this.fsx.list(r.dir)) {
      if (!/\.ya?ml$/i.test(f)) continue;
      const abs = join(r.dir, f);
      if (!packFiles.has(abs) && this.fsx.isFile(abs)) {
        this.warnings.push({
          code: 'BAD_VALUE',
          file: abs,
          line: 0,
          column: 0,
          message: `\`${f}\` is in the pack folder but not listed in pack.yaml \`rules:\`; its rules are not loaded`,
        });
      }
    }

    const data: PackData = {
      info,
      dir: r.dir,
      realDir,
      scope,
      states,
      stateFields,
      rules: [],
    };
    if (typeof pack.helpUri === 'string') data.helpUri = pack.helpUri;
    else {
      const inherited = parents.find((p) => p.helpUri)?.helpUri;
      if (inherited) data.helpUri = inherited;
    }
    // sets are checked even when no rule uses them
    for (const entry of scope.own.values()) this.resolveSetAsCondition(entry, []);
    for (const { src: s, rules } of ruleSources) {
      rules.forEach(({ raw, errors }, i) => {
        if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return;
        const def = this.buildRule(s, ['rules', i], raw, data, errors);
        if (def) data.rules.push(def);
      });
    }
    return data;
  }

  /** A file named in pack.yaml, which must stay inside the pack folder. */
  private packPath(r: ResolvedRef, rel: string, site: RefSite): string | null {
    const abs = resolve(r.dir, rel);
    if (!inside(this.fsx.realpath(r.dir), this.fsx.realpath(abs))) {
      this.problem(
        site,
        'PATH_ESCAPE',
        `\`${rel}\` points outside the pack folder; pack files must be inside ${r.dir}`,
      );
      return null;
    }
    return abs;
  }

  private checkStateEntry(
    s: SourceFile,
    code: string,
    entry: StateEntry,
    fields: Record<string, string[]> | null,
  ): void {
    if (!fields) return;
    for (const [k, v] of Object.entries(entry)) {
      if (k === 'name' || k === 'note' || k === 'sources') continue;
      const allowed = fields[k];
      if (!allowed) {
        this.problem(
          { src: s, file: s.file, path: ['states', code, k] },
          'UNKNOWN_FIELD',
          `state \`${code}\`: \`${k}\` is not a field declared in \`fields:\`${suggestion(k, Object.keys(fields))}`,
          true,
        );
      } else if (typeof v === 'string' && !allowed.includes(v)) {
        this.problem(
          { src: s, file: s.file, path: ['states', code, k] },
          'BAD_VALUE',
          `state \`${code}\`: \`${k}\` must be one of ${allowed.join(', ')}${suggestion(v, allowed)}`,
        );
      }
    }
  }

  // ── conditions ──

  private setRef(name: string, scope: SetScope, site: RefSite): SetEntry | null {
    const e = scope.lookup(name);
    if (!e) {
      const names = [...scope.names()].map((n) => `$${n}`);
      this.problem(
        site,
        'UNKNOWN_SET',
        `${where(site.src, site.path)}unknown set \`$${name}\`${suggestion(`$${name}`, names)}`,
      );
      return null;
    }
    return e;
  }

  /** Resolves a set once (its problems are reported once, at its definition); adds its captures. */
  private resolveSetAsCondition(entry: SetEntry, stack: SetEntry[], captures?: Set<string>): Cond | null {
    if (entry.resolvedCond !== undefined) {
      if (captures) for (const c of entry.captures ?? []) captures.add(c);
      return entry.resolvedCond;
    }
    if (stack.includes(entry)) {
      this.problem(
        { src: entry.src, file: entry.src.file, path: entry.path },
        'SET_CYCLE',
        `set \`$${entry.name}\` refers to itself: ${[...stack.slice(stack.indexOf(entry)), entry].map((e) => `$${e.name}`).join(' → ')}`,
        true,
      );
      return null;
    }
    const site: RefSite = { src: entry.src, file: entry.src.file, path: entry.path };
    const own = new Set<string>();
    let out: Cond | null;
    // a set is checked as written, whatever rule refers to it
    const saved = this.invalidPaths;
    this.invalidPaths = [];
    try {
      if (Array.isArray(entry.value)) {
        const terms = this.resolveTermList(entry.value, entry.scope, site, [...stack, entry]);
        out = terms ? { type: 'terms', terms } : null;
      } else {
        out = this.resolveCond(entry.value, entry.src, entry.path, entry.scope, [...stack, entry], own);
      }
    } finally {
      this.invalidPaths = saved;
    }
    entry.resolvedCond = out;
    entry.captures = own;
    if (captures) for (const c of own) captures.add(c);
    return out;
  }

  private resolveTermList(
    value: unknown,
    scope: SetScope,
    site: RefSite,
    stack: SetEntry[],
  ): string[] | null {
    if (typeof value === 'string') {
      const e = this.setRef(value.slice(1), scope, site);
      if (!e) return null;
      if (!Array.isArray(e.value)) {
        this.problem(
          site,
          'SET_TYPE',
          `\`$${e.name}\` is a condition, not a term list; use it as a condition (e.g. inside \`any:\`) rather than in \`terms:\``,
        );
        return null;
      }
      if (stack.includes(e)) {
        this.problem(site, 'SET_CYCLE', `set \`$${e.name}\` refers to itself`);
        return null;
      }
      return this.resolveTermList(e.value, e.scope, { src: e.src, file: e.src.file, path: e.path }, [
        ...stack,
        e,
      ]);
    }
    const out: string[] = [];
    let ok = true;
    (value as string[]).forEach((t, i) => {
      if (/^\$[A-Za-z][A-Za-z0-9_-]*$/.test(t)) {
        const sub = this.resolveTermList(
          t,
          scope,
          { ...site, path: site.path ? [...site.path, i] : null },
          stack,
        );
        if (sub) out.push(...sub);
        else ok = false;
      } else {
        out.push(t);
      }
    });
    return ok ? out : null;
  }

  /** Schema error paths of the rule being checked (its valid parts are still checked). */
  private invalidPaths: string[] = [];

  private resolveCond(
    raw: unknown,
    src: SourceFile,
    path: Path,
    scope: SetScope,
    stack: SetEntry[],
    captures: Set<string>,
  ): Cond | null {
    const site: RefSite = { src, file: src.file, path };
    if (this.invalidPaths.length > 0 && stack.length === 0) {
      const here = `/${path.join('/')}`;
      const composite =
        raw !== null &&
        typeof raw === 'object' &&
        ('all' in raw || 'any' in raw || 'not' in raw || 'heading' in raw || 'leadIn' in raw);
      if (this.invalidPaths.some((p) => p === here || (!composite && p.startsWith(`${here}/`)))) return null;
    }
    if (typeof raw === 'string') {
      const e = this.setRef(raw.slice(1), scope, site);
      if (!e) return null;
      const c = this.resolveSetAsCondition(e, stack, captures);
      return c;
    }
    const o = raw as Obj;
    const sub = (key: string, value: unknown, extra: Array<string | number> = []): Cond | null =>
      this.resolveCond(value, src, [...path, key, ...extra], scope, stack, captures);
    if ('all' in o || 'any' in o) {
      const key = 'all' in o ? 'all' : 'any';
      const items = (o[key] as unknown[]).map((x, i) => sub(key, x, [i]));
      if (items.some((x) => x === null)) return null;
      return { type: key, items: items as Cond[] };
    }
    if ('not' in o) {
      const item = sub('not', o.not);
      return item ? { type: 'not', item } : null;
    }
    if ('terms' in o) {
      const terms = this.resolveTermList(
        o.terms,
        scope,
        { src, file: src.file, path: [...path, 'terms'] },
        stack,
      );
      if (!terms) return null;
      const c: Cond = { type: 'terms', terms };
      if (typeof o.capture === 'string') {
        c.capture = o.capture;
        this.addCapture(captures, o.capture, src, [...path, 'capture']);
      }
      return c;
    }
    if ('pattern' in o) {
      const source = o.pattern as string;
      const flags = typeof o.flags === 'string' ? o.flags : 'i';
      const at: RefSite = { src, file: src.file, path: [...path, 'pattern'] };
      try {
        new RegExp(source, flags);
      } catch (e) {
        const msg = (e as Error).message.replace(/^Invalid regular expression: /, '');
        this.problem(at, 'BAD_REGEX', `${where(src, at.path)}invalid regular expression: ${msg}`);
        return null;
      }
      const unsafe = checkRegexSafety(source, flags);
      if (unsafe) {
        this.problem(
          at,
          'UNSAFE_REGEX',
          `${where(src, at.path)}unsafe regular expression: ${unsafe.message}`,
        );
        return null;
      }
      for (const g of namedGroups(source)) this.addCapture(captures, g, src, [...path, 'pattern']);
      return { type: 'pattern', source, flags };
    }
    if ('near' in o) {
      const n = o.near as Obj;
      const a = this.resolveCond(n.a, src, [...path, 'near', 'a'], scope, stack, captures);
      const b = this.resolveCond(n.b, src, [...path, 'near', 'b'], scope, stack, captures);
      if (!a || !b) return null;
      return {
        type: 'near',
        a,
        b,
        within: typeof n.within === 'number' ? n.within : DEFAULT_NEAR_WITHIN,
        ordered: n.ordered === true,
      };
    }
    if ('party' in o) return { type: 'party', who: o.party as Who };
    if ('actor' in o) {
      const a = o.actor as Obj;
      const c: Cond = {
        type: 'actor',
        who: a.who as Who,
        polarity: (a.polarity as Polarity | undefined) ?? 'affirmative',
      };
      if (a.does !== undefined) {
        const d = this.resolveCond(a.does, src, [...path, 'actor', 'does'], scope, stack, captures);
        if (!d) return null;
        c.does = d;
      }
      if (a.qualifiedBy !== undefined) {
        const q = this.resolveCond(
          a.qualifiedBy,
          src,
          [...path, 'actor', 'qualifiedBy'],
          scope,
          stack,
          new Set(),
        );
        if (!q) return null;
        c.qualifiedBy = q;
      }
      if (typeof a.capture === 'string') {
        c.capture = a.capture;
        this.addCapture(captures, a.capture, src, [...path, 'actor', 'capture']);
      }
      return c;
    }
    if ('number' in o) {
      const n = o.number as Obj;
      const kind = n.kind as NumberKind;
      const c: Cond = {
        type: 'number',
        kind,
        within: typeof n.within === 'number' ? n.within : DEFAULT_NUMBER_WITHIN,
      };
      if (typeof n.capture === 'string') {
        c.capture = n.capture;
        this.addCapture(captures, n.capture, src, [...path, 'number', 'capture']);
      }
      if (typeof n.compare === 'string') {
        const cmp = parseComparison(n.compare, kind);
        if ('error' in cmp) {
          this.problem(
            { src, file: src.file, path: [...path, 'number', 'compare'] },
            'BAD_VALUE',
            `\`number.compare\`: ${cmp.error}`,
          );
          return null;
        }
        c.compare = { op: cmp.op, value: cmp.value, source: n.compare };
      }
      if (n.near !== undefined) {
        const near = this.resolveCond(n.near, src, [...path, 'number', 'near'], scope, stack, captures);
        if (!near) return null;
        c.near = near;
      }
      return c;
    }
    if ('heading' in o) {
      const item = sub('heading', o.heading);
      return item ? { type: 'heading', item } : null;
    }
    if ('leadIn' in o) {
      const item = sub('leadIn', o.leadIn);
      return item ? { type: 'leadIn', item } : null;
    }
    if ('placeholder' in o) return { type: 'placeholder' };
    if ('doc' in o) {
      const d = o.doc as Obj;
      const c: Cond = { type: 'doc' };
      if (d.kind !== undefined) c.kinds = (Array.isArray(d.kind) ? d.kind : [d.kind]) as DocumentKind[];
      if (d.governingLaw !== undefined)
        c.governingLaw = (Array.isArray(d.governingLaw) ? d.governingLaw : [d.governingLaw]) as (
          | string
          | null
        )[];
      if (d.state !== undefined) {
        const st = d.state as { field: string; in: string[] };
        c.state = { field: st.field, in: st.in };
        this.pendingFieldChecks.push({
          field: st.field,
          values: st.in,
          site: { src, file: src.file, path: [...path, 'doc', 'state', 'field'] },
        });
      }
      return c;
    }
    return null;
  }

  private pendingFieldChecks: Array<{ field: string; values: string[]; site: RefSite }> = [];

  private addCapture(captures: Set<string>, name: string, src: SourceFile, path: Path): void {
    if (MESSAGE_FACTS.includes(name)) {
      this.problem(
        { src, file: src.file, path },
        'BAD_VALUE',
        `the capture name \`${name}\` is taken by a document fact ({${name}}); choose another name`,
      );
    }
    captures.add(name);
  }

  private checkField(data: PackData, field: string, values: string[], site: RefSite, what: string): void {
    const known = new Set<string>();
    const valuesOf = new Map<string, Set<string>>();
    if (data.stateFields) {
      for (const [f, vs] of Object.entries(data.stateFields)) {
        known.add(f);
        valuesOf.set(f, new Set(vs));
      }
    } else {
      for (const entry of Object.values(data.states)) {
        for (const [k, v] of Object.entries(entry)) {
          if (k === 'name' || k === 'note' || k === 'sources' || typeof v !== 'string') continue;
          known.add(k);
          let set = valuesOf.get(k);
          if (!set) {
            set = new Set();
            valuesOf.set(k, set);
          }
          set.add(v);
        }
      }
    }
    if (Object.keys(data.states).length === 0) {
      this.problem(
        site,
        'UNKNOWN_FIELD',
        `${what} uses the state table, but the pack has none (add \`states: states.yaml\` to pack.yaml)`,
      );
      return;
    }
    if (!known.has(field)) {
      this.problem(
        site,
        'UNKNOWN_FIELD',
        `${what}: \`${field}\` is not a field of the state table${suggestion(field, known)}`,
      );
      return;
    }
    if (data.stateFields) {
      const allowed = valuesOf.get(field) as Set<string>;
      for (const v of values) {
        if (!allowed.has(v))
          this.problem(
            site,
            'BAD_VALUE',
            `${what}: \`${v}\` is not a value of \`${field}\` (values: ${[...allowed].join(', ')})${suggestion(v, allowed)}`,
          );
      }
    }
  }

  private buildRule(
    src: SourceFile,
    path: Path,
    raw: Obj,
    data: PackData,
    schemaErrors: string[] = [],
  ): RuleDefinition | null {
    const base = `/${path.join('/')}`;
    const valid = (key: string): boolean =>
      !schemaErrors.some((p) => p === base || p === `${base}/${key}` || p.startsWith(`${base}/${key}/`));
    if (schemaErrors.length > 0) {
      // report what else is wrong in the parts the schema accepted, then give up on this rule
      if (typeof raw.id === 'string' && valid('id') && !this.ruleIds.has(raw.id)) {
        const pos0 = problemAt(src, src.file, path, 'BAD_VALUE', '');
        this.ruleIds.set(raw.id, {
          file: src.file,
          line: pos0.line,
          column: pos0.column,
          pack: data.info.name,
        });
      }
      this.invalidPaths = schemaErrors;
      try {
        for (const key of ['section', 'when', 'if', 'require', 'forbid', 'unless']) {
          if (raw[key] !== undefined && !schemaErrors.includes(`${base}/${key}`))
            this.resolveCond(raw[key], src, [...path, key], data.scope, [], new Set());
        }
      } finally {
        this.invalidPaths = [];
      }
      return null;
    }
    const id = raw.id as string;
    const site: RefSite = { src, file: src.file, path };
    const pos = problemAt(src, src.file, path, 'BAD_VALUE', '');
    const prev = this.ruleIds.get(id);
    if (prev) {
      this.problem(
        { src, file: src.file, path: [...path, 'id'] },
        'DUPLICATE_RULE',
        `rule id \`${id}\` is already defined${prev.pack !== data.info.name ? ` by pack \`${prev.pack}\`` : ''} at ${prev.file}:${prev.line}:${prev.column}; rule ids must be unique across loaded packs`,
      );
      return null;
    }
    this.ruleIds.set(id, { file: src.file, line: pos.line, column: pos.column, pack: data.info.name });
    const before = this.problems.length;
    this.pendingFieldChecks = [];
    const captures: Record<string, Set<string>> = {};
    const cond = (key: string): Cond | undefined => {
      if (raw[key] === undefined) return undefined;
      const set = new Set<string>();
      captures[key] = set;
      const c = this.resolveCond(raw[key], src, [...path, key], data.scope, [], set);
      return c ?? undefined;
    };
    const kind = raw.kind as RuleKind;
    const scope = (raw.scope as Scope | undefined) ?? 'sentence';
    const def: RuleDefinition = {
      id,
      category: typeof raw.category === 'string' ? raw.category : (id.split('/')[0] as string),
      title: raw.title as string,
      severity: raw.severity as RuleSeverity,
      appliesTo: (raw.appliesTo as DocumentKind[] | undefined) ?? DOCUMENT_KINDS.filter((k) => k !== 'other'),
      kind,
      scope,
      clauseKinds: clauseKinds(
        raw.include as ClauseKind[] | undefined,
        raw.exclude as ClauseKind[] | undefined,
      ),
      body: raw.body === true,
      exhibitsOnly: raw.exhibitsOnly === true,
      message: raw.message as string,
      rationale: raw.rationale as string,
      references: (raw.references as string[] | undefined) ?? [],
      fix: raw.fix as string,
      example: typeof raw.example === 'string' ? raw.example : '',
      maxFindings: typeof raw.maxFindings === 'number' ? raw.maxFindings : DEFAULT_MAX_FINDINGS,
      pack: data.info.name,
      source: { file: src.file, line: pos.line, column: pos.column },
    };
    if (typeof raw.lookingFor === 'string') def.lookingFor = raw.lookingFor;
    const help = typeof raw.helpUri === 'string' ? raw.helpUri : data.helpUri?.replace(/\{id\}/g, id);
    if (help) def.helpUri = help;
    const section = cond('section');
    if (section) def.section = section;
    for (const key of ['when', 'if', 'require', 'forbid', 'unless'] as const) {
      const c = cond(key);
      if (c) def[key] = c;
    }
    if (def.clauseKinds.length === 0) {
      this.problem(site, 'BAD_VALUE', `rule \`${id}\`: \`include\`/\`exclude\` leave no clause kind to test`);
    }
    // severity by state
    if (typeof def.severity === 'object') {
      const sev = def.severity;
      this.checkField(
        data,
        sev.byState.field,
        Object.keys(sev.byState.values),
        { src, file: src.file, path: [...path, 'severity', 'byState', 'field'] },
        `rule \`${id}\`: \`severity.byState.field\``,
      );
    }
    for (const chk of this.pendingFieldChecks)
      this.checkField(data, chk.field, chk.values, chk.site, `rule \`${id}\`: \`doc.state.field\``);
    // message placeholders
    const available = new Set<string>(MESSAGE_FACTS);
    if (kind === 'forbid' || kind === 'detect') for (const c of captures.when ?? []) available.add(c);
    if (kind === 'conditional') {
      for (const c of captures.if ?? []) available.add(c);
      if (!def.require) for (const c of captures.forbid ?? []) available.add(c);
    }
    for (const m of def.message.matchAll(/\{([A-Za-z][A-Za-z0-9_]*)\}/g)) {
      const name = m[1] as string;
      if (available.has(name)) continue;
      const captured = [...available].filter((x) => !MESSAGE_FACTS.includes(x));
      const why =
        kind === 'require'
          ? 'a require rule reports something missing, so nothing is captured'
          : kind === 'conditional' && def.require && (captures.forbid?.has(name) ?? false)
            ? 'it is captured by `forbid:`, but this rule also reports a missing `require:`, which has no such value; capture it in `if:` or split the rule'
            : `captures here: ${captured.length ? captured.join(', ') : 'none'}`;
      this.problem(
        { src, file: src.file, path: [...path, 'message'] },
        'UNKNOWN_PLACEHOLDER',
        `rule \`${id}\`: the message uses \`{${name}}\`, which is neither a capture nor a document fact (${why}; facts: ${MESSAGE_FACTS.join(', ')})${suggestion(name, available)}`,
      );
    }
    if (this.problems.length > before) return null;
    return def;
  }

  /** The merged definition of the loaded packs (dependencies first). */
  definition(): PackDefinition {
    const seen = new Set<string>();
    const packs: PackInfo[] = [];
    const rules: RuleDefinition[] = [];
    const states: StateTable = {};
    for (const p of this.order) {
      if (seen.has(p.realDir)) continue;
      seen.add(p.realDir);
      packs.push(p.info);
      rules.push(...p.rules);
      for (const [code, entry] of Object.entries(p.states))
        states[code] = { ...states[code], ...entry } as StateEntry;
    }
    return { packs, rules, states, files: [...new Set(this.files)] };
  }

  throwIfProblems(): void {
    if (this.problems.length > 0) throw new PackError(sortProblems(this.problems));
  }
}

/** "rule `x`: `when.all[0].pattern`: " for messages about a place in a rule file. */
function where(src: SourceFile | null, path: Path | null): string {
  if (!src || !path || path.length === 0) return '';
  const [a, b] = path;
  let prefix = '';
  let rel: Path = path;
  if (a === 'rules' && typeof b === 'number') {
    const r = (src.data as { rules?: Array<{ id?: unknown }> }).rules?.[b];
    prefix = typeof r?.id === 'string' ? `rule \`${r.id}\`: ` : `rule #${b + 1}: `;
    rel = path.slice(2);
  } else if (a === 'sets' && b !== undefined) {
    prefix = `set \`$${b}\`: `;
    rel = path.slice(2);
  }
  let field = '';
  for (const seg of rel) field += typeof seg === 'number' ? `[${seg}]` : field ? `.${seg}` : seg;
  return field ? `${prefix}\`${field}\`: ` : prefix;
}

function clauseKinds(include: ClauseKind[] | undefined, exclude: ClauseKind[] | undefined): ClauseKind[] {
  const base = new Set<ClauseKind>(include ?? ALL_CLAUSE_KINDS);
  const ex = exclude ?? DEFAULT_EXCLUDED_CLAUSE_KINDS.filter((k) => !include?.includes(k));
  for (const k of ex) base.delete(k);
  return ALL_CLAUSE_KINDS.filter((k) => base.has(k));
}

// ─── public API ────────────────────────────────────────────────────────────────

/**
 * Loads one pack (and what it extends): a builtin name, a path (folder or pack.yaml) or an npm package.
 * Throws `PackError` listing every problem found.
 */
export function loadPack(ref: string, options: LoadOptions = {}): LoadedPack {
  return loadPacks([ref], options);
}

/** Loads several packs (a config's `extends` list); rule ids must be unique across all of them. */
export function loadPacks(refs: string[], options: LoadOptions = {}, sites?: RefSite[]): LoadedPack {
  const baseDir = resolve(options.baseDir ?? process.cwd());
  const root = resolve(options.root ?? baseDir);
  const loader = new PackLoader(diskFs, { maxFileBytes: options.maxFileBytes });
  refs.forEach((ref, i) => {
    const site = sites?.[i] ?? { src: null, file: ref, path: null };
    loader.load(ref, baseDir, root, site);
  });
  loader.throwIfProblems();
  return { definition: loader.definition(), warnings: loader.warnings };
}

/**
 * Loads a pack from in-memory files (`{ 'pack.yaml': '…', 'rules.yaml': '…' }`), e.g. in tests or tools.
 * File names in errors are `<root>/<name>`.
 */
export function loadPackFromFiles(
  files: Record<string, string>,
  options: { root?: string; maxFileBytes?: number } = {},
): LoadedPack {
  const root = resolve(options.root ?? '/memory-pack');
  const loader = new PackLoader(memoryFs(files, root), { maxFileBytes: options.maxFileBytes });
  loader.load('./pack.yaml', root, root, { src: null, file: join(root, 'pack.yaml'), path: null });
  loader.throwIfProblems();
  return { definition: loader.definition(), warnings: loader.warnings };
}

/** Loads a pack and tells where its folder is (for `test-rules`, which reads `<pack>/tests/`). */
export function loadPackWithDir(ref: string, options: LoadOptions = {}): LoadedPack & { dir: string } {
  const baseDir = resolve(options.baseDir ?? process.cwd());
  const root = resolve(options.root ?? baseDir);
  const loader = new PackLoader(diskFs, { maxFileBytes: options.maxFileBytes });
  const data = loader.load(ref, baseDir, root, { src: null, file: ref, path: null });
  loader.throwIfProblems();
  return { definition: loader.definition(), warnings: loader.warnings, dir: data?.dir ?? baseDir };
}

/** A one-line description of where a pack reference resolves, without loading it (for `rules`). */
export function describePackRef(ref: string, options: LoadOptions = {}): string {
  const baseDir = resolve(options.baseDir ?? process.cwd());
  const loader = new PackLoader(diskFs);
  const r = loader.resolveRef(ref, baseDir, resolve(options.root ?? baseDir), {
    src: null,
    file: ref,
    path: null,
  });
  if (!r) return `${ref} (not found)`;
  return `${r.source} → ${r.dir}`;
}
