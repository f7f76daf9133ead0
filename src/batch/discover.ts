/**
 * Discovery: the documents under the paths a user named. Folders are walked recursively for the
 * configured extensions, hidden folders are skipped, `ignore` globs (config) and `.contractlintignore`
 * files are honoured (those of the folders between the root and a named folder too, as with .gitignore),
 * symlinks are followed but never in a loop, and the result is sorted so that every run, shard and report
 * lists files in the same order. A file named explicitly is always included.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export interface DiscoverOptions {
  /** Extensions without dots, lower case. */
  extensions: string[];
  /** Globs relative to `root` (gitignore-like). */
  ignore: string[];
  /** Paths in the report are relative to this folder. */
  root: string;
}

export interface DiscoveredFile {
  /** Absolute path. */
  absolute: string;
  /** Relative to the root, forward slashes. */
  relative: string;
}

export class MissingPathError extends Error {
  readonly path: string;
  constructor(path: string) {
    super(`${path} does not exist`);
    this.path = path;
  }
}

/** Compile a gitignore-style glob: `*`, `**`, `?`, `[abc]`; no slash = any depth; trailing `/` = folder. */
export function globToRegExp(glob: string): { regex: RegExp; directoryOnly: boolean; negated: boolean } {
  let pattern = glob.trim();
  const negated = pattern.startsWith('!');
  if (negated) pattern = pattern.slice(1);
  const directoryOnly = pattern.endsWith('/');
  if (directoryOnly) pattern = pattern.slice(0, -1);
  const anchored = pattern.startsWith('/') || pattern.includes('/');
  if (pattern.startsWith('/')) pattern = pattern.slice(1);
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        const slashAfter = pattern[i + 2] === '/';
        out += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else out += '[^/]*';
    } else if (ch === '?') out += '[^/]';
    else if (ch === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close > i) {
        out += `[${pattern
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = close;
      } else out += '\\[';
    } else out += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  const regex = new RegExp(anchored ? `^${out}(?:/.*)?$` : `(?:^|/)${out}(?:/.*)?$`);
  return { regex, directoryOnly, negated };
}

interface IgnoreRule {
  base: string;
  regex: RegExp;
  directoryOnly: boolean;
  negated: boolean;
}

function compileRules(base: string, globs: string[]): IgnoreRule[] {
  return globs
    .map((g) => g.trim())
    .filter((g) => g && !g.startsWith('#'))
    .map((g) => ({ base, ...globToRegExp(g) }));
}

function isIgnored(rules: IgnoreRule[], absolute: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const rule of rules) {
    const rel = relative(rule.base, absolute).split(sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    if (rule.directoryOnly && !isDirectory) {
      // "drafts/" ignores files inside drafts/ too.
      const parts = rel.split('/');
      const inside = parts.slice(0, -1).some((_, i) => rule.regex.test(parts.slice(0, i + 1).join('/')));
      if (inside) ignored = !rule.negated;
      continue;
    }
    if (rule.regex.test(rel)) ignored = !rule.negated;
  }
  return ignored;
}

async function ignoreFileRules(dir: string): Promise<IgnoreRule[]> {
  try {
    const content = await readFile(join(dir, '.contractlintignore'), 'utf8');
    return compileRules(dir, content.split(/\r?\n/));
  } catch {
    return [];
  }
}

/**
 * `.contractlintignore` files of the folders between the root and a folder named on the command line
 * (root included, the folder itself excluded: the walk reads its own), as git reads .gitignore files.
 */
async function ancestorRules(root: string, dir: string): Promise<IgnoreRule[]> {
  const rel = relative(root, dir);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return [];
  const rules: IgnoreRule[] = [];
  let current = root;
  for (const part of ['', ...rel.split(sep).slice(0, -1)]) {
    current = part ? join(current, part) : current;
    rules.push(...(await ignoreFileRules(current)));
  }
  return rules;
}

function toRelative(root: string, absolute: string): string {
  const rel = relative(root, absolute);
  return (rel && !rel.startsWith('..') ? rel : absolute).split(sep).join('/');
}

export async function discover(paths: string[], options: DiscoverOptions): Promise<DiscoveredFile[]> {
  const extensions = new Set(options.extensions.map((e) => e.toLowerCase().replace(/^\./, '')));
  const root = resolve(options.root);
  const baseRules = compileRules(root, options.ignore);
  const found = new Map<string, DiscoveredFile>();
  const visitedDirs = new Set<string>();

  const walk = async (dir: string, rules: IgnoreRule[]): Promise<void> => {
    let real: string;
    try {
      real = await realpath(dir);
    } catch {
      return;
    }
    if (visitedDirs.has(real)) return; // a symlink loop, or a folder reached twice
    visitedDirs.add(real);
    const local = [...rules, ...(await ignoreFileRules(dir))];
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folder: nothing we can list (files inside would be reported if named)
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const absolute = join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await stat(absolute);
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir) {
        if (!isIgnored(local, absolute, true)) await walk(absolute, local);
      } else if (isFile) {
        const ext = extname(entry.name).slice(1).toLowerCase();
        if (!extensions.has(ext) || isIgnored(local, absolute, false)) continue;
        found.set(absolute, { absolute, relative: toRelative(root, absolute) });
      }
    }
  };

  for (const input of paths) {
    const absolute = resolve(input);
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(absolute);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EACCES') {
        found.set(absolute, { absolute, relative: toRelative(root, absolute) });
        continue;
      }
      throw new MissingPathError(input);
    }
    if (info.isDirectory()) await walk(absolute, [...baseRules, ...(await ancestorRules(root, absolute))]);
    else found.set(absolute, { absolute, relative: toRelative(root, absolute) });
  }
  return [...found.values()].sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}
