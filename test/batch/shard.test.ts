/**
 * Sharding: `--shard k/n` partitions the file set exactly (union = all, no overlap), a file's shard does
 * not move when files are added elsewhere, and `merge` of the shard reports equals an unsharded scan.
 */
import { describe, expect, it } from 'vitest';
import { parseShard, selectShard, shardOf } from '../../src/batch/run.js';
import { UsageError } from '../../src/errors.js';
import { mergeReports, scan } from '../../src/index.js';
import { formatReport } from '../../src/report/index.js';
import { comparable, dealFolder } from './helpers.js';

const files = (names: string[]) => names.map((relative) => ({ absolute: `/deals/${relative}`, relative }));

describe('shards', () => {
  const names = Array.from(
    { length: 300 },
    (_, i) => `deal-${i % 17}/doc-${i}.${['pdf', 'docx', 'txt'][i % 3]}`,
  );

  it.each([1, 2, 3, 4, 7])('n = %i: every file is in exactly one shard', (n) => {
    const all = files(names);
    const shards = Array.from({ length: n }, (_, k) =>
      selectShard(all, `${k + 1}/${n}`).map((f) => f.relative),
    );
    const union = shards.flat();
    expect(union.length).toBe(names.length); // no overlap (a duplicate would make it longer)
    expect(new Set(union).size).toBe(names.length);
    expect([...union].sort()).toEqual([...names].sort()); // union = all
    if (n > 1) for (const shard of shards) expect(shard.length).toBeGreaterThan(names.length / n / 2); // roughly balanced
  });

  it('keeps a file in its shard when files are added elsewhere', () => {
    const before = new Map(names.map((n) => [n, shardOf(n, 4)]));
    const more = [...names, ...Array.from({ length: 100 }, (_, i) => `new/${i}.pdf`)];
    for (const name of more.slice(0, names.length)) expect(shardOf(name, 4)).toBe(before.get(name));
  });

  it('keeps discovery order within a shard', () => {
    const all = files([...names].sort());
    const shard = selectShard(all, '2/3').map((f) => f.relative);
    expect(shard).toEqual([...shard].sort());
  });

  it('rejects malformed shard specs', () => {
    for (const bad of ['0/2', '3/2', '1/0', 'a/b', '1', '1/2/3', ''])
      expect(() => parseShard(bad)).toThrow(UsageError);
    expect(parseShard(' 2/5 ')).toEqual({ index: 2, count: 5 });
  });

  it('merge of the JSON reports of 3 shards equals an unsharded scan', { timeout: 240_000 }, async () => {
    const { dir } = dealFolder(7, 'shard-merge');
    const whole = await scan([dir], { root: dir, jobs: 2 });
    const parts = [];
    for (const k of [1, 2, 3]) {
      const part = await scan([dir], { root: dir, jobs: 2, shard: `${k}/3` });
      parts.push(JSON.parse(formatReport('json', part, { color: false })));
    }
    expect(parts.map((p) => p.documents.length).reduce((a, b) => a + b, 0)).toBe(whole.documents.length);
    // shards given in any order
    const merged = mergeReports([parts[2], parts[0], parts[1]]);
    expect(comparable(merged)).toEqual(comparable(whole));
    // and it renders in any format
    expect(formatReport('sarif', merged, { color: false })).toContain('"version": "2.1.0"');
  });
});
