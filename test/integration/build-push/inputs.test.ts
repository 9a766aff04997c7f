import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPush, failureOf, makeWorkspace, newSha } from './fixtures.js';

// Nothing listens here: a run that reached the registry (or built) would fail differently.
const NOWHERE = '127.0.0.1:9';

const cases: [string, Record<string, string>, RegExp][] = [
  ['a Dockerfile that does not exist', { dockerfile: 'app/Nope.Dockerfile' }, /input "dockerfile": no file "app\/Nope.Dockerfile"/],
  ['a context outside the workspace', { context: '..' }, /input "context" must be a path inside the workspace/],
  ['a context that leads out through a symlink', { context: 'escape' }, /input "context" must stay inside the workspace/],
  ['a tag the registry grammar refuses', { tags: 'v1\nbad tag!' }, /input "tags": "bad tag!" is not a valid image tag/],
  ['a version that is no tag', { version: '-1' }, /input "version": "-1" is not a valid image tag/],
  ['an unknown builder', { builder: 'docker' }, /input "builder" must be one of "auto", "buildah", got "docker"/],
  ['a repository with a tag', { repository: 'team/api:v1' }, /input "repository" must be a repository such as team\/api .*give tags in "tags"/],
  ['a repository in capitals', { repository: 'Team/API' }, /input "repository" must be a repository .*lowercase/],
  ['a registry that is not one', { registry: 'not a registry' }, /input "registry" must be a registry host/],
  ['a repository on another registry than "registry"', { repository: 'ghcr.io/acme/api' }, /input "repository" of image "api" names the registry ghcr.io, but "registry" is 127.0.0.1:9/],
  ['a target no stage names', { target: 'release' }, /input "target": the Dockerfile app\/Dockerfile has no stage "release"/],
  ['a secret whose variable is not set', { secrets: 'npm=NO_SUCH_VARIABLE_HERE' }, /input "secrets": secret "npm" reads the environment variable NO_SUCH_VARIABLE_HERE, which is not set/],
  ['a secret line that is not id=ENV', { secrets: 'npm: token' }, /input "secrets" line 1/],
  ['a username without a password', { username: 'ci' }, /inputs "username" and "password" go together/],
  ['no repository', { repository: '' }, /input "repository" is required/],
  ['an unknown cache mode', { cache: 'local' }, /input "cache" must be one of "registry", "none"/],
  ['zero retries', { retries: '0' }, /input "retries" must be an integer from 1 to 10/],
  ['a zero timeout', { timeout: '0' }, /input "timeout" must be a duration above zero/],
  ['a build argument that is no name', { 'build-args': '1X=2' }, /input "build-args" line 1: key "1X" must be a build argument name/],
  ['images with an unknown setting', { images: '- name: api\n  context: app\n  file: app/Dockerfile' }, /input "images" entry 1 has unknown setting "file"/],
  ['images naming one image twice', { images: 'api: {context: app, repository: a}\nweb: {name: api, context: app, repository: b}' }, /input "images" names image "api" twice/],
  ['images pushing two images to one repository', { images: 'api: {context: app}\nweb: {context: app}' }, /images "api" and "web" push to the same repository api/],
  ['an images entry whose Dockerfile is missing', { images: 'api: {context: app, dockerfile: app/Other}' }, /input "images\[api\].dockerfile": no file "app\/Other"/],
  ['an images file that does not exist', { images: 'images.yml' }, /input "images" must be inline YAML\/JSON or the path of a file/],
  ['a build argument whose value is a mapping', { images: 'api: {context: app, build-args: {NODE: {version: 22}}}' }, /input "images\[api\]\.build-args": the value of "NODE" must be text, a number or a boolean, got a mapping$/],
  ['a build argument whose value is a list', { images: 'api: {context: app, build-args: {NODES: [20, 22]}}' }, /input "images\[api\]\.build-args": the value of "NODES" must be text, a number or a boolean, got a list$/],
];

describe.concurrent('build-push: bad input is one clear error, before anything is built or contacted', () => {
  it.each(cases)('%s', async (_title, inputs, message) => {
    const workspace = makeWorkspace();
    symlinkSync('/tmp', path.join(workspace, 'escape'));
    const result = await buildPush({ workspace, sha: newSha(), inputs: { registry: NOWHERE, repository: 'api', context: 'app', ...inputs } });
    const error = failureOf(result);
    expect(error).toMatch(/^build-push: /);
    expect(error).toMatch(message);
    expect(error).not.toContain('unexpected error');
    expect(result.log).not.toContain('STEP 1/');
    expect(result.log).not.toContain('Connecting to the registry');
  });
});
