/**
 * What patches/@actions__core@3.0.1.patch promises, checked on the installed
 * (patched) package: outputs keep unguessable delimiters without node:crypto,
 * and neither crypto nor @actions/exec and @actions/io load with @actions/core.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';

const kitDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Runs an ES module script in a fresh Node beside the kit (so `@actions/core` is the kit's). */
function runScript(script: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: kitDirectory, encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('the @actions/core patch', () => {
  let directory: string | undefined;
  afterEach(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });

  test('each output gets its own random v4 UUID delimiter, and the values read back', () => {
    directory = mkdtempSync(path.join(tmpdir(), 'kit-core-patch-'));
    const outputFile = path.join(directory, 'output');
    writeFileSync(outputFile, '');
    runScript(`import * as core from '@actions/core'; core.setOutput('first', 'one'); core.setOutput('second', 'two\\nlines');`, { GITHUB_OUTPUT: outputFile });
    const lines = readFileSync(outputFile, 'utf8').split('\n');
    const delimiters = lines.filter((line) => line.includes('<<')).map((line) => line.slice(line.indexOf('<<') + 2));
    expect(delimiters).toHaveLength(2);
    for (const delimiter of delimiters) expect(delimiter.replace(/^ghadelimiter_/, '')).toMatch(UUID_V4);
    expect(new Set(delimiters).size).toBe(2);
    expect(lines).toEqual(['first<<' + delimiters[0], 'one', delimiters[0], 'second<<' + delimiters[1], 'two', 'lines', delimiters[1], '']);
  });

  test('setting an output loads neither node:crypto nor the exec and io packages', () => {
    directory = mkdtempSync(path.join(tmpdir(), 'kit-core-patch-'));
    const outputFile = path.join(directory, 'output');
    writeFileSync(outputFile, '');
    const loaded = runScript(
      `import * as core from '@actions/core'; core.setOutput('name', 'value'); process.stdout.write(JSON.stringify(process.moduleLoadList));`,
      { GITHUB_OUTPUT: outputFile },
    );
    const modules = JSON.parse(loaded) as string[];
    expect(modules).not.toContain('NativeModule crypto');
    expect(modules).not.toContain('NativeModule assert');
    expect(Object.keys(JSON.parse(runScript(`import * as core from '@actions/core'; process.stdout.write(JSON.stringify(core));`)))).not.toContain('platform');
  });
});
