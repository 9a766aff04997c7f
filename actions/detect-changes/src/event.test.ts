import { describe, expect, it } from 'vitest';
import { NULL_SHA, directRange, isPreviousCommit, likelyDeployedRange, type DirectRange, type EventPayload, type RangeInputs } from './event.js';

describe('event payload', () => {
  it.each([
    ['a commit', 'a'.repeat(40), true],
    ['the zeros of a new branch', NULL_SHA, false],
    ['a short SHA', 'abc1234', false],
    ['nothing', undefined, false],
  ])('isPreviousCommit: %s', (_case, before, expected) => {
    expect(isPreviousCommit(before)).toBe(expected);
  });
});

describe('directRange: the base and head the prefetch and the fast path diff', () => {
  const a = 'a'.repeat(40);
  const b = 'b'.repeat(40);
  const c = 'c'.repeat(40);
  const repository = { default_branch: 'main' };
  it.each<[string, string, EventPayload, RangeInputs, DirectRange | undefined, string?]>([
    ['a push', 'push', { before: a, after: b }, {}, { base: a, head: b, baseSource: 'before' }],
    ['a push GitHub says is not forced: before is an ancestor', 'push', { before: a, after: b, forced: false }, {}, { base: a, head: b, baseSource: 'before', ancestor: true }],
    ['a forced push', 'push', { before: a, after: b, forced: true }, {}, { base: a, head: b, baseSource: 'before' }],
    ['a push creating a branch: the remote-tracking default branch', 'push', { before: NULL_SHA, after: b, repository }, {}, { base: 'refs/remotes/origin/main', head: b, baseSource: 'merge-base' }],
    ['a push creating a branch, default-branch given', 'push', { before: NULL_SHA, after: b }, { defaultBranch: 'develop' }, { base: 'refs/remotes/origin/develop', head: b, baseSource: 'merge-base' }],
    ['the first push of the default branch', 'push', { before: NULL_SHA, after: b, repository }, {}, undefined, 'refs/heads/main'],
    ['a push creating a branch, default branch unknown', 'push', { before: NULL_SHA, after: b }, {}, undefined],
    ['a push with environment (the deployment decides)', 'push', { before: a, after: b }, { environment: 'staging' }, undefined],
    ['an explicit SHA base, even with environment', 'push', { before: a, after: b }, { base: c, environment: 'staging' }, { base: c, head: b, baseSource: 'input' }],
    ['a base by name (resolved later)', 'push', { before: a, after: b }, { base: 'main' }, undefined],
    ['a ref by name', 'workflow_dispatch', {}, { ref: 'v1.4.2', base: a }, undefined],
    ['a pull request: its base and the merge commit', 'pull_request', { pull_request: { base: { sha: a } } }, {}, { base: a, head: c, baseSource: 'pull-request' }],
    ['a manual run without base', 'workflow_dispatch', {}, {}, undefined],
  ])('%s', (_case, eventName, payload, inputs, expected, ref = 'refs/heads/feature') => {
    expect(directRange({ eventName, payload, sha: c, ref }, inputs, 'origin')).toEqual(expected);
  });
});

describe('likelyDeployedRange: the guess the prefetch diffs while the API answers', () => {
  const a = 'a'.repeat(40);
  const b = 'b'.repeat(40);
  it.each<[string, string, EventPayload, RangeInputs, { base: string; head: string } | undefined]>([
    ['a push with environment: before', 'push', { before: a, after: b }, { environment: 'staging' }, { base: a, head: b }],
    ['without environment', 'push', { before: a, after: b }, {}, undefined],
    ['an explicit base wins', 'push', { before: a, after: b }, { environment: 'staging', base: 'main' }, undefined],
    ['a new branch', 'push', { before: NULL_SHA, after: b }, { environment: 'staging' }, undefined],
    ['a manual run', 'workflow_dispatch', {}, { environment: 'staging' }, undefined],
  ])('%s', (_case, eventName, payload, inputs, expected) => {
    expect(likelyDeployedRange({ eventName, payload, sha: b, ref: 'refs/heads/main' }, inputs)).toEqual(expected);
  });
});
