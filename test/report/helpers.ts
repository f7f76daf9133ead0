import { readFileSync } from 'node:fs';
import { DOMParser } from '@xmldom/xmldom';
import Ajv07 from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ScanReport } from '../../src/model.js';

const root = new URL('../../', import.meta.url);

function readJson(relative: string): object {
  return JSON.parse(readFileSync(new URL(relative, root), 'utf8')) as object;
}

/** Validate against the repo's JSON report schema (draft 2020-12); returns ajv's errors or []. */
export function validateReportJson(data: unknown): unknown[] {
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  const validate = ajv.compile(readJson('schemas/report.schema.json'));
  return validate(data) ? [] : (validate.errors ?? []);
}

/** Validate against the official OASIS SARIF 2.1.0 schema (draft-07) committed in test/data. */
export function validateSarif(data: unknown): unknown[] {
  // One of the schema's patterns is not valid under the `u` flag.
  const ajv = new Ajv07.default({ allErrors: true, strict: false, unicodeRegExp: false });
  const validate = ajv.compile(readJson('test/data/sarif-schema-2.1.0.json'));
  return validate(data) ? [] : (validate.errors ?? []);
}

/** Parse XML strictly: any warning or error from the parser fails. */
export function parseXml(xml: string): Document {
  const problems: string[] = [];
  const parser = new DOMParser({
    errorHandler: {
      warning: (m: string) => problems.push(`warning: ${m}`),
      error: (m: string) => problems.push(`error: ${m}`),
      fatalError: (m: string) => problems.push(`fatal: ${m}`),
    },
  });
  const doc = parser.parseFromString(xml, 'application/xml') as unknown as Document;
  if (problems.length > 0) throw new Error(`XML is not well-formed:\n${problems.join('\n')}`);
  return doc;
}

/**
 * Phrases that occur only in excerpts (runs of 12+ letters and spaces), to prove that --no-excerpts
 * leaves no clause text behind.
 */
export function excerptPhrases(report: ScanReport): string[] {
  const phrases = new Set<string>();
  for (const doc of report.documents) {
    for (const f of doc.findings) {
      if (!f.location) continue;
      for (const run of f.location.excerpt.match(/[A-Za-z][A-Za-z ]{11,}/g) ?? []) phrases.add(run.trim());
    }
  }
  return [...phrases];
}

export const ANSI = /\u001b\[/;
