/**
 * The HTML report, statically and in a real browser: Debian's Chromium driven by playwright-core.
 * A missing /usr/bin/chromium fails the suite (CI installs it); it is never skipped.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/report/html.js';
import { formatReport } from '../../src/report/index.js';
import { HOSTILE_HEADING, sampleReport } from './sample-report.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const html = formatReport('html', sampleReport({ startedAt: '2025-03-01T09:30:00.000Z' }), { color: false });

describe('html (static)', () => {
  it('is one self-contained document: no external resources, one inline script', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).not.toMatch(/<(link|img|iframe|object|embed|video|audio)\b|@import|url\(/i);
    expect(html).not.toMatch(/<[a-z][^>]*\s(src|srcset|poster)=/i);
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;/);
    expect(html).toContain('@media print');
  });

  it('escapes document text', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;',
    );
    expect(html).toContain(escapeHtml(HOSTILE_HEADING));
    expect(html).not.toContain('</script><img');
    expect(html).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
  });

  it('shows the tool version and the scan date', () => {
    expect(html).toContain('contract-lint 0.1.0');
    expect(html).toContain('<time datetime="2025-03-01T09:30:00.000Z">');
  });

  it('has no excerpt or <mark> with --no-excerpts', () => {
    const redacted = formatReport('html', { ...sampleReport(), excerpts: false }, { color: false });
    expect(redacted).not.toContain('<mark>');
    expect(redacted).not.toContain('class="excerpt"');
    expect(redacted).toContain('Clause text and excerpts are omitted');
  });
});

describe('html in Chromium', () => {
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];
  let fileUrl: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} not found: the HTML report test needs Debian's Chromium. Install it with \`apt-get install -y chromium\`.`,
      );
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'report.html');
    writeFileSync(file, html);
    fileUrl = pathToFileURL(file).href;
    profile = mkdtempSync(join(tmpdir(), 'contract-lint-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1200, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(err.message));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    context.on('request', (req) => {
      if (req.url() !== fileUrl) requests.push(req.url());
    });
    await page.goto(fileUrl, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('renders from disk without console errors, network requests or script injection', async () => {
    expect(await page.title()).toMatch(/^contract-lint report — 4 errors/);
    await expect.poll(() => page.locator('article.finding').count()).toBe(9);
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('article.finding h4').nth(4).textContent()).toContain(HOSTILE_HEADING);
  });

  it('links every non-empty matrix cell to that document’s findings of that category', async () => {
    const cells = await page.$$eval('table.matrix tbody td a', (links) =>
      links.map((a) => {
        const td = a.closest('td')!;
        const column = Array.from(td.parentElement!.children).indexOf(td);
        const header = td.closest('table')!.querySelectorAll('thead th')[column]!.textContent;
        const id = a.getAttribute('href')!.slice(1);
        const target = document.getElementById(id);
        const findings = target ? Array.from(target.querySelectorAll('article.finding')) : [];
        return {
          count: Number.parseInt(a.textContent ?? '', 10),
          header,
          exists: target !== null,
          row: td.parentElement!.querySelector('th a')!.getAttribute('href'),
          inDocument: target?.closest('section.document')?.id ?? null,
          categories: [...new Set(findings.map((f) => f.getAttribute('data-category')))],
          findings: findings.length,
          worst: td.className,
          severities: findings.map((f) => f.className),
        };
      }),
    );
    expect(cells.length).toBe(7); // 3 + 2 + 2 categories with findings
    for (const cell of cells) {
      expect(cell.exists).toBe(true);
      expect(`#${cell.inDocument}`).toBe(cell.row);
      expect(cell.categories).toEqual([cell.header]);
      expect(cell.findings).toBe(cell.count);
      const worst = cell.worst.replace('cell-', '');
      expect(cell.severities.some((c) => c.includes(`sev-${worst}`))).toBe(true);
    }
    expect(cells.reduce((n, c) => n + c.count, 0)).toBe(9);
    // Following a link scrolls to its target.
    await page.click('table.matrix tbody tr:first-child td a');
    expect(await page.evaluate(() => document.querySelector(':target')?.id)).toBe('d1-c1');
  });

  it('shows unreadable and skipped documents, highlights triggers, folds rule details', async () => {
    expect(await page.locator('#d4').textContent()).toContain('PDF_NO_TEXT');
    expect(await page.locator('#d5').textContent()).toContain('not reviewed');
    expect(await page.locator('article.finding mark').count()).toBe(7);
    expect(await page.locator('#d1-f2 mark').textContent()).toBe(
      'equal to thirty-five percent (35%) of Net Collections for each calendar month',
    );
    const details = page.locator('#d1-f2 details');
    expect(await details.getAttribute('open')).toBeNull();
    expect(await details.locator('blockquote.sample').isVisible()).toBe(false);
    await details.locator('summary').click();
    expect(await details.locator('blockquote.sample').isVisible()).toBe(true);
  });

  it('uses landmarks and table headers', async () => {
    // Landmarks come from the semantic elements; ask the browser's accessibility tree.
    expect(await page.getByRole('banner').count()).toBe(1);
    expect(await page.getByRole('main').count()).toBe(1);
    expect(await page.getByRole('contentinfo').count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Overview' }).count()).toBe(1);
    expect(await page.getByRole('article').count()).toBe(9);
    expect(await page.getByRole('table', { name: /Findings by document and category/ }).count()).toBe(1);
    expect(await page.locator('table.matrix thead th[scope=col]').count()).toBe(2 + 5 + 1);
    expect(await page.locator('table.matrix tbody th[scope=row]').count()).toBe(5);
  });

  it('prints the folded sections', async () => {
    await page.emulateMedia({ media: 'print' });
    const visible = await page.locator('#d2-f1 details blockquote.sample').boundingBox();
    await page.emulateMedia({ media: 'screen' });
    expect(visible?.height ?? 0).toBeGreaterThan(0);
  });

  it('saves a screenshot to test-artifacts/report.png', async () => {
    const path = join(ARTIFACTS, 'report.png');
    await page.screenshot({ path, fullPage: true });
    expect(existsSync(path)).toBe(true);
  });
});
