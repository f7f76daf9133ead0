/**
 * Confidentiality and integrity, end to end on the whole fixture folder (every input format):
 * - no network: the built CLI runs with a preload (no-network.mjs) that makes every socket, DNS, HTTP and
 *   fetch call throw and print NETWORK-ATTEMPT — in the main thread and in the review workers — through a
 *   scan to every output format (with and without --no-excerpts, --cache cold and warm), `parse`,
 *   `explain`, `rules` and `merge`;
 * - --no-excerpts: no run of eight words from any fixture agreement appears in any format's report (and,
 *   without the flag, the same check does find them: the check can fail);
 * - nothing changed: every file under fixtures/ hashes the same (content, size, mode, mtime) before and
 *   after those scans;
 * - reports are written atomically: a crash between writing the temporary file and renaming it leaves
 *   the previous report whole (or no report), and a failed rename leaves no temporary file behind.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';
import { CONTROLS, FIXTURES } from './generate.js';
import { hashTree, type TimedRun, timedCli } from './harness.js';

const NO_NETWORK = join(import.meta.dirname, 'no-network.mjs');
const CRASH = join(import.meta.dirname, 'crash-before-rename.mjs');
const FORMATS = ['json', 'sarif', 'html', 'junit', 'markdown', 'github', 'stylish'] as const;
const EXTENSION: Record<(typeof FORMATS)[number], string> = {
  json: 'json',
  sarif: 'sarif',
  html: 'html',
  junit: 'xml',
  markdown: 'md',
  github: 'txt',
  stylish: 'txt',
};
const RUN_BOUND_MS = 240_000;

let work: string;
let before: Map<string, string>;
const runs: Record<string, TimedRun> = {};

function outputArgs(dir: string): string[] {
  return FORMATS.flatMap((f) => ['-f', f, '-o', join(dir, `report-${f}.${EXTENSION[f]}`)]);
}

function offline(args: string[], cwd = REPO): Promise<TimedRun> {
  return timedCli(args, {
    nodeArgs: ['--import', NO_NETWORK],
    cwd,
    env: { CONTRACT_LINT_NO_NETWORK_VERBOSE: '1' },
    timeoutMs: RUN_BOUND_MS,
  });
}

function networkAttempts(run: TimedRun): string[] {
  return run.stderr.split('\n').filter((line) => line.startsWith('NETWORK-ATTEMPT'));
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'cl-offline-'));
  for (const d of ['full', 'no-excerpts', 'merged']) mkdirSync(join(work, d));
  before = hashTree(FIXTURES);
  const cache = ['--cache', '--cache-location', `${join(work, 'cache')}/`];
  // Cold cache, every format: the run that reads every fixture.
  runs.full = await offline(['scan', 'fixtures/', ...cache, ...outputArgs(join(work, 'full'))]);
  // Warm cache (results, excerpts included, come from the cache file), every format, --no-excerpts.
  runs.noExcerpts = await offline([
    'scan',
    'fixtures/',
    ...cache,
    '--no-excerpts',
    ...outputArgs(join(work, 'no-excerpts')),
  ]);
  const [parse, explain, rules, merge] = await Promise.all([
    offline(['parse', join('fixtures', 'dsa-dental-catskill-ny-pct-collections.pdf')]),
    offline(['explain', 'cpom-fees/percentage-of-revenue']),
    offline(['rules']),
    offline([
      'merge',
      join(work, 'full', 'report-json.json'),
      '-f',
      'html',
      '-o',
      join(work, 'merged', 'merged.html'),
    ]),
  ]);
  Object.assign(runs, { parse, explain, rules, merge });
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('confidentiality: no network, ever', () => {
  it('the preload blocks sockets, DNS, HTTP and fetch in the main thread and in worker threads', async () => {
    const probe = join(work, 'probe.mjs');
    const workerProbe = join(work, 'probe-worker.mjs');
    writeFileSync(
      workerProbe,
      `import dns, { lookup } from 'node:dns';
      for (const attempt of [() => lookup('example.com', () => {}), () => dns.resolve4('example.com', () => {})]) {
        try { attempt(); console.log('NOT BLOCKED'); } catch (e) { console.log(e.code); }
      }`,
    );
    writeFileSync(
      probe,
      `import { connect } from 'node:net';
      import { lookup, resolve4 } from 'node:dns/promises';
      import https from 'node:https';
      import tls from 'node:tls';
      import { Worker } from 'node:worker_threads';
      const tries = [
        () => connect(443, 'example.com'),
        () => lookup('example.com'),
        () => resolve4('example.com'),
        () => https.get('https://example.com/'),
        () => tls.connect(443, 'example.com'),
        () => fetch('https://example.com/'),
      ];
      for (const attempt of tries) {
        try { await attempt(); console.log('NOT BLOCKED'); } catch (e) { console.log(e.code); }
      }
      const worker = new Worker(${JSON.stringify(workerProbe)});
      await new Promise((resolve) => worker.on('exit', resolve));`,
    );
    const child = spawnSync(process.execPath, ['--import', NO_NETWORK, probe], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.stdout.trim().split('\n')).toEqual(Array(8).fill('ENETBLOCKED'));
    expect(child.stderr.match(/^NETWORK-ATTEMPT .*\(main\)$/gm)).toHaveLength(6);
    expect(
      child.stderr.match(/^NETWORK-ATTEMPT dns\.(lookup|resolve4) example\.com \(worker \d+\)$/gm),
    ).toHaveLength(2);
  });

  it('a scan of every fixture to every format, cold and warm cache, and parse / explain / rules / merge: no network use', () => {
    expect(runs.full?.code, runs.full?.stderr).toBe(1);
    expect(runs.noExcerpts?.code, runs.noExcerpts?.stderr).toBe(1);
    for (const name of ['parse', 'explain', 'rules']) expect(runs[name]?.code, name).toBe(0);
    expect(runs.merge?.code, runs.merge?.stderr).toBe(1); // the merged report has error-level findings
    for (const [name, run] of Object.entries(runs)) {
      expect(networkAttempts(run), name).toEqual([]);
      expect(run.stderr, name).toMatch(/^NO-NETWORK guard active \(main\)$/m);
    }
    // The cold scan reviewed in worker threads, and the guard was active in each of them.
    expect(runs.full?.stderr).toMatch(/^NO-NETWORK guard active \(worker \d+\)$/m);
    const report = JSON.parse(readFileSync(join(work, 'full', 'report-json.json'), 'utf8'));
    const formats = new Set(report.documents.map((d: { format: string }) => d.format));
    expect([...formats].sort()).toEqual(['docx', 'markdown', 'pdf', 'text']);
    expect(report.documents.every((d: { status: string }) => d.status === 'ok')).toBe(true);
  });
});

// ─── --no-excerpts ─────────────────────────────────────────────────────────────

const WORDS = /[\p{L}\p{N}$%§]+/gu;

function shingles(text: string, n = 8): Set<string> {
  const words = (text.toLowerCase().match(WORDS) ?? []) as string[];
  const out = new Set<string>();
  for (let i = 0; i + n <= words.length; i++) out.add(words.slice(i, i + n).join(' '));
  return out;
}

function decodeMarkup(text: string): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Every string in a JSON value. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

function reportText(dir: string, format: (typeof FORMATS)[number]): string {
  const raw = readFileSync(join(dir, `report-${format}.${EXTENSION[format]}`), 'utf8');
  if (format === 'json' || format === 'sarif') return strings(JSON.parse(raw)).join('\n');
  if (format === 'html' || format === 'junit') return decodeMarkup(raw);
  return raw;
}

/** Eight-word runs of the agreements' text (from the fixture sources every rendered format was made from). */
function agreementShingles(): Set<string> {
  const out = new Set<string>();
  const sources = join(FIXTURES, 'sources');
  for (const name of readdirSync(sources)) {
    if (!name.endsWith('.contract')) continue;
    const body = readFileSync(join(sources, name), 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '');
    for (const s of shingles(body.replace(/\*\*/g, ''))) out.add(s);
  }
  for (const name of readdirSync(FIXTURES)) {
    if (/\.(txt|md)$/.test(name))
      for (const s of shingles(readFileSync(join(FIXTURES, name), 'utf8'))) out.add(s);
  }
  return out;
}

describe('--no-excerpts keeps clause text out of every format', () => {
  let agreement: Set<string>;
  let allowed: Set<string>;

  beforeAll(() => {
    agreement = agreementShingles();
    // What a report says besides clause text: the rule catalogue (titles, rationale, fixes, sample language),
    // document titles and clause headings. Runs of words they share with an agreement are not leaks.
    const report = JSON.parse(readFileSync(join(work, 'no-excerpts', 'report-json.json'), 'utf8'));
    const metadata = [
      ...strings(report.rules),
      ...report.documents.flatMap(
        (d: { title?: string; findings: { location?: { heading?: string } }[] }) => [
          d.title ?? '',
          ...d.findings.map((f) => f.location?.heading ?? ''),
        ],
      ),
    ];
    allowed = new Set(metadata.flatMap((t) => [...shingles(t)]));
  });

  function leaks(dir: string, format: (typeof FORMATS)[number]): string[] {
    return [...shingles(reportText(dir, format))].filter((s) => agreement.has(s) && !allowed.has(s));
  }

  for (const format of FORMATS) {
    it(`${format}: no eight-word run of any agreement`, () => {
      expect(leaks(join(work, 'no-excerpts'), format)).toEqual([]);
    });
  }

  it('the check would catch excerpts: without --no-excerpts, each format carries agreement text', () => {
    for (const format of FORMATS) {
      expect(leaks(join(work, 'full'), format).length, format).toBeGreaterThan(0);
    }
  });

  it('the JSON and SARIF reports say that excerpts were left out', () => {
    const json = JSON.parse(readFileSync(join(work, 'no-excerpts', 'report-json.json'), 'utf8'));
    expect(json.excerpts).toBe(false);
    const findings = json.documents.flatMap((d: { findings: unknown[] }) => d.findings);
    expect(findings.length).toBeGreaterThan(50);
    for (const f of findings as { location: { excerpt?: string } | null; captures?: unknown }[]) {
      expect(f.location?.excerpt).toBeUndefined();
      expect(f.captures).toBeUndefined();
    }
  });
});

// ─── nothing lost or changed ─────────────────────────────────────────────────

describe('nothing lost or changed', { timeout: 120_000 }, () => {
  it('every input under fixtures/ hashes the same after the scans (cache cold and warm, every format)', () => {
    const after = hashTree(FIXTURES);
    expect(after.size).toBeGreaterThan(100);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
      (k) => before.get(k) !== after.get(k),
    );
    expect(changed).toEqual([]);
  });

  it('the output folders hold the reports and nothing half-written', () => {
    for (const dir of ['full', 'no-excerpts', 'merged']) {
      const files = readdirSync(join(work, dir));
      expect(
        files.filter((f) => f.endsWith('.tmp')),
        dir,
      ).toEqual([]);
    }
    expect(readdirSync(join(work, 'full')).sort()).toEqual(
      FORMATS.map((f) => `report-${f}.${EXTENSION[f]}`).sort(),
    );
    expect(readdirSync(join(work, 'cache')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a crash between writing the temporary file and the rename leaves the previous report whole', async () => {
    const dir = join(work, 'crash');
    mkdirSync(dir);
    const input = join(dir, CONTROLS.flagged);
    copyFileSync(join(FIXTURES, CONTROLS.flagged), input);
    const target = join(dir, 'review.json');
    copyFileSync(join(work, 'full', 'report-json.json'), target);
    const previous = readFileSync(target);
    const crash = (args: string[]) =>
      timedCli(args, {
        nodeArgs: ['--import', CRASH],
        cwd: dir,
        env: { CONTRACT_LINT_CRASH_ON: 'review.json' },
        timeoutMs: 60_000,
      });
    const run = await crash(['scan', CONTROLS.flagged, '-f', 'json', '-o', 'review.json']);
    expect(run.stderr).toMatch(/CRASHING after writing .*review\.json\.\d+\.[0-9a-f]+\.tmp/);
    expect(run.code).toBe(128); // killed
    expect(readFileSync(target).equals(previous)).toBe(true);
    // The temporary file was complete: the crash came after the write, before the rename.
    const temp = readdirSync(dir).find((f) => f.endsWith('.tmp')) as string;
    expect(JSON.parse(readFileSync(join(dir, temp), 'utf8')).documents).toHaveLength(1);
    // With no earlier report, a crash leaves no report at all (never a partial one).
    const fresh = await crash(['scan', CONTROLS.flagged, '-f', 'json', '-o', 'review.json.new']);
    expect(fresh.code).toBe(128);
    expect(existsSync(join(dir, 'review.json.new'))).toBe(false);
  });

  it('a report that cannot be renamed into place (a folder is in the way) leaves no temporary file', async () => {
    const dir = join(work, 'blocked');
    mkdirSync(join(dir, 'review.json', 'occupied'), { recursive: true });
    copyFileSync(join(FIXTURES, CONTROLS.flagged), join(dir, CONTROLS.flagged));
    const run = await timedCli(['scan', CONTROLS.flagged, '-f', 'json', '-o', 'review.json'], {
      cwd: dir,
      timeoutMs: 60_000,
    });
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBe(1);
    expect(readdirSync(dir).sort()).toEqual([CONTROLS.flagged, 'review.json'].sort());
    expect(readdirSync(join(dir, 'review.json'))).toEqual(['occupied']);
  });
});
