/**
 * The smaller commands: parse, rules, explain, init, test-rules.
 */
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Chalk } from 'chalk';
import { initConfig, PackError, type ResolvedConfig, resolveConfig, runPackTests } from '../engine/index.js';
import { UsageError } from '../errors.js';
import { readDocument } from '../ingest/index.js';
import { ReadError, type RuleInfo } from '../model.js';
import { segment } from '../segment/index.js';
import { CliError, ExitCode, type ExitCodeValue } from './exit-codes.js';
import { type Streams, useColor, writeFileAtomic, writeOut } from './io.js';
import { contractToJson, formatContractText } from './parse.js';

export async function runParse(
  file: string,
  options: { format: 'text' | 'json'; color: boolean },
  streams: Streams,
): Promise<ExitCodeValue> {
  try {
    await access(file);
  } catch {
    throw new CliError(`${file}: no such file`, ExitCode.USAGE, 'check the path and try again');
  }
  let contract: ReturnType<typeof segment>;
  try {
    contract = segment(await readDocument(file));
  } catch (error) {
    if (error instanceof ReadError) {
      await writeOut(streams.stderr, `contract-lint: ${error.message} [${error.code}]\n`);
      return ExitCode.UNREADABLE;
    }
    throw error;
  }
  if (options.format === 'json') {
    await writeOut(streams.stdout, `${JSON.stringify(contractToJson(contract), null, 2)}\n`);
  } else {
    await writeOut(
      streams.stdout,
      formatContractText(contract, useColor(streams.stdout, streams.env, options.color)),
    );
  }
  return ExitCode.OK;
}

async function loadRules(configPath: string | undefined): Promise<ResolvedConfig> {
  try {
    return await resolveConfig({ configPath, searchFrom: process.cwd(), root: process.cwd() });
  } catch (error) {
    if (error instanceof PackError) throw new UsageError(error.message);
    throw error;
  }
}

export async function runRules(
  options: { config?: string; format: 'text' | 'json'; color: boolean },
  streams: Streams,
): Promise<ExitCodeValue> {
  const resolved = await loadRules(options.config);
  if (options.format === 'json') {
    await writeOut(
      streams.stdout,
      `${JSON.stringify({ packs: resolved.packs, rules: resolved.rules }, null, 2)}\n`,
    );
    return ExitCode.OK;
  }
  const c = new Chalk({ level: useColor(streams.stdout, streams.env, options.color) ? 1 : 0 });
  const lines: string[] = [];
  const packs = resolved.packs.map((p) => `${p.name}${p.version ? ` ${p.version}` : ''}`).join(', ');
  lines.push(
    `${c.bold('Rule packs:')} ${packs}${resolved.configPath ? c.dim(` (config: ${resolved.configPath})`) : ''}`,
  );
  let category = '';
  for (const rule of [...resolved.rules].sort(
    (a, b) => a.category.localeCompare(b.category) || a.id.localeCompare(b.id),
  )) {
    if (rule.category !== category) {
      category = rule.category;
      lines.push('', c.bold(category));
    }
    const sev = severityLabel(rule, c);
    lines.push(`  ${sev} ${rule.id.padEnd(46)} ${c.dim(rule.title)}`);
  }
  lines.push(
    '',
    c.dim(
      `${resolved.rules.length} rules. "contract-lint explain <rule>" shows why a rule exists and how to fix what it finds.`,
    ),
  );
  await writeOut(streams.stdout, `${lines.join('\n')}\n`);
  return ExitCode.OK;
}

function severityLabel(rule: RuleInfo, c: InstanceType<typeof Chalk>): string {
  const label = rule.severity.padEnd(7);
  return rule.severity === 'error'
    ? c.red(label)
    : rule.severity === 'warning'
      ? c.yellow(label)
      : c.blue(label);
}

export async function runExplain(
  ruleIds: string[],
  options: { config?: string; color: boolean },
  streams: Streams,
): Promise<ExitCodeValue> {
  const resolved = await loadRules(options.config);
  const rules = ruleIds.map((ruleId) => {
    const rule = resolved.rules.find((r) => r.id === ruleId);
    if (rule) return rule;
    const near = resolved.rules
      .filter((r) => r.id.startsWith(ruleId.split('/')[0] ?? '') || r.id.includes(ruleId))
      .map((r) => r.id);
    throw new CliError(
      `no rule "${ruleId}" in the active packs`,
      ExitCode.USAGE,
      near.length > 0
        ? `did you mean: ${near.slice(0, 6).join(', ')}?`
        : 'run "contract-lint rules" to list them',
    );
  });
  const c = new Chalk({ level: useColor(streams.stdout, streams.env, options.color) ? 1 : 0 });
  const section = (title: string, body: string) => `${c.bold(title)}\n${indent(body.trim())}\n`;
  const pages = rules.map((rule) =>
    [
      `${c.bold(rule.id)}  ${severityLabel(rule, c).trim()}  ${c.dim(`category ${rule.category} · pack ${rule.pack}`)}`,
      `${rule.title}`,
      `${c.dim(`Applies to: ${rule.appliesTo.join(', ')}`)}`,
      '',
      ...(rule.lookingFor ? [section('Looks for', rule.lookingFor)] : []),
      section('Why it matters', rule.rationale),
      section('References', rule.references.map((r) => `- ${r}`).join('\n')),
      section('How to fix', rule.fix),
      section('Sample language', rule.example),
    ].join('\n'),
  );
  await writeOut(streams.stdout, pages.join(`\n${c.dim('─'.repeat(60))}\n\n`));
  return ExitCode.OK;
}

/** Indent by two spaces and wrap prose to the terminal width (sample language keeps its own lines). */
function indent(text: string, width = 80): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (!line) {
      out.push(line);
      continue;
    }
    const words = line.split(/\s+/);
    let current = '';
    for (const word of words) {
      if (current && current.length + 1 + word.length > width - 2) {
        out.push(`  ${current}`);
        current = line.startsWith('- ') ? `  ${word}` : word;
      } else current = current ? `${current} ${word}` : word;
    }
    if (current) out.push(`  ${current}`);
  }
  return out.join('\n');
}

export const CONFIG_FILE = 'contract-lint.config.yaml';

export async function runInit(options: { force?: boolean }, streams: Streams): Promise<ExitCodeValue> {
  const target = resolve(CONFIG_FILE);
  let exists = true;
  try {
    await access(target);
  } catch {
    exists = false;
  }
  if (exists && !options.force) {
    throw new CliError(`${CONFIG_FILE} already exists`, ExitCode.USAGE, 'use --force to overwrite it');
  }
  await writeFileAtomic(target, initConfig());
  await writeOut(streams.stdout, `wrote ${CONFIG_FILE} — edit it, then run "contract-lint scan"\n`);
  return ExitCode.OK;
}

export async function runTestRules(
  pack: string,
  options: { color: boolean },
  streams: Streams,
): Promise<ExitCodeValue> {
  const c = new Chalk({ level: useColor(streams.stdout, streams.env, options.color) ? 1 : 0 });
  let outcome: Awaited<ReturnType<typeof runPackTests>>;
  try {
    outcome = await runPackTests(pack, { cwd: process.cwd() });
  } catch (error) {
    if (error instanceof PackError) throw new UsageError(error.message);
    throw error;
  }
  const lines: string[] = [];
  for (const rule of outcome.rules) {
    const mark = rule.failed === 0 ? c.green('✔') : c.red('✘');
    lines.push(
      `${mark} ${rule.ruleId} ${c.dim(`(${rule.passed} passed${rule.failed ? `, ${rule.failed} failed` : ''}${rule.todo ? `, ${rule.todo} known gap${rule.todo === 1 ? '' : 's'}` : ''})`)}`,
    );
    for (const failure of rule.failures)
      lines.push(`    ${c.red('✘')} ${failure.location}: ${failure.message}`);
  }
  for (const untested of outcome.untested ?? [])
    lines.push(`${c.yellow('•')} ${untested} ${c.dim('(no test cases)')}`);
  const gaps = outcome.todo
    ? `, ${outcome.todo} known gaps (todoruleid / todook cases the pack does not handle yet)`
    : '';
  lines.push('', `${outcome.passed} passed, ${outcome.failed} failed${gaps} in ${outcome.files} test files`);
  await writeOut(streams.stdout, `${lines.join('\n')}\n`);
  return outcome.failed > 0 ? ExitCode.FINDINGS : ExitCode.OK;
}
