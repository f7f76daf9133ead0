import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover, globToRegExp, MissingPathError } from '../../src/batch/discover.js';
import { tempDir, writeTree } from './helpers.js';

const EXTENSIONS = ['pdf', 'docx', 'txt', 'md'];

function tree(): string {
  const dir = tempDir('discover');
  writeTree(dir, {
    'b.docx': 'x',
    'a.pdf': 'x',
    'UPPER.PDF': 'x',
    'c.txt': 'x',
    'd.md': 'x',
    'notes.rtf': 'x',
    '.hidden/secret.txt': 'x',
    '.dotfile.txt': 'x',
    'drafts/draft.txt': 'x',
    'deals/acme/msa.pdf': 'x',
    'deals/acme/old/msa-v1.pdf': 'x',
    'deals/acme/skip.md': 'x',
    'deals/acme/keep.md': 'x',
    'deals/acme/.contractlintignore': '# comments and blank lines are fine\n\nold/\n*.md\n!keep.md\n',
    'deals/zeta/z.txt': 'x',
    'deals/zeta/tmp-1.txt': 'x',
    '.contractlintignore': 'deals/zeta/tmp-*.txt\n',
  });
  return dir;
}

const paths = (files: { relative: string }[]) => files.map((f) => f.relative);

describe('discover', () => {
  it('walks folders for the configured extensions, skips hidden folders and honours ignore globs and files', async () => {
    const dir = tree();
    const files = await discover([dir], { extensions: EXTENSIONS, ignore: ['drafts/'], root: dir });
    expect(paths(files)).toEqual([
      'UPPER.PDF',
      'a.pdf',
      'b.docx',
      'c.txt',
      'd.md',
      'deals/acme/keep.md',
      'deals/acme/msa.pdf',
      'deals/zeta/z.txt',
    ]);
    expect(files.every((f) => f.absolute.startsWith(dir))).toBe(true);
  });

  it('is deterministic: the same sorted list on every run, whatever order the paths are named in', async () => {
    const dir = tree();
    const options = { extensions: EXTENSIONS, ignore: [], root: dir };
    const first = await discover([dir], options);
    const second = await discover([join(dir, 'deals'), dir], options);
    expect(paths(second)).toEqual(paths(first));
    const sorted = [...paths(first)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(paths(first)).toEqual(sorted);
  });

  it('always includes files named explicitly (ignored, hidden, or another extension)', async () => {
    const dir = tree();
    const named = ['drafts/draft.txt', '.hidden/secret.txt', 'notes.rtf', 'deals/acme/skip.md'].map((p) =>
      join(dir, p),
    );
    const files = await discover(named, { extensions: EXTENSIONS, ignore: ['drafts/'], root: dir });
    expect(paths(files)).toEqual([
      '.hidden/secret.txt',
      'deals/acme/skip.md',
      'drafts/draft.txt',
      'notes.rtf',
    ]);
  });

  it('applies .contractlintignore files of the folders above a named folder (as git does)', async () => {
    const dir = tree();
    const files = await discover([join(dir, 'deals', 'zeta')], {
      extensions: EXTENSIONS,
      ignore: [],
      root: dir,
    });
    expect(paths(files)).toEqual(['deals/zeta/z.txt']);
  });

  it('follows symlinks but never loops, and lists a folder reached twice once', async () => {
    const dir = tempDir('loop');
    writeTree(dir, { 'deal/msa.txt': 'x', 'deal/inner/apa.txt': 'x' });
    symlinkSync(dir, join(dir, 'deal', 'inner', 'back-to-top'), 'dir'); // a loop
    symlinkSync(join(dir, 'deal'), join(dir, 'deal', 'inner', 'again'), 'dir'); // another loop
    symlinkSync(join(dir, 'nowhere'), join(dir, 'deal', 'dangling'), 'dir');
    mkdirSync(join(dir, 'other'));
    symlinkSync(join(dir, 'deal', 'msa.txt'), join(dir, 'other', 'linked.txt'), 'file');
    const files = await discover([dir], { extensions: EXTENSIONS, ignore: [], root: dir });
    expect(paths(files)).toEqual(['deal/inner/apa.txt', 'deal/msa.txt', 'other/linked.txt']);
  });

  it('names a missing path', async () => {
    const dir = tempDir('missing');
    await expect(
      discover([join(dir, 'nope')], { extensions: EXTENSIONS, ignore: [], root: dir }),
    ).rejects.toBeInstanceOf(MissingPathError);
  });

  it('gives paths outside the root as absolute paths', async () => {
    const root = tempDir('root');
    const elsewhere = tempDir('elsewhere');
    writeTree(elsewhere, { 'x.txt': 'x' });
    const files = await discover([elsewhere], { extensions: EXTENSIONS, ignore: [], root });
    expect(paths(files)).toEqual([join(elsewhere, 'x.txt').split('\\').join('/')]);
  });
});

describe('globToRegExp (gitignore-like)', () => {
  it.each([
    ['*.pdf', 'a/b/c.pdf', true],
    ['*.pdf', 'a/b/c.docx', false],
    ['/top.pdf', 'top.pdf', true],
    ['/top.pdf', 'sub/top.pdf', false],
    ['deals/**/draft-*.docx', 'deals/acme/2024/draft-3.docx', true],
    ['deals/**/draft-*.docx', 'deals/draft-3.docx', true],
    ['old', 'x/old/y.pdf', true],
    ['v?.pdf', 'v1.pdf', true],
    ['v[0-4].pdf', 'v7.pdf', false],
  ])('%s matches %s: %s', (glob, path, expected) => {
    expect(globToRegExp(glob).regex.test(path)).toBe(expected);
  });
});
