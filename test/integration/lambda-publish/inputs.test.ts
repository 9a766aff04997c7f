import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction, startFaultProxy, startHttpServer, type FaultProxy } from '../../src/index.js';
import { CODE_V2, MUTATIONS, aliasOf, createFunction, env, lambdaOperation, versionsOf, workspaceWith, type FunctionFixture } from './fixture.js';

/**
 * Every bad input fails with one line naming the input, exit 1, before any
 * update: the proxy sees no mutating call and the function keeps its one version.
 */
describe('lambda-publish: bad input is one clear error before any update', () => {
  let fixture: FunctionFixture;
  let image: FunctionFixture;
  let proxy: FaultProxy;
  let workspace: string;
  beforeAll(async () => {
    [fixture, image] = await Promise.all([
      createFunction('bad-input', { published: true }),
      createFunction('bad-image', { published: true, image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1' }),
    ]);
    proxy = await startFaultProxy((await import('../../src/index.js')).services().motoUrl);
    ({ workspace } = workspaceWith(CODE_V2));
    writeFileSync(path.join(workspace, 'not-a-zip.zip'), 'hello');
    const outside = path.join(tmpdir(), `lambda-publish-outside-${process.pid}`);
    mkdirSync(outside, { recursive: true });
    writeFileSync(path.join(outside, 'secret.txt'), 'outside');
    mkdirSync(path.join(workspace, 'linked'), { recursive: true });
    writeFileSync(path.join(workspace, 'linked', 'index.js'), 'x');
    symlinkSync(path.join(outside, 'secret.txt'), path.join(workspace, 'linked', 'escape.txt'));
    // 7 directories of 20 files, each linking to the 6 others: 273,980 paths to files, more than a zip holds.
    for (let d = 0; d < 7; d++) {
      mkdirSync(path.join(workspace, 'siblings', `d${d}`), { recursive: true });
      for (let f = 0; f < 20; f++) writeFileSync(path.join(workspace, 'siblings', `d${d}`, `f${f}.js`), 'x');
      for (let e = 0; e < 7; e++) if (e !== d) symlinkSync(`../d${e}`, path.join(workspace, 'siblings', `d${d}`, `to-d${e}`));
    }
    symlinkSync(outside, path.join(workspace, 'outside-dir'));
  });
  afterAll(async () => {
    await proxy?.close();
  });

  const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:2';
  const cases: [string, () => Record<string, string>, RegExp][] = [
    ['no code source', () => ({ 'function-name': fixture.name }), /function ".*" needs exactly one code source: .*; none was given/],
    ['two code sources', () => ({ 'function-name': fixture.name, 'zip-directory': 'app', 'image-uri': IMAGE }), /exactly one code source.*got "zip-directory" and "image-uri"/],
    ['a missing directory', () => ({ 'function-name': fixture.name, 'zip-directory': 'nope' }), /input "zip-directory": no directory "nope"/],
    ['a directory outside the workspace', () => ({ 'function-name': fixture.name, 'zip-directory': '../..' }), /input "zip-directory" must be a path inside the workspace/],
    ['a directory through a symlink out', () => ({ 'function-name': fixture.name, 'zip-directory': 'outside-dir' }), /input "zip-directory" must stay inside the workspace .* symlink/],
    ['a symlink inside the directory pointing out', () => ({ 'function-name': fixture.name, 'zip-directory': 'linked' }), /input "zip-directory": "escape.txt" is a symlink to .*, outside the directory being zipped/],
    ['a file that is not a zip', () => ({ 'function-name': fixture.name, 'zip-file': 'not-a-zip.zip' }), /input "zip-file": "not-a-zip.zip" is not a zip file/],
    ['an unknown function', () => ({ 'function-name': 'no-such-function-here', 'zip-directory': 'app' }), /input "function-name": no Lambda function "no-such-function-here"/],
    ['a bad weight', () => ({ 'function-name': fixture.name, 'zip-directory': 'app', canary: '150%' }), /input "canary" must be a percentage above 0% and below 100%, such as 10%, got "150%"/],
    ['a bad duration', () => ({ 'function-name': fixture.name, 'zip-directory': 'app', canary: '10%', 'canary-interval': 'soon' }), /input "canary-interval" must be a duration/],
    ['an alias Lambda refuses', () => ({ 'function-name': fixture.name, 'zip-directory': 'app', alias: '42' }), /input "alias" must be a Lambda alias name/],
    ['a runtime with an image', () => ({ 'function-name': image.name, 'image-uri': IMAGE, runtime: 'nodejs22.x' }), /input "runtime" cannot be given with "image-uri"/],
    ['a zip for an image function', () => ({ 'function-name': image.name, 'zip-directory': 'app' }), /is a container image function: give "image-uri"/],
    ['an image for a zip function', () => ({ 'function-name': fixture.name, 'image-uri': IMAGE }), /is a zip function; Lambda cannot switch it/],
    ['an unknown alarm', () => ({ 'function-name': fixture.name, 'zip-directory': 'app', canary: '10%', alarms: 'no-such-alarm' }), /input "alarms": no CloudWatch alarm named "no-such-alarm"/],
    ['a version that does not exist', () => ({ 'function-name': fixture.name, version: '99' }), /input "version": function ".*" has no version 99/],
    ['a version with configuration', () => ({ 'function-name': fixture.name, version: '1', memory: '256' }), /input "memory" cannot be given with "version"/],
    ['a missing S3 object', () => ({ 'function-name': fixture.name, 's3-bucket': 'no-such-bucket-lp', 's3-key': 'code.zip' }), /input "s3-key": no object s3:\/\/no-such-bucket-lp\/code.zip/],
    ['a memory out of range', () => ({ 'function-name': fixture.name, 'zip-directory': 'app', memory: '64' }), /input "memory" must be an integer from 128 to 10240/],
    ['a function timeout out of range', () => ({ 'function-name': fixture.name, 'zip-directory': 'app', timeout: '16m' }), /input "timeout" must be whole seconds from 1 to 900/],
    ['a bad rollback mode', () => ({ 'function-name': fixture.name, 'zip-directory': 'app', rollback: 'sometimes' }), /input "rollback" must be one of "on-failure", "never"/],
    ['a functions entry with an unknown key', () => ({ functions: `- function-name: ${fixture.name}\n  zip-directory: app\n  colour: blue` }), /functions\[.*\] has an unknown key "colour"/],
    ['functions and function-name together', () => ({ 'function-name': fixture.name, functions: `- function-name: ${fixture.name}` }), /give "function-name" for one function or "functions" for several, not both/],
    ['a bad entry among good ones', () => ({ functions: `- function-name: ${fixture.name}\n  zip-directory: app\n- function-name: ${image.name}\n  image-uri: ${IMAGE}\n  handler: x.y` }), /input "functions\[.*\]\.handler" cannot be given with/],
  ];

  it.concurrent.each(cases)('%s', async (_title, inputs, expected) => {
    const before = proxy.log.length;
    const result = await runAction('lambda-publish', { inputs: inputs(), env: env(proxy.url), workspace });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^lambda-publish: /);
    expect(result.errors[0]).toMatch(expected);
    expect(result.errors[0]).not.toContain('unexpected error');
    expect(result.log).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    const mutations = proxy.log.slice(before).map(lambdaOperation).filter((operation) => MUTATIONS.includes(operation));
    expect(mutations).toEqual([]);
  });

  // Against an AWS endpoint that only counts: a path mistake is found before any request (whose failure would hide it).
  const pathCases: [string, () => Record<string, string>, RegExp][] = [
    ['a missing directory', () => ({ 'function-name': 'f', 'zip-directory': 'nope' }), /input "zip-directory": no directory "nope"/],
    ['a directory outside the workspace', () => ({ 'function-name': 'f', 'zip-directory': '../..' }), /input "zip-directory" must be a path inside the workspace/],
    ['a zip-file through a symlink out', () => ({ 'function-name': 'f', 'zip-file': 'outside-dir/secret.txt' }), /input "zip-file" must stay inside the workspace .* symlink/],
    ['a symlink inside the directory pointing out', () => ({ 'function-name': 'f', 'zip-directory': 'linked' }), /input "zip-directory": "escape.txt" is a symlink to .*, outside the directory being zipped/],
    ['a file that is not a zip', () => ({ 'function-name': 'f', 'zip-file': 'not-a-zip.zip' }), /input "zip-file": "not-a-zip.zip" is not a zip file/],
    ['directories linking to each other, multiplying past what a zip holds', () => ({ 'function-name': 'f', 'zip-directory': 'siblings' }), /^lambda-publish: input "zip-directory": more than 65535 files, more than a zip without zip64 can hold; symlinks to directories are followed/],
    ['a symlink out in the second of two functions', () => ({ functions: '- {function-name: f1, zip-directory: app}\n- {function-name: f2, zip-directory: linked}' }), /input "functions\[f2\]\.zip-directory": "escape.txt" is a symlink/],
  ];
  it.each(pathCases)('%s: fails before any AWS request', async (_title, inputs, expected) => {
    const aws = await startHttpServer((_request, response) => {
      response.statusCode = 500;
      response.end('{}');
    });
    try {
      const result = await runAction('lambda-publish', { inputs: inputs(), env: env(aws.url), workspace });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([expect.stringMatching(expected)]);
      expect(aws.requests.map((request) => `${request.method} ${request.url}`)).toEqual([]);
    } finally {
      await aws.close();
    }
  });

  it('left every function as it was', async () => {
    expect(await versionsOf(fixture)).toEqual(['1']);
    expect((await aliasOf(fixture)).FunctionVersion).toBe('1');
  });
});
