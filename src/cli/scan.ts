/**
 * `contract-lint scan` and `contract-lint merge`: options → the public scan API → formatted reports on
 * stdout or in files → exit code.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import ora, { type Ora } from 'ora';
import { batchSummaryText } from '../batch/summary.js';
import { type AnnotationOutcome, annotationSummary, mergeReports, type ScanOptions, scan } from '../index.js';
import type { ScanReport, Severity } from '../model.js';
import { SEVERITY_RANK } from '../model.js';
import { applyBaseline } from '../report/baseline.js';
import { FORMATS, formatReport, summarize } from '../report/index.js';
import { CliError, combineExitCodes, ExitCode, type ExitCodeValue } from './exit-codes.js';
import { type Streams, useColor, writeFileAtomic, writeOut } from './io.js';

export interface OutputTarget {
  format: string;
  /** File path, or null for stdout. */
  file: string | null;
}

/**
 * Pair `--format` and `--output`: `--output FORMAT=FILE` names its format; plain files pair with the
 * formats in the order given; formats left without a file go to stdout (at most one may).
 */
export function planOutputs(formats: string[] | undefined, outputs: string[] | undefined): OutputTarget[] {
  const known = Object.keys(FORMATS);
  const explicit: OutputTarget[] = [];
  const plainFiles: string[] = [];
  for (const output of outputs ?? []) {
    const m = /^([a-z]+)=(.+)$/.exec(output);
    if (m && known.includes(m[1] ?? '')) explicit.push({ format: m[1] as string, file: m[2] as string });
    else plainFiles.push(output);
  }
  const requested = formats ?? (explicit.length > 0 && plainFiles.length === 0 ? [] : ['stylish']);
  for (const format of requested) {
    if (!known.includes(format)) {
      throw new CliError(`unknown format "${format}"; choose one of: ${known.join(', ')}`);
    }
  }
  const remaining = requested.filter((f) => !explicit.some((e) => e.format === f));
  if (plainFiles.length > remaining.length) {
    throw new CliError(
      `${plainFiles.length} output files for ${remaining.length} format(s): give one --format per --output, or use --output FORMAT=FILE`,
    );
  }
  const targets = [...explicit, ...remaining.map((format, i) => ({ format, file: plainFiles[i] ?? null }))];
  const toStdout = targets.filter((t) => t.file === null);
  if (toStdout.length > 1) {
    throw new CliError(
      `only one format can go to stdout, but ${toStdout.map((t) => t.format).join(' and ')} have no --output file`,
    );
  }
  return targets;
}

export function failThreshold(value: unknown): Severity | 'none' {
  const v = String(value ?? 'error');
  if (v === 'none' || v === 'error' || v === 'warning' || v === 'info') return v;
  throw new CliError(`--fail-on must be error, warning, info or none, not "${v}"`);
}

/** The exit code a report earns (see README "Exit codes"). */
export function exitCodeFor(
  report: ScanReport,
  failOn: Severity | 'none',
  maxWarnings: number | undefined,
): ExitCodeValue {
  const unreadable = report.documents.some((d) => d.status === 'error');
  const findings = report.documents.flatMap((d) => d.findings);
  const failing =
    failOn !== 'none' && findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn as Severity]);
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const tooManyWarnings = maxWarnings !== undefined && warnings > maxWarnings;
  return combineExitCodes(
    unreadable ? ExitCode.UNREADABLE : ExitCode.OK,
    failing || tooManyWarnings ? ExitCode.FINDINGS : ExitCode.OK,
  );
}

/** --quiet shows error-severity findings only; the exit code is still computed from every finding. */
function errorsOnly(report: ScanReport): ScanReport {
  const documents = report.documents.map((d) => ({
    ...d,
    findings: d.findings.filter((f) => f.severity === 'error'),
  }));
  return { ...report, documents, summary: summarize(documents) };
}

async function writeReports(
  report: ScanReport,
  targets: OutputTarget[],
  streams: Streams,
  colorFlag: boolean | undefined,
): Promise<void> {
  for (const target of targets) {
    const color = target.file === null && useColor(streams.stdout, streams.env, colorFlag);
    const text = formatReport(target.format, report, {
      color,
      columns: target.file === null ? (streams.stdout.columns ?? 80) : 80,
      cwd: process.cwd(),
    });
    if (target.file === null) await writeOut(streams.stdout, text);
    else await writeFileAtomic(resolve(target.file), text);
  }
}

function progress(streams: Streams, quiet: boolean): { spinner: Ora | null; stop: () => void } {
  // Progress is for people at a terminal: stderr only, never when quiet or when stderr is redirected.
  if (quiet || !streams.stderr.isTTY) return { spinner: null, stop: () => {} };
  const color = useColor(streams.stderr, streams.env, undefined);
  const spinner = ora({
    stream: streams.stderr,
    isEnabled: true,
    color: color ? 'cyan' : false,
    discardStdin: false,
  });
  return { spinner, stop: () => spinner.stop() };
}

export async function runScan(
  paths: string[],
  options: Record<string, unknown>,
  streams: Streams,
): Promise<ExitCodeValue> {
  const targets = planOutputs(options.format as string[] | undefined, options.output as string[] | undefined);
  const failOn = failThreshold(options.failOn);
  const quiet = Boolean(options.quiet);
  const { spinner, stop } = progress(streams, quiet);
  const colorFlag = options.color as boolean | undefined;
  let baseline: unknown;
  if (typeof options.baseline === 'string') {
    try {
      baseline = JSON.parse(await readFile(options.baseline, 'utf8'));
    } catch (error) {
      throw new CliError(`--baseline ${options.baseline}: ${(error as Error).message}`);
    }
  }
  const annotations: AnnotationOutcome[] = [];
  const scanOptions: ScanOptions = {
    ...(typeof options.config === 'string' ? { config: options.config } : {}),
    excerpts: options.excerpts !== false,
    ...(typeof options.governingLaw === 'string' ? { governingLaw: options.governingLaw } : {}),
    ...(typeof options.jobs === 'number' ? { jobs: options.jobs } : {}),
    ...(typeof options.timeout === 'number' ? { timeoutSeconds: options.timeout } : {}),
    ...(options.cache ? { cache: true } : {}),
    ...(typeof options.cacheLocation === 'string' ? { cacheLocation: options.cacheLocation } : {}),
    ...(typeof options.shard === 'string' ? { shard: options.shard } : {}),
    ...(typeof options.annotate === 'string'
      ? {
          annotate: {
            dir: options.annotate,
            force: Boolean(options.force),
            onFile: (outcome: AnnotationOutcome) => annotations.push(outcome),
          },
        }
      : {}),
    onProgress: spinner
      ? (p) => {
          spinner.text = `${p.done}/${p.total} documents${p.errors ? `, ${p.errors} unreadable` : ''}${p.current ? ` — ${p.current}` : ''}`;
          if (!spinner.isSpinning) spinner.start();
        }
      : undefined,
  };
  let report: ScanReport;
  try {
    report = await scan(paths.length > 0 ? paths : ['.'], scanOptions);
  } finally {
    stop();
  }
  if (baseline !== undefined) {
    try {
      report = applyBaseline(report, baseline).report;
    } catch (error) {
      throw new CliError(`--baseline ${String(options.baseline)}: ${(error as Error).message}`);
    }
  }
  const code = exitCodeFor(report, failOn, options.maxWarnings as number | undefined);
  await writeReports(quiet ? errorsOnly(report) : report, targets, streams, colorFlag);
  // --annotate: what was written and what was skipped, on stderr (with --quiet, only what went wrong).
  const shown = quiet
    ? annotations.filter((a) => a.status === 'failed' || a.status === 'changed')
    : annotations;
  await writeOut(streams.stderr, annotationSummary(shown, { dir: String(options.annotate ?? '') }));
  // At a terminal, a summary on stderr — unless the report itself is going to that terminal.
  const reportOnTerminal = targets.some((t) => t.file === null) && Boolean(streams.stdout.isTTY);
  if (!quiet && streams.stderr.isTTY && !reportOnTerminal) {
    const wrote = targets.flatMap((t) => (t.file === null ? [] : [t.file]));
    const color = useColor(streams.stderr, streams.env, colorFlag);
    await writeOut(streams.stderr, batchSummaryText(report, { color, wrote }));
  }
  return code;
}

export async function runMerge(
  files: string[],
  options: Record<string, unknown>,
  streams: Streams,
): Promise<ExitCodeValue> {
  const targets = planOutputs(options.format as string[] | undefined, options.output as string[] | undefined);
  const failOn = failThreshold(options.failOn);
  const reports: unknown[] = [];
  for (const file of files) {
    try {
      reports.push(JSON.parse(await readFile(file, 'utf8')));
    } catch (error) {
      throw new CliError(`${file}: not a readable JSON report (${(error as Error).message})`);
    }
  }
  let merged: ScanReport;
  try {
    merged = mergeReports(reports);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const code = exitCodeFor(merged, failOn, options.maxWarnings as number | undefined);
  await writeReports(merged, targets, streams, options.color as boolean | undefined);
  return code;
}
