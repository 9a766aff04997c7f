/**
 * Self-tests of the harness: what it parses, what it hands a step, and what it
 * refuses. Runs go through the probe fixture action, bundled as a real one.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { buildFixtureAction } from '../../fixtures/build.js';
import { actionDirectory, actionNode, evaluateDefault, findMaskLeaks, parseFileCommands, REPO_ROOT, runAction } from '../../src/index.js';

let probe: string;
beforeAll(async () => {
  probe = await buildFixtureAction('probe-action');
});

describe('parseFileCommands', () => {
  test.each([
    ['name=value lines', 'a=1\nb=two words\n', { a: '1', b: 'two words' }],
    ['the first = splits', 'url=postgres://h/db?x=1', { url: 'postgres://h/db?x=1' }],
    ['an empty value', 'empty=\n', { empty: '' }],
    ['a heredoc', 'notes<<EOF\nline 1\nline 2\nEOF\n', { notes: 'line 1\nline 2' }],
    ['a heredoc keeps blank lines, = and << inside', 'body<<END\nx=1\n\ny<<z\nEND\n', { body: 'x=1\n\ny<<z' }],
    ['an empty heredoc', 'empty<<EOF\nEOF\n', { empty: '' }],
    ['= before << is a plain value', 'expr=a<<b\n', { expr: 'a<<b' }],
    ['<< before = is a heredoc whose delimiter holds =', 'k<<d=1\nv\nd=1\n', { k: 'v' }],
    ['blank lines between commands are skipped', '\na=1\n\nb=2\n\n', { a: '1', b: '2' }],
    ['a later value wins', 'a=1\na=2\n', { a: '2' }],
    ['mixed', 'a=1\nm<<ghadelimiter_1\nx\ny\nghadelimiter_1\nb=2\n', { a: '1', m: 'x\ny', b: '2' }],
  ])('%s', (_case, text, expected) => {
    expect(parseFileCommands(text)).toEqual(expected);
  });

  test.each([
    ['an unterminated heredoc', 'notes<<EOF\nline\n', 'unterminated heredoc for "notes" (delimiter EOF)'],
    ['a line with neither = nor <<', 'just text\n', 'malformed file command line: just text'],
    ['a line with an empty name', '=value\n', 'malformed file command line: =value'],
  ])('rejects %s', (_case, text, message) => {
    expect(() => parseFileCommands(text)).toThrow(message);
  });

  describe('reads what @actions/core writes', () => {
    let directory: string;
    beforeEach(() => {
      directory = mkdtempSync(path.join(tmpdir(), 'harness-files-'));
      process.env.GITHUB_OUTPUT = path.join(directory, 'output');
      writeFileSync(process.env.GITHUB_OUTPUT, '');
    });
    afterEach(() => rmSync(directory, { recursive: true, force: true }));

    test.each([
      ['one line', 'staging'],
      ['several lines', 'first\nsecond=2\n\nlast'],
      ['a value that looks like a delimiter', 'EOF\nghadelimiter_x'],
      ['JSON', JSON.stringify({ targets: ['backend', 'frontend'], note: 'a<<b' })],
      ['empty', ''],
    ])('%s', (_case, value) => {
      core.setOutput('result', value);
      core.setOutput('after', 'still parsed');
      expect(parseFileCommands(readFileSync(process.env.GITHUB_OUTPUT as string, 'utf8'))).toEqual({ result: value, after: 'still parsed' });
    });
  });
});

describe('findMaskLeaks', () => {
  test.each([
    ['a masked value printed elsewhere', 'start\nusing hunter2x here\n', ['hunter2x'], 1],
    ['only in its own ::add-mask:: line', '::add-mask::hunter2x\nall fine\n', ['hunter2x'], 0],
    ['each line that shows it', 'a hunter2x\nb hunter2x\n', ['hunter2x'], 2],
    ['a blank mask is ignored', 'anything\n', ['', '  '], 0],
    ['a leak in an annotation counts', '::error::failed with hunter2x\n', ['hunter2x'], 1],
  ])('%s', (_case, log, masks, leaks) => {
    const found = findMaskLeaks(log, masks);
    expect(found).toHaveLength(leaks);
    for (const leak of found) expect(leak).not.toContain('hunter2x"');
  });
});

describe('evaluateDefault', () => {
  const github = { token: 'ghs_test', repository: 'acme/monorepo', run_id: '4242' };

  test.each([
    ['no expression', 'plain', 'plain'],
    ['github.token', '${{ github.token }}', 'ghs_test'],
    ['without spaces', '${{github.repository}}', 'acme/monorepo'],
    ['inside text, twice', 'run-${{ github.run_id }}-${{ github.run_id }}', 'run-4242-4242'],
  ])('%s', (_case, value, expected) => {
    expect(evaluateDefault(value, github)).toBe(expected);
  });

  test.each([
    ['another context', '${{ secrets.TOKEN }}', 'the harness cannot evaluate the default expression ${{ secrets.TOKEN }}'],
    ['an unknown github field', '${{ github.head_ref }}', 'the harness cannot evaluate the default expression ${{ github.head_ref }}'],
    ['a function call with braces inside', "${{ format('{0}', github.sha) }}", "the harness cannot evaluate the default expression ${{ format('{0}', github.sha) }}"],
    ['an unclosed expression', 'x-${{ github.sha', 'the harness cannot evaluate the default x-${{ github.sha'],
  ])('rejects %s rather than passing it literally', (_case, value, message) => {
    expect(() => evaluateDefault(value, github)).toThrow(message);
  });
});

describe('action directories', () => {
  test.each([
    ['a name under actions/', 'detect-changes', path.join(REPO_ROOT, 'actions', 'detect-changes')],
    ['an absolute path as given', '/tmp/some/fixture', '/tmp/some/fixture'],
  ])('%s', (_case, action, expected) => {
    expect(actionDirectory(action)).toBe(expected);
  });

  test.each([
    ['ACTION_NODE set', '/opt/node24/bin/node', '/opt/node24/bin/node'],
    ['ACTION_NODE unset', undefined, process.execPath],
  ])('the Node binary with %s', (_case, value, expected) => {
    if (value === undefined) delete process.env.ACTION_NODE;
    else process.env.ACTION_NODE = value;
    expect(actionNode()).toBe(expected);
  });
});

describe.concurrent('runs of the probe fixture', () => {
  test('inputs: action.yml defaults applied, names with spaces, outputs as heredocs, env, path, summary', async () => {
    const result = await runAction(probe, { inputs: { scenario: 'succeed', 'optional note': 'with a space' }, runPost: false });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({ greeting: 'hello from action.yml', note: 'with a space', multiline: 'first line\nsecond=line\n\nlast line' });
    expect(result.exportedEnv).toEqual({ PROBE_EXPORTED: 'exported by main' });
    expect(result.paths).toEqual(['/opt/probe-action/bin']);
    expect(result.summary).toContain('<tr><th>Target</th><th>Note</th></tr><tr><td>&lt;backend&gt;</td><td>a &amp; b</td></tr>');
  });

  test.each([
    ['given', { greeting: 'hi' }, 'hi', '(none)'],
    ['given as a number', { greeting: 42 }, '42', '(none)'],
    ['undefined takes the default', { greeting: undefined }, 'hello from action.yml', '(none)'],
  ])('an input %s', async (_case, inputs, greeting, note) => {
    const result = await runAction(probe, { inputs: { scenario: 'succeed', ...inputs }, runPost: false });
    expect(result.outputs.greeting).toBe(greeting);
    expect(result.outputs.note).toBe(note);
  });

  test('an input the action does not declare is rejected before anything runs', async () => {
    await expect(runAction(probe, { inputs: { scenario: 'succeed', colour: 'blue' } })).rejects.toThrow(
      'action "probe-action" has no input "colour" (inputs: scenario, greeting, optional note, secret, repository)',
    );
  });

  test('annotations: level, message and properties, unescaped as the runner does', async () => {
    const result = await runAction(probe, { inputs: { scenario: 'succeed' }, runPost: false });
    expect(result.annotations).toEqual([
      { level: 'warning', message: 'a warning, with: punctuation', properties: { title: 'Check, this', file: 'deploy/app%3A.yml', line: '3' } },
      { level: 'notice', message: 'a notice', properties: {} },
    ]);
    expect(result.warnings).toEqual(['a warning, with: punctuation']);
    expect(result.errors).toEqual([]);
  });

  test('a value registered with ::add-mask:: and then printed fails the run', async () => {
    await expect(runAction(probe, { inputs: { scenario: 'leak-secret', secret: 'hunter2-secret-value' } })).rejects.toThrow(
      /^a masked value leaked into the log of probe-action-[0-9a-f]+:\nmasked value "hunt…" appears in: connecting with hunter2-secret-value$/,
    );
  });

  test('allowMaskLeaks lets a test look at the leak itself', async () => {
    const result = await runAction(probe, { inputs: { scenario: 'leak-secret', secret: 'hunter2-secret-value' }, allowMaskLeaks: true, runPost: false });
    expect(result.masks).toEqual(['hunter2-secret-value']);
    expect(result.log).toContain('connecting with hunter2-secret-value');
  });

  test('a URL masked with maskUrl and printed redacted does not leak', async () => {
    const url = 'postgres://suite:suite-Pa55%3Aword%40x@127.0.0.1:5432/app';
    const result = await runAction(probe, { inputs: { scenario: 'mask-url', secret: url }, runPost: false });
    expect(result.exitCode).toBe(0);
    // The password raw and decoded (each in its other printed forms too), and the Basic value a client derives from the user info.
    expect(result.masks).toEqual(expect.arrayContaining(['suite-Pa55%3Aword%40x', 'suite-Pa55:word@x', Buffer.from('suite:suite-Pa55:word@x').toString('base64')]));
    expect(result.log).toContain('connecting to postgres://suite:***@127.0.0.1:5432/app');
  });

  test('a step that outlives timeoutMs is killed', async () => {
    const result = await runAction(probe, { inputs: { scenario: 'hang' }, timeoutMs: 1_500, runPost: false });
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBe('SIGKILL');
    expect(result.durationMs).toBeGreaterThanOrEqual(1_500);
  });

});

// These change process.env, which every run reads when it spawns: one at a time.
describe('runs that depend on the host environment', () => {
  test('an ACTION_NODE that does not exist fails naming the variable and how to install Node 24', async () => {
    process.env.ACTION_NODE = '/nonexistent/node24/bin/node';
    await expect(runAction(probe, { inputs: { scenario: 'runner-env' }, runPost: false })).rejects.toThrow(
      /^the harness cannot start the action's Node \(ACTION_NODE=\/nonexistent\/node24\/bin\/node\): spawn \/nonexistent\/node24\/bin\/node ENOENT\. Point ACTION_NODE at a Node 24 binary/,
    );
  });

  test('the runner environment: file commands, event, workspace as cwd, nothing stray from the host', async () => {
    process.env.INPUT_STRAY = 'from the host';
    process.env.GITHUB_TOKEN_FROM_HOST = 'host value';
    const workspace = mkdtempSync(path.join(tmpdir(), 'harness-workspace-'));
    try {
      const result = await runAction(probe, {
        inputs: { scenario: 'runner-env' },
        eventName: 'workflow_dispatch',
        event: { inputs: { target: 'backend' } },
        sha: 'a'.repeat(40),
        ref: 'refs/heads/main',
        workspace,
        env: { EXTRA: 'yes', GITHUB_RUN_ID: '99' },
        runPost: false,
      });
      const { cwd, variables } = JSON.parse(result.outputs['runner-env'] ?? '{}') as { cwd: string; variables: Record<string, string> };
      expect(cwd).toBe(workspace);
      expect(variables).toMatchObject({
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: 'workflow_dispatch',
        GITHUB_SHA: 'a'.repeat(40),
        GITHUB_REF: 'refs/heads/main',
        GITHUB_REPOSITORY: 'acme/monorepo',
        GITHUB_WORKSPACE: workspace,
        GITHUB_RUN_ID: '99',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_API_URL: 'https://api.github.com',
        INPUT_SCENARIO: 'runner-env',
        INPUT_GREETING: 'hello from action.yml',
        INPUT_OPTIONAL_NOTE: '',
        INPUT_REPOSITORY: 'acme/monorepo',
      });
      for (const name of ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY', 'GITHUB_PATH', 'GITHUB_EVENT_PATH', 'RUNNER_TEMP']) {
        expect(variables[name], name).toMatch(/^\//);
      }
      expect(JSON.parse(readFileSync(variables.GITHUB_EVENT_PATH as string, 'utf8'))).toEqual({ inputs: { target: 'backend' } });
      expect(variables).not.toHaveProperty('INPUT_STRAY');
      expect(variables).not.toHaveProperty('GITHUB_TOKEN_FROM_HOST');
      expect(variables).not.toHaveProperty('RUNNER_DEBUG');
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  test('ACTION_NODE chooses the binary that runs the bundle', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'harness-node-'));
    const wrapper = path.join(directory, 'node');
    writeFileSync(wrapper, `#!/bin/sh\necho "wrapped node"\nexec "${process.execPath}" "$@"\n`);
    chmodSync(wrapper, 0o755);
    process.env.ACTION_NODE = wrapper;
    try {
      const result = await runAction(probe, { inputs: { scenario: 'succeed' }, runPost: false });
      expect(result.log.split('\n')[0]).toBe('wrapped node');
      expect(result.exitCode).toBe(0);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('test/src/restore-env.ts (the setup file of every project)', () => {
  // Runs in order: the second test sees what the first one left behind (and fails if the first did not run).
  const pathBefore = process.env.PATH;
  let changed = false;
  test('a test may set and delete variables', () => {
    expect(process.env.RESTORE_ENV_PROBE).toBeUndefined();
    process.env.RESTORE_ENV_PROBE = 'leaked';
    delete process.env.PATH;
    expect(process.env.PATH).toBeUndefined();
    changed = process.env.RESTORE_ENV_PROBE === 'leaked';
  });
  test('the next test gets the environment back as it was', () => {
    expect(changed).toBe(true);
    expect(process.env.RESTORE_ENV_PROBE).toBeUndefined();
    expect(process.env.PATH).toBe(pathBefore);
  });
});
