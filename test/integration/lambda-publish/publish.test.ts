import { utimesSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { GetFunctionCommand, UpdateAliasCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { runAction } from '../../src/index.js';
import { CODE_V2, aliasOf, createFunction, env, versionsOf, workspaceWith, zipOf } from './fixture.js';

const SHA = 'feedface00000000000000000000000000000001';

function touchAll(directory: string, when: Date): void {
  for (const entry of readdirSync(directory, { recursive: true, withFileTypes: false }) as string[]) utimesSync(path.join(directory, entry), when, when);
  utimesSync(directory, when, when);
}

describe.concurrent('lambda-publish: zip directory → version → alias', () => {
  it('publishes a zipped directory as a new version, moves the alias, and skips a re-run of the same files with other mtimes', async () => {
    const fixture = await createFunction('zipdir', { published: true });
    const { workspace, directory } = workspaceWith(CODE_V2);
    const first = await runAction('lambda-publish', { inputs: { 'function-name': fixture.name, 'zip-directory': directory }, env: env(), workspace, sha: SHA });
    expect(first.errors).toEqual([]);
    expect(first.exitCode).toBe(0);
    expect(first.outputs).toMatchObject({ version: '2', 'previous-version': '1', changed: 'true', 'rolled-back': 'false' });
    expect(first.outputs['alias-arn']).toMatch(new RegExp(`:function:${fixture.name}:live$`));
    const alias = await aliasOf(fixture);
    expect(alias.FunctionVersion).toBe('2');
    const published = await fixture.client.send(new GetFunctionCommand({ FunctionName: fixture.name, Qualifier: '2' }));
    expect(published.Configuration?.CodeSha256).toBe(first.outputs['code-sha256']);
    expect(published.Configuration?.Description).toBe(`${SHA} refs/heads/develop`);
    expect(JSON.parse(first.outputs.results as string)).toMatchObject({ [fixture.name]: { version: '2', 'previous-version': '1', outcome: 'published', changed: true } });
    expect(first.summary).toContain(fixture.name);
    expect(first.summary).toContain('1 → 2');
    expect(first.summary).toContain('published');

    // A fresh checkout: same files, every mtime different. Same package, nothing published.
    touchAll(path.join(workspace, directory), new Date(Date.now() + 86_400_000));
    const again = await runAction('lambda-publish', { inputs: { 'function-name': fixture.name, 'zip-directory': directory }, env: env(), workspace, sha: SHA.replace('1', '2') });
    expect(again.errors).toEqual([]);
    expect(again.outputs).toMatchObject({ version: '2', 'previous-version': '2', changed: 'false', 'code-sha256': first.outputs['code-sha256'] });
    expect(again.log).toContain('nothing to publish');
    expect(again.summary).toContain('unchanged');
    expect(await versionsOf(fixture)).toEqual(['1', '2']);

    // skip-unchanged false publishes anyway (Lambda itself may answer with the same version).
    const forced = await runAction('lambda-publish', { inputs: { 'function-name': fixture.name, 'zip-directory': directory, 'skip-unchanged': false, description: 'forced' }, env: env(), workspace });
    expect(forced.errors).toEqual([]);
    expect(forced.log).toMatch(/published version \d+/);
  });

  it('compares with the version the alias serves, not $LATEST: code equal to it is not uploaded even when $LATEST moved on', async () => {
    const fixture = await createFunction('latestmoved', { published: true });
    const { workspace, directory } = workspaceWith(CODE_V2);
    const deployed = await runAction('lambda-publish', { inputs: { 'function-name': fixture.name, 'zip-directory': directory }, env: env(), workspace });
    expect(deployed.outputs.version).toBe('2');
    // Someone changes $LATEST by hand without publishing.
    await fixture.client.send(new UpdateFunctionCodeCommand({ FunctionName: fixture.name, ZipFile: await zipOf({ 'index.js': 'hand-made' }) }));
    const again = await runAction('lambda-publish', { inputs: { 'function-name': fixture.name, 'zip-directory': directory }, env: env(), workspace });
    expect(again.errors).toEqual([]);
    expect(again.outputs).toMatchObject({ version: '2', changed: 'false' });
    expect(again.log).not.toContain('code updated');
  });

  it('skips unchanged code but clears a share an interrupted canary left routed to another version', async () => {
    const fixture = await createFunction('leftover', { published: true });
    const { workspace, directory } = workspaceWith(CODE_V2);
    const inputs = { 'function-name': fixture.name, 'zip-directory': directory };
    expect((await runAction('lambda-publish', { inputs, env: env(), workspace })).outputs.version).toBe('2');
    await fixture.client.send(new UpdateAliasCommand({ FunctionName: fixture.name, Name: 'live', FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: { '1': 0.3 } } }));
    const again = await runAction('lambda-publish', { inputs, env: env(), workspace });
    expect(again.errors).toEqual([]);
    expect(again.outputs).toMatchObject({ version: '2', 'previous-version': '2', changed: 'true' });
    const alias = await aliasOf(fixture);
    expect(alias.FunctionVersion).toBe('2');
    expect(alias.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
    expect(await versionsOf(fixture)).toEqual(['1', '2']);
  });

  it('creates the alias when it is missing, on the first published version', async () => {
    const fixture = await createFunction('newalias');
    const { workspace, directory } = workspaceWith(CODE_V2);
    const result = await runAction('lambda-publish', { inputs: { 'function-name': fixture.name, 'zip-directory': directory, alias: 'staging' }, env: env(), workspace });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ version: '1', 'previous-version': '', changed: 'true' });
    expect((await aliasOf(fixture, 'staging')).FunctionVersion).toBe('1');
    expect(statSync(path.join(workspace, directory)).isDirectory()).toBe(true);
  });

  it('publishes a configuration-only change, merging environment variables into those the function has, and masks their values', async () => {
    const fixture = await createFunction('config', { published: true, environment: { KEEP: 'kept', LOG_LEVEL: 'info' } });
    const { workspace, directory } = workspaceWith(CODE_V2);
    const inputs = { 'function-name': fixture.name, 'zip-directory': directory };
    const first = await runAction('lambda-publish', { inputs, env: env(), workspace });
    expect(first.outputs.version).toBe('2');
    const secret = 'pa55word-very-secret-1234';
    const second = await runAction('lambda-publish', {
      inputs: { ...inputs, environment: `LOG_LEVEL=debug\nDB_PASSWORD=${secret}`, memory: 256, timeout: '30s', handler: 'index.main' },
      env: env(),
      workspace,
    });
    expect(second.errors).toEqual([]);
    expect(second.outputs).toMatchObject({ version: '3', 'previous-version': '2', changed: 'true', 'code-sha256': first.outputs['code-sha256'] });
    expect(second.masks).toContain(secret);
    expect(second.summary).not.toContain(secret);
    expect(second.outputs.results).not.toContain(secret);
    const version = await fixture.client.send(new GetFunctionCommand({ FunctionName: fixture.name, Qualifier: '3' }));
    expect(version.Configuration?.Environment?.Variables).toEqual({ KEEP: 'kept', LOG_LEVEL: 'debug', DB_PASSWORD: secret });
    expect(version.Configuration).toMatchObject({ MemorySize: 256, Timeout: 30, Handler: 'index.main' });
    expect(second.log).toMatch(/configuration updated \(handler, memoryMb, timeoutSeconds, environment\)/);
    expect(second.log).not.toContain('UpdateFunctionCode');
    // The same configuration again: skipped.
    const third = await runAction('lambda-publish', { inputs: { ...inputs, environment: `LOG_LEVEL=debug\nDB_PASSWORD=${secret}`, memory: 256, timeout: 30, handler: 'index.main' }, env: env(), workspace });
    expect(third.outputs).toMatchObject({ version: '3', changed: 'false' });
  });
});
