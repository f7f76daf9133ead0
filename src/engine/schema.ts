/**
 * JSON Schema validation of pack files and config files, with ajv's errors turned into one plain-words
 * message per problem, positioned at the offending key or value:
 *
 *   rule `fees/percent`: `severity` must be one of error, warning, info (did you mean `error`?)
 *   rule `x`: unknown key `sevrity` (did you mean `severity`?)
 *
 * The schema is written so that unions are `if/then/else` (only one branch reports) and conditions are
 * one-key objects checked branch by branch; what remains of ajv's noise (`if` wrappers, the per-branch
 * `required` errors of "needs one of") is removed here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { type PackProblem, suggestion } from './errors.js';
import { packageRoot } from './package-root.js';
import { locate, type SourceFile } from './yaml-source.js';

export type SchemaName = 'packFile' | 'ruleFile' | 'stateTable' | 'config';

export const RULE_PACK_SCHEMA_FILE = 'rules/rule-pack.schema.json';
export const CONFIG_SCHEMA_FILE = 'schemas/config.schema.json';

const CONDITION_KINDS = [
  'all',
  'any',
  'not',
  'terms',
  'pattern',
  'near',
  'party',
  'actor',
  'number',
  'heading',
  'leadIn',
  'placeholder',
  'doc',
];

let validators: Record<SchemaName, ValidateFunction> | null = null;

function getValidators(): Record<SchemaName, ValidateFunction> {
  if (validators) return validators;
  const root = packageRoot();
  const packSchema = JSON.parse(readFileSync(join(root, RULE_PACK_SCHEMA_FILE), 'utf8')) as { $id: string };
  const configSchema = JSON.parse(readFileSync(join(root, CONFIG_SCHEMA_FILE), 'utf8')) as { $id: string };
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
  });
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: ['string'] });
  ajv.addSchema(packSchema);
  const id = packSchema.$id;
  const get = (ref: string): ValidateFunction => {
    const v = ajv.getSchema(ref);
    if (!v) throw new Error(`schema ${ref} not found`);
    return v;
  };
  validators = {
    packFile: get(`${id}#/$defs/packFile`),
    ruleFile: get(`${id}#/$defs/ruleFile`),
    stateTable: get(`${id}#/$defs/stateTable`),
    config: ajv.compile(configSchema),
  };
  return validators;
}

/** Validates `src.data` against a schema; pushes translated problems; returns true when valid. */
export function validateSource(name: SchemaName, src: SourceFile, problems: PackProblem[]): boolean {
  return validateParts(name, src, problems).ok;
}

/**
 * Like `validateSource`, and also says which top-level items failed (`/rules/3`, `/sets/revenue`, or ''
 * for the file itself), so the valid items of a file can still be checked further.
 */
export function validateParts(
  name: SchemaName,
  src: SourceFile,
  problems: PackProblem[],
): { ok: boolean; bad: Set<string>; paths: string[] } {
  const validate = getValidators()[name];
  if (validate(src.data)) return { ok: true, bad: new Set(), paths: [] };
  const errors = validate.errors ?? [];
  const translated = translateErrors(name, src, errors);
  problems.push(...translated);
  const bad = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    const segs = e.instancePath.split('/').slice(1);
    bad.add(segs.length >= 2 ? `/${segs[0]}/${segs[1]}` : '');
  }
  const paths = errors.filter((e) => e.keyword !== 'if').map((e) => e.instancePath);
  return { ok: translated.length === 0, bad, paths };
}

// ─── translation ───────────────────────────────────────────────────────────────

type Seg = string | number;

function parsePointer(pointer: string): Seg[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function getAt(data: unknown, path: Seg[]): unknown {
  let cur = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg as string];
  }
  return cur;
}

function fieldName(rel: Seg[]): string {
  let out = '';
  for (const seg of rel) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

function typeWord(t: string): string {
  switch (t) {
    case 'object':
      return 'a mapping (key: value)';
    case 'array':
      return 'a list';
    case 'string':
      return 'text';
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'empty';
    default:
      return t;
  }
}

function typeOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

interface Context {
  /** "rule `x`: " etc. */
  prefix: string;
  /** Path relative to the named thing. */
  rel: Seg[];
}

function context(name: SchemaName, data: unknown, path: Seg[]): Context {
  const [a, b] = path;
  if ((name === 'ruleFile' || name === 'config') && a === 'rules' && b !== undefined) {
    if (name === 'config') return { prefix: `rule override \`${b}\`: `, rel: path.slice(2) };
    const rule = getAt(data, ['rules', b]) as { id?: unknown } | undefined;
    const id = rule && typeof rule === 'object' && typeof rule.id === 'string' ? rule.id : null;
    const label = id ? `rule \`${id}\`` : `rule #${(b as number) + 1}`;
    return { prefix: `${label}: `, rel: path.slice(2) };
  }
  if (a === 'sets' && b !== undefined) return { prefix: `set \`$${b}\`: `, rel: path.slice(2) };
  if (name === 'stateTable' && a === 'states' && b !== undefined)
    return { prefix: `state \`${b}\`: `, rel: path.slice(2) };
  if (name === 'stateTable' && a === 'fields' && b !== undefined)
    return { prefix: `field \`${b}\`: `, rel: path.slice(2) };
  return { prefix: '', rel: path };
}

function subject(ctx: Context, extra?: string): string {
  const rel = extra !== undefined ? [...ctx.rel, extra] : ctx.rel;
  if (rel.length === 0) {
    return ctx.prefix ? `${ctx.prefix.replace(/: $/, '')}` : 'the file';
  }
  return `${ctx.prefix}\`${fieldName(rel)}\``;
}

interface Translated {
  path: string;
  key?: string;
  message: string;
  /** Position at the key rather than the value. */
  atKey?: boolean;
  combine?: { kinds: string[] };
}

export function translateErrors(name: SchemaName, src: SourceFile, errors: ErrorObject[]): PackProblem[] {
  const data = src.data;
  const list = errors.filter((e) => e.keyword !== 'if');
  // anyOf errors that stand for their branches: drop the branch errors.
  const suppress: Array<{ path: string; prefix: string }> = [];
  for (const e of list) {
    if (e.keyword === 'anyOf') suppress.push({ path: e.instancePath, prefix: `${e.schemaPath}/` });
  }
  const unknownKeyPaths = new Set(
    list
      .filter((e) => e.keyword === 'additionalProperties' && !conditionKindOf(e))
      .map((e) => e.instancePath),
  );
  const out: Translated[] = [];
  for (const e of list) {
    if (suppress.some((s) => s.path === e.instancePath && e.schemaPath.startsWith(s.prefix))) continue;
    const path = parsePointer(e.instancePath);
    const ctx = context(name, data, path);
    const value = getAt(data, path);
    const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
    const custom = typeof parent.errorMessage === 'string' ? (parent.errorMessage as string) : null;
    switch (e.keyword) {
      case 'required': {
        const missing = (e.params as { missingProperty: string }).missingProperty;
        let why = '';
        if (e.schemaPath.includes('/then/') && value && typeof value === 'object') {
          const obj = value as Record<string, unknown>;
          if (missing === 'section') why = ' (`scope: section` needs the heading condition `section:`)';
          else if (typeof obj.kind === 'string') why = ` (required by \`kind: ${obj.kind}\`)`;
        }
        out.push({
          path: e.instancePath,
          message: `${subject(ctx, missing)} is missing${why}`.replace(/^`/, '`'),
        });
        break;
      }
      case 'additionalProperties': {
        const key = (e.params as { additionalProperty: string }).additionalProperty;
        const kind = conditionKindOf(e);
        if (kind) {
          if (CONDITION_KINDS.includes(key)) {
            out.push({
              path: e.instancePath,
              key,
              atKey: true,
              combine: { kinds: [kind, key].sort() },
              message: '',
            });
          } else {
            const allowed = Object.keys((parent.properties as Record<string, unknown>) ?? {});
            out.push({
              path: e.instancePath,
              key,
              atKey: true,
              message: `${subject(ctx, key)}: \`${key}\` does not apply to a \`${kind}\` condition (allowed with \`${kind}\`: ${allowed.join(', ')})`,
            });
          }
        } else {
          const allowed = Object.keys((parent.properties as Record<string, unknown>) ?? {}).filter(
            (k) => k !== '$schema',
          );
          out.push({
            path: e.instancePath,
            key,
            atKey: true,
            message: `${ctx.prefix}unknown key \`${fieldName([...ctx.rel, key])}\`${suggestion(key, allowed)}`,
          });
        }
        break;
      }
      case 'false schema': {
        const key = String(path[path.length - 1]);
        const parentCtx = context(name, data, path.slice(0, -1));
        const obj = getAt(data, path.slice(0, -1)) as Record<string, unknown> | undefined;
        const kind = obj && typeof obj.kind === 'string' ? obj.kind : '?';
        let msg: string;
        if (['if', 'require', 'forbid', 'unless'].includes(key))
          msg = `\`${key}\` is only used by \`kind: conditional\` rules (this rule is \`kind: ${kind}\`; use \`when:\`)`;
        else if (key === 'when')
          msg =
            '`when` is not used by `kind: conditional` rules (use `if:` with `require:` and/or `forbid:`)';
        else if (key === 'lookingFor')
          msg = `\`lookingFor\` is only used by require and conditional rules (this rule is \`kind: ${kind}\`)`;
        else if (key === 'section') msg = '`section` is only used with `scope: section`';
        else msg = `\`${key}\` is not allowed here`;
        out.push({ path: e.instancePath, key, atKey: true, message: `${parentCtx.prefix}${msg}` });
        break;
      }
      case 'anyOf': {
        if (unknownKeyPaths.has(e.instancePath)) break; // the unknown key says it better
        const branches = (e.schema as Array<{ required?: string[] }>) ?? [];
        const keys = branches.flatMap((b) => b.required ?? []);
        if (parent.$comment === 'kinds' || keys.length > 2) {
          out.push({
            path: e.instancePath,
            message: `${subject(ctx)} is not a condition: it needs one of the keys ${keys.join(', ')} (or a $set reference)`,
          });
        } else if (custom) {
          out.push({ path: e.instancePath, message: `${ctx.prefix}${custom}` });
        } else {
          out.push({
            path: e.instancePath,
            message: `${subject(ctx)} needs one of ${keys.map((k) => `\`${k}\``).join(' or ')}`,
          });
        }
        break;
      }
      case 'propertyNames':
        break; // reported by the nested keyword with the property name
      default: {
        // propertyNames failures carry the name in params via the parent error; find it.
        if (e.schemaPath.includes('/propertyNames/')) {
          const pn = list.find((x) => x.keyword === 'propertyNames' && x.instancePath === e.instancePath);
          const bad = pn ? (pn.params as { propertyName: string }).propertyName : '?';
          const what =
            path[path.length - 1] === 'states'
              ? 'a two-letter upper-case state code such as NY'
              : path[path.length - 1] === 'rules' && name === 'config'
                ? 'a rule id such as `category/name`'
                : 'a name made of letters, digits, `-` and `_`, starting with a letter';
          out.push({
            path: e.instancePath,
            key: bad,
            atKey: true,
            message: `${ctx.prefix}\`${fieldName([...ctx.rel, bad])}\` is not a valid key: it must be ${what}`,
          });
          break;
        }
        let msg = custom ?? genericMessage(e, value);
        if (e.keyword === 'enum' && typeof value === 'string') {
          msg += suggestion(value, (e.params as { allowedValues: unknown[] }).allowedValues.map(String));
        }
        if (e.keyword === 'type' && !custom) {
          msg = `must be ${typeWord((e.params as { type: string }).type)} (found ${typeWord(typeOf(value))})`;
        } else if (e.keyword === 'type' && custom) {
          msg = `${custom} (found ${typeWord(typeOf(value))})`;
        }
        const subj = subject(ctx);
        out.push({ path: e.instancePath, message: `${subj} ${msg}` });
        break;
      }
    }
  }
  // Merge "two kinds in one condition" reported by each branch into one message.
  const problems: PackProblem[] = [];
  const combined = new Set<string>();
  for (const t of out) {
    const path = parsePointer(t.path);
    if (t.combine) {
      const k = `${t.path}|${t.combine.kinds.join(',')}`;
      if (combined.has(k)) continue;
      combined.add(k);
      const ctx = context(name, data, path);
      const [k1, k2] = t.combine.kinds;
      const pos = locate(src, [...path, t.key as string], { key: true });
      problems.push({
        code: 'SCHEMA',
        file: src.file,
        line: pos.line,
        column: pos.column,
        message: `${subject(ctx)} has two condition kinds, \`${k1}\` and \`${k2}\`: a condition has exactly one; combine conditions with \`all:\` or \`any:\``,
      });
      continue;
    }
    const pos =
      t.atKey && t.key !== undefined ? locate(src, [...path, t.key], { key: true }) : locate(src, path);
    problems.push({ code: 'SCHEMA', file: src.file, line: pos.line, column: pos.column, message: t.message });
  }
  return problems;
}

function conditionKindOf(e: ErrorObject): string | null {
  const c = (e.parentSchema as { $comment?: unknown } | undefined)?.$comment;
  return typeof c === 'string' && c.startsWith('condition:') ? c.slice('condition:'.length) : null;
}

function genericMessage(e: ErrorObject, value: unknown): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'pattern':
      return `has an invalid form (${JSON.stringify(value)})`;
    case 'minLength':
      return 'must not be empty';
    case 'minItems':
      return (p.limit as number) === 1 ? 'must not be an empty list' : `must have at least ${p.limit} items`;
    case 'minProperties':
      return 'must not be empty';
    case 'minimum':
      return `must be at least ${p.limit}`;
    case 'maximum':
      return `must be at most ${p.limit}`;
    case 'exclusiveMinimum':
      return `must be greater than ${p.limit}`;
    case 'uniqueItems':
      return 'must not repeat an item';
    default:
      return e.message ?? 'is invalid';
  }
}
