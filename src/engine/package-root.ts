/** Locates the contract-lint package root (works from src/ under tsx and from dist/ when built). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: { root: string; version: string } | null = null;

function find(): { root: string; version: string } {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const json = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string; version?: string };
        if (json.name === 'contract-lint') {
          cached = { root: dir, version: json.version ?? '0.0.0' };
          return cached;
        }
      } catch {
        // not ours; keep looking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('contract-lint: cannot find the package root (package.json)');
    dir = parent;
  }
}

export function packageRoot(): string {
  return find().root;
}

export function toolVersion(): string {
  return find().version;
}

/** Folder of the builtin packs (`<package root>/rules`). */
export function builtinPacksDir(): string {
  return join(packageRoot(), 'rules');
}
