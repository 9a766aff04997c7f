import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { EOL, tmpdir } from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { phase } from './run.js';
import { maskSecret } from './secrets.js';
import { addTable, code, escapeHtml, writeSummary } from './summary.js';

/** The lines @actions/core writes to stdout while `task` runs. */
async function stdoutOf(task: () => Promise<unknown>): Promise<string[]> {
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await task().catch(() => undefined);
  } finally {
    vi.restoreAllMocks();
  }
  return written.join('').split(EOL).filter((line) => line !== '');
}

describe('escaping user text', () => {
  test.each([
    ['plain', 'backend', 'backend'],
    ['markup', '<img src=x onerror="alert(1)">', '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'],
    ['an ampersand first, so entities are not double-decoded', '&lt;', '&amp;lt;'],
    ['a quote', "it's", 'it&#39;s'],
  ])('escapeHtml: %s', (_case, text, expected) => {
    expect(escapeHtml(text)).toBe(expected);
  });
});

describe('the step summary file', () => {
  let directory: string;
  let summaryFile: string;
  const savedSummary = process.env.GITHUB_STEP_SUMMARY;
  // @actions/core caches the summary path on first use, so one file serves the whole suite.
  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'kit-summary-'));
    summaryFile = path.join(directory, 'summary.md');
    process.env.GITHUB_STEP_SUMMARY = summaryFile;
  });
  afterAll(() => {
    if (savedSummary === undefined) delete process.env.GITHUB_STEP_SUMMARY;
    else process.env.GITHUB_STEP_SUMMARY = savedSummary;
    rmSync(directory, { recursive: true, force: true });
  });
  beforeEach(() => {
    rmSync(summaryFile, { recursive: true, force: true });
    writeFileSync(summaryFile, '');
    core.summary.emptyBuffer();
  });
  afterEach(() => {
    core.summary.emptyBuffer();
  });

  test('addTable escapes headers and plain cells, and keeps trusted { html } cells', async () => {
    addTable(
      ['Filter <name>', 'Count'],
      [
        ['<img src=x onerror=alert(1)>', 3],
        [code('a&b'), true],
        [{ html: '<b>kept</b>' }, "it's"],
      ],
    );
    await writeSummary();
    expect(readFileSync(summaryFile, 'utf8')).toBe(
      '<table><tr><th>Filter &lt;name&gt;</th><th>Count</th></tr>' +
        '<tr><td>&lt;img src=x onerror=alert(1)&gt;</td><td>3</td></tr>' +
        '<tr><td><code>a&amp;b</code></td><td>true</td></tr>' +
        '<tr><td><b>kept</b></td><td>it&#39;s</td></tr></table>' +
        EOL,
    );
  });

  test('every registered secret is redacted from what is written, in any form (a server answer quoted in a cell)', async () => {
    await stdoutOf(async () => maskSecret('p@ss<word>'));
    addTable(['Answer'], [['denied for p@ss<word>'], [{ html: '<code>p@ss&lt;word&gt;</code>' }]]);
    await writeSummary();
    const written = readFileSync(summaryFile, 'utf8');
    expect(written).toContain('<td>denied for ***</td>');
    expect(written).toContain('<td><code>***</code></td>');
  });

  test('writing appends, as separate steps of one job do', async () => {
    writeFileSync(summaryFile, 'earlier step\n');
    core.summary.addRaw('this step');
    await writeSummary();
    expect(readFileSync(summaryFile, 'utf8')).toBe('earlier step\nthis step');
  });

  test('a summary that cannot be written is a warning, not a failure', async () => {
    // A directory where the file should be: the append fails (core checks access only once per process).
    rmSync(summaryFile);
    mkdirSync(summaryFile);
    core.summary.addRaw('lost');
    const lines = await stdoutOf(() => writeSummary());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^::warning::could not write the step summary: EISDIR: /);
  });
});

describe('phase', () => {
  test('wraps the task in one log group and returns its value', async () => {
    let value: number | undefined;
    const lines = await stdoutOf(async () => {
      value = await phase('Deploy backend', async () => {
        core.info('working');
        return 42;
      });
    });
    expect(value).toBe(42);
    expect(lines).toEqual(['::group::Deploy backend', 'working', '::endgroup::']);
  });

  test('closes the group when the task throws, and passes the error on', async () => {
    let failing: Promise<unknown> = Promise.resolve();
    const lines = await stdoutOf(() => {
      failing = phase('Deploy backend', async () => {
        throw new Error('boom');
      });
      return failing;
    });
    await expect(failing).rejects.toThrow('boom');
    expect(lines).toEqual(['::group::Deploy backend', '::endgroup::']);
  });
});

describe('addTable with empty cells', () => {
  test('closes every cell', () => {
    core.summary.emptyBuffer();
    addTable(['a', 'b'], [['', { html: '' }]]);
    const html = core.summary.stringify();
    core.summary.emptyBuffer();
    expect(html).toContain('<td>&nbsp;</td><td>&nbsp;</td>');
  });
});
