/**
 * contract-lint.config.yaml (also .contract-lint.yaml): found upward from the scanned path (stopping at
 * the folder that holds `.git`, or the filesystem root), or named explicitly. It says which packs to use
 * (`extends`), per-rule overrides (`off` or a severity), files to ignore, a default governing law, the file
 * types to scan and per-file limits. `resolveConfig` loads and compiles everything once per run and
 * returns a hash that changes whenever the tool version, a pack file or the config changes (the cache key).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { compilePack } from '../engine/compile.js';
import { ConfigError, PackError, type PackProblem, sortProblems, suggestion } from '../engine/errors.js';
import { PackLoader, type RefSite } from '../engine/load.js';
import { toolVersion } from '../engine/package-root.js';
import { validateSource } from '../engine/schema.js';
import { US_STATES } from '../engine/states.js';
import type { CompiledPack, RuleOverride } from '../engine/types.js';
import { MAX_PACK_FILE_BYTES, parseYaml, problemAt, type SourceFile } from '../engine/yaml-source.js';
import type { PackInfo, RuleInfo } from '../model.js';

export const CONFIG_FILE_NAMES = [
  'contract-lint.config.yaml',
  'contract-lint.config.yml',
  '.contract-lint.yaml',
  '.contract-lint.yml',
] as const;

export interface ConfigLimits {
  /** Larger files are reported (TOO_LARGE), not read. */
  maxFileBytes: number;
  /** PDFs with more pages are reported, not read. */
  maxPages: number;
  /** Time limit per file, in seconds. */
  timeoutSeconds: number;
}

export interface ContractLintConfig {
  extends: string[];
  rules: Record<string, RuleOverride>;
  ignore: string[];
  /** Two-letter state code assumed for documents that state no governing law (undefined: none). */
  governingLaw?: string | undefined;
  extensions: string[];
  limits: ConfigLimits;
}

export const DEFAULT_LIMITS: ConfigLimits = {
  maxFileBytes: 100 * 1024 * 1024,
  maxPages: 2000,
  timeoutSeconds: 60,
};
export const DEFAULT_EXTENSIONS = ['pdf', 'docx', 'txt', 'md'];

export function defaultConfig(): ContractLintConfig {
  return {
    extends: ['mso-dso'],
    rules: {},
    ignore: [],
    extensions: [...DEFAULT_EXTENSIONS],
    limits: { ...DEFAULT_LIMITS },
  };
}

/** Plain data (structured-clone friendly), so a worker thread can resolve the same config. */
export interface ConfigRequest {
  /** An explicit config file (`--config`); relative to the current folder. */
  configPath?: string | undefined;
  /** Where to start looking for a config file (a file or folder being scanned). Default: cwd. */
  searchFrom?: string | undefined;
  /** Project folder used when there is no config file (packs named by path must be inside it). */
  root?: string | undefined;
  /** Overrides the tool version in the hash (tests). */
  toolVersion?: string | undefined;
}

export interface ResolvedConfig {
  config: ContractLintConfig;
  /** Absolute path of the config file used, or null for the built-in defaults. */
  configPath: string | null;
  /** Folder that pack paths are resolved against and may not leave. */
  root: string;
  packs: PackInfo[];
  compiled: CompiledPack;
  rules: RuleInfo[];
  /** Changes whenever the tool version, any pack file or the config changes. */
  hash: string;
  warnings: PackProblem[];
}

function hasGit(dir: string): boolean {
  try {
    return fs.existsSync(join(dir, '.git'));
  } catch {
    return false;
  }
}

/**
 * The config file for `start` (a file or folder): the first of CONFIG_FILE_NAMES in its folder or a
 * parent, stopping after the folder that holds `.git` (the repository root) or at the filesystem root.
 */
export function findConfig(start: string): string | null {
  let dir = resolve(start);
  try {
    if (fs.statSync(dir).isFile()) dir = dirname(dir);
  } catch {
    // a path that does not exist yet: look from its folder
    dir = dirname(dir);
  }
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const p = join(dir, name);
      try {
        if (fs.statSync(p).isFile()) return p;
      } catch {
        // not here
      }
    }
    if (hasGit(dir)) return null;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

interface LoadedConfigFile {
  config: ContractLintConfig;
  src: SourceFile | null;
  text: string;
}

/** Reads and validates a config file; problems go to `problems`. */
function readConfigFile(path: string, problems: PackProblem[]): LoadedConfigFile | null {
  let size: number;
  try {
    size = fs.statSync(path).size;
  } catch {
    problems.push({ code: 'NOT_FOUND', file: path, line: 0, column: 0, message: 'config file not found' });
    return null;
  }
  if (size > MAX_PACK_FILE_BYTES) {
    problems.push({
      code: 'TOO_LARGE',
      file: path,
      line: 0,
      column: 0,
      message: `the config file is over ${MAX_PACK_FILE_BYTES / 1024 / 1024} MB; refused without reading it`,
    });
    return null;
  }
  const text = fs.readFileSync(path, 'utf8');
  const config = defaultConfig();
  if (text.trim() === '' || /^\s*(#.*)?(\n\s*(#.*)?)*$/.test(text)) return { config, src: null, text };
  const src = parseYaml(path, text, problems);
  if (!src) return null;
  if (src.data === null || src.data === undefined) return { config, src: null, text };
  if (!validateSource('config', src, problems)) return null;
  const raw = src.data as Record<string, unknown>;
  if (raw.extends !== undefined)
    config.extends = Array.isArray(raw.extends) ? (raw.extends as string[]) : [raw.extends as string];
  if (raw.rules) {
    for (const [id, v] of Object.entries(raw.rules as Record<string, unknown>)) {
      const sev = typeof v === 'string' ? v : (v as { severity: string }).severity;
      config.rules[id] = sev as RuleOverride;
    }
  }
  if (raw.ignore) config.ignore = raw.ignore as string[];
  if (typeof raw.governingLaw === 'string') config.governingLaw = raw.governingLaw;
  if (raw.extensions)
    config.extensions = [
      ...new Set(
        (raw.extensions as string[]).map((e) => (e === 'markdown' ? 'md' : e === 'text' ? 'txt' : e)),
      ),
    ];
  if (raw.limits) config.limits = { ...config.limits, ...(raw.limits as Partial<ConfigLimits>) };
  return { config, src, text };
}

/** Loads, validates and compiles the config and its packs (synchronous). Throws PackError / ConfigError. */
export function resolveConfigSync(request: ConfigRequest = {}): ResolvedConfig {
  const cwd = process.cwd();
  const configPath = request.configPath
    ? resolve(cwd, request.configPath)
    : findConfig(request.searchFrom ?? cwd);
  const problems: PackProblem[] = [];
  let file: LoadedConfigFile | null = { config: defaultConfig(), src: null, text: '' };
  if (configPath) file = readConfigFile(configPath, problems);
  if (!file) throw new ConfigError(sortProblems(problems));
  const { config, src } = file;
  const root = configPath ? dirname(configPath) : resolve(request.root ?? cwd);

  const loader = new PackLoader();
  config.extends.forEach((ref, i) => {
    const site: RefSite = configPath
      ? {
          src,
          file: configPath,
          path: src
            ? Array.isArray((src.data as Record<string, unknown>).extends)
              ? ['extends', i]
              : ['extends']
            : null,
        }
      : { src: null, file: '(default configuration)', path: null };
    loader.load(ref, root, root, site);
  });
  if (loader.problems.length > 0 || problems.length > 0) {
    const all = sortProblems([...problems, ...loader.problems]);
    const inConfig = all.some((p) => p.file === configPath);
    throw inConfig ? new ConfigError(all) : new PackError(all);
  }
  const definition = loader.definition();

  // semantic checks of the config against the packs
  const ids = new Set(definition.rules.map((r) => r.id));
  for (const id of Object.keys(config.rules)) {
    if (!ids.has(id)) {
      problems.push(
        problemAt(
          src,
          configPath ?? '',
          ['rules', id],
          'UNKNOWN_RULE',
          `rule override \`${id}\`: no such rule in the loaded packs${suggestion(id, ids)}`,
          { key: true },
        ),
      );
    }
  }
  if (config.governingLaw) {
    const known = new Set([...Object.keys(US_STATES), ...Object.keys(definition.states)]);
    if (!known.has(config.governingLaw)) {
      problems.push(
        problemAt(
          src,
          configPath ?? '',
          ['governingLaw'],
          'UNKNOWN_STATE',
          `\`governingLaw\`: \`${config.governingLaw}\` is not a US state code${suggestion(config.governingLaw, known)}`,
        ),
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(sortProblems(problems));

  const compiled = compilePack(definition, { overrides: config.rules });
  const hash = createHash('sha256');
  hash.update(`contract-lint ${request.toolVersion ?? toolVersion()}\n`);
  hash.update(`config ${configPath ?? 'default'}\n${file.text}\n`);
  hash.update(`${JSON.stringify(config)}\n`);
  for (const f of [...loader.fileHashes.keys()].sort()) hash.update(`${f}\0${loader.fileHashes.get(f)}\n`);
  return {
    config,
    configPath,
    root,
    packs: compiled.packs,
    compiled,
    rules: compiled.info,
    hash: hash.digest('hex'),
    warnings: loader.warnings,
  };
}

/** Loads, validates and compiles the config and its packs. Throws PackError / ConfigError (exit 2). */
export async function resolveConfig(request: ConfigRequest = {}): Promise<ResolvedConfig> {
  return resolveConfigSync(request);
}

/** A commented starter config file (`contract-lint init`). */
export function initConfig(): string {
  return `# yaml-language-server: $schema=./node_modules/contract-lint/schemas/config.schema.json
#
# contract-lint configuration.
# contract-lint looks for this file (or .contract-lint.yaml) in the folder being scanned and in its
# parents, up to the folder that holds .git; \`contract-lint scan --config <file>\` names one explicitly.
# Every key is optional: a key left out keeps the default shown here.

# Rule packs to use, in order: a builtin pack (mso-dso), a path to a pack folder inside this project
# (./rules/our-playbook), or an installed npm package that ships a pack. Rule ids must be unique across
# the packs. Write your own pack with \`extends: [mso-dso]\` in its pack.yaml to build on the builtin one.
extends:
  - mso-dso

# Per-rule overrides: \`off\`, or a severity (error | warning | info), or { severity: … }.
# \`contract-lint rules\` lists the rule ids; \`contract-lint explain <id>\` says what a rule checks. E.g.:
#   fmv/no-fmv-basis: off
#   cpom-fees/percentage-of-revenue: error
#   work-back/term: { severity: info }
rules: {}

# Files and folders not to scan: glob patterns relative to this file.
ignore:
  - "**/drafts/**"
  - "**/~$*"

# The governing law (two-letter state code, e.g. NY) to assume for agreements that state none.
# null: such agreements are reviewed as "governing law not found" (state-dependent rules use their default).
governingLaw: null

# File types to scan.
extensions: [pdf, docx, txt, md]

# Limits per file. A file over a limit is reported as an error (with a code), never silently skipped.
limits:
  maxFileBytes: ${DEFAULT_LIMITS.maxFileBytes}   # 100 MB
  maxPages: ${DEFAULT_LIMITS.maxPages}              # PDF pages
  timeoutSeconds: ${DEFAULT_LIMITS.timeoutSeconds}          # per file
`;
}
