/**
 * The command line: a thin layer over the public API (src/index.ts). It is the only module that reads
 * argv, talks to terminals and decides the exit code; it never calls process.exit (bin/ sets exitCode).
 */
import { Command, CommanderError, Option } from 'commander';
import { UsageError } from '../errors.js';
import { VERSION } from '../version.js';
import { CliError, ExitCode, type ExitCodeValue } from './exit-codes.js';
import { processStreams, type Streams, writeOut } from './io.js';

const FORMATS = ['stylish', 'json', 'sarif', 'junit', 'github', 'markdown', 'html'];

const DESCRIPTION = `Review healthcare MSO/DSO deal documents — management services, practice acquisition and
physician/dentist employment agreements (PDF, DOCX, TXT, MD) — for clinical-autonomy, fee-splitting,
fair-market-value, patient-record and work-back traps. Runs fully offline.`;

const EXIT_HELP = `
Exit codes:
  0  nothing at or above --fail-on (default: error)
  1  findings at or above --fail-on, or more warnings than --max-warnings
  2  could not run as asked (bad flag, config or rule pack; path not found)
  3  one or more documents could not be read (the others are still reported)
  When several apply: 2, then 3, then 1.`;

const SCAN_EXAMPLES = `
Examples:
  $ contract-lint scan deals/acme/                       review a folder (recursively)
  $ contract-lint msa.pdf employment.docx                 "scan" is the default command
  $ contract-lint scan templates/ --format sarif --output results.sarif
  $ contract-lint scan deals/ -f html -o review.html -f stylish
  $ contract-lint scan templates/ --fail-on warning --baseline main-report.json`;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Build the program; `run` receives parsed commands. Exposed for tests of the help text. */
export function buildProgram(streams: Streams, setCode: (code: ExitCodeValue) => void): Command {
  const program = new Command();
  program
    .name('contract-lint')
    .description(DESCRIPTION)
    .version(VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run "contract-lint --help" for usage)')
    .configureOutput({
      writeOut: (text) => streams.stdout.write(text),
      writeErr: (text) => streams.stderr.write(text),
    })
    .exitOverride()
    .addHelpText('after', EXIT_HELP);

  program
    .command('scan', { isDefault: true })
    .description('review documents (files and folders) and report findings')
    .argument('[paths...]', 'files or folders to review (default: the current folder)')
    .option(
      '-c, --config <file>',
      'config file (default: contract-lint.config.yaml, found upward from the first path)',
    )
    .addOption(
      new Option('-f, --format <name>', `output format, repeatable: ${FORMATS.join(', ')} (default: stylish)`)
        .argParser(collect)
        .default(undefined),
    )
    .addOption(
      new Option(
        '-o, --output <file>',
        'write the report to a file (pairs with the formats in order, or FORMAT=FILE)',
      )
        .argParser(collect)
        .default(undefined),
    )
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity that fails the run')
        .choices(['error', 'warning', 'info', 'none'])
        .default('error'),
    )
    .option('--max-warnings <n>', 'fail when there are more than n warnings', (v) =>
      parseCount(v, '--max-warnings'),
    )
    .option('-q, --quiet', 'report errors only; no progress on stderr')
    .option('--no-color', 'no colours, even on a terminal (NO_COLOR is honoured too)')
    .option(
      '--no-excerpts',
      'leave clause text and excerpts out of every format (for reports that leave the firm)',
    )
    .option('--baseline <report.json>', 'report only findings that are not in this earlier JSON report')
    .option(
      '--governing-law <state>',
      'governing law for documents that state none (two-letter code, e.g. NY)',
    )
    .option('-j, --jobs <n>', 'parallel workers (default: number of CPU cores)', (v) =>
      parseCount(v, '--jobs', 1),
    )
    .option('--timeout <seconds>', 'time limit per document (default: 60)', (v) =>
      parseCount(v, '--timeout', 1),
    )
    .option('--cache', 'reuse results for unchanged documents (content hash, tool version, packs and config)')
    .option('--cache-location <path>', 'cache file or folder (default: .contractlintcache)')
    .option('--shard <k/n>', 'review only shard k of n (for CI matrices; combine with "merge")')
    .option('--annotate <dir>', 'write reviewed copies with findings as Word comments / PDF notes into <dir>')
    .option('--force', 'with --annotate: overwrite existing reviewed copies')
    .addHelpText('after', SCAN_EXAMPLES)
    .action(async (paths: string[], options: Record<string, unknown>) => {
      const { runScan } = await import('./scan.js');
      setCode(await runScan(paths, options, streams));
    });

  program
    .command('parse')
    .description('show how a document was read: kind, governing law, parties, defined terms, clause tree')
    .argument('<file>', 'the document (PDF, DOCX, TXT or MD)')
    .addOption(new Option('-f, --format <name>', 'output format').choices(['text', 'json']).default('text'))
    .option('--no-color', 'no colours')
    .action(async (file: string, options: { format: 'text' | 'json'; color: boolean }) => {
      const { runParse } = await import('./commands.js');
      setCode(await runParse(file, options, streams));
    });

  program
    .command('rules')
    .description('list the rules of the active rule pack(s)')
    .option('-c, --config <file>', 'config file (default: found upward from the current folder)')
    .addOption(new Option('-f, --format <name>', 'output format').choices(['text', 'json']).default('text'))
    .option('--no-color', 'no colours')
    .action(async (options: { config?: string; format: 'text' | 'json'; color: boolean }) => {
      const { runRules } = await import('./commands.js');
      setCode(await runRules(options, streams));
    });

  program
    .command('explain')
    .description('why a rule exists: rationale, references, how to fix, sample language')
    .argument('<ruleIds...>', 'one or more rule ids, e.g. cpom-fees/percentage-of-revenue')
    .option('-c, --config <file>', 'config file (default: found upward from the current folder)')
    .option('--no-color', 'no colours')
    .action(async (ruleIds: string[], options: { config?: string; color: boolean }) => {
      const { runExplain } = await import('./commands.js');
      setCode(await runExplain(ruleIds, options, streams));
    });

  program
    .command('init')
    .description('write a commented starter config file (contract-lint.config.yaml)')
    .option('--force', 'overwrite an existing config file')
    .action(async (options: { force?: boolean }) => {
      const { runInit } = await import('./commands.js');
      setCode(await runInit(options, streams));
    });

  program
    .command('test-rules')
    .description("run a rule pack's own test cases (<pack>/tests/*.txt) and report pass/fail per rule")
    .argument('[pack]', 'pack folder or built-in pack name', 'mso-dso')
    .option('--no-color', 'no colours')
    .action(async (pack: string, options: { color: boolean }) => {
      const { runTestRules } = await import('./commands.js');
      setCode(await runTestRules(pack, options, streams));
    });

  program
    .command('merge')
    .description('combine JSON reports (e.g. from --shard runs) into one report in any format')
    .argument('<reports...>', 'JSON reports written by "scan --format json"')
    .addOption(
      new Option('-f, --format <name>', 'output format, repeatable').argParser(collect).default(undefined),
    )
    .addOption(
      new Option('-o, --output <file>', 'write to a file (pairs with the formats in order)')
        .argParser(collect)
        .default(undefined),
    )
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity that fails the run')
        .choices(['error', 'warning', 'info', 'none'])
        .default('error'),
    )
    .option('--max-warnings <n>', 'fail when there are more than n warnings', (v) =>
      parseCount(v, '--max-warnings'),
    )
    .option('--no-color', 'no colours')
    .action(async (reports: string[], options: Record<string, unknown>) => {
      const { runMerge } = await import('./scan.js');
      setCode(await runMerge(reports, options, streams));
    });

  return program;
}

function parseCount(value: string, flag: string, min = 0): number {
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new CliError(
      `${flag} must be a whole number${min > 0 ? ` of at least ${min}` : ''}, not "${value}"`,
    );
  }
  return Number(value);
}

/** Run the CLI with `argv` (process.argv shape) and return the exit code. */
export async function main(argv: string[], streams: Streams = processStreams()): Promise<number> {
  let code: ExitCodeValue = ExitCode.OK;
  const program = buildProgram(streams, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not failures; commander already printed its one-line error and the hint.
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      ) {
        return ExitCode.OK;
      }
      return ExitCode.USAGE;
    }
    if (error instanceof UsageError) {
      await writeOut(
        streams.stderr,
        `contract-lint: ${error.message}\n${error.hint ? `${error.hint}\n` : ''}`,
      );
      return error instanceof CliError ? error.code : ExitCode.USAGE;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    await writeOut(
      streams.stderr,
      `contract-lint: internal error — this is a bug; please report it with the command you ran.\n${message}\n`,
    );
    return ExitCode.USAGE;
  }
}
