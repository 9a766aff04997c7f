import { describe, expect, it } from 'vitest';
import { revisionTags, revisionsToDeregister } from './revisions.js';

const arn = (revision: number) => `arn:aws:ecs:us-east-1:1:task-definition/web:${revision}`;

describe('revisionsToDeregister', () => {
  it('keeps the newest ones and never the protected ones', () => {
    const active = [arn(9), arn(8), arn(7), arn(6), arn(5)];
    expect(revisionsToDeregister(active, 2, new Set([arn(9), arn(6)]))).toEqual([arn(7), arn(5)]);
    expect(revisionsToDeregister(active, 5, new Set())).toEqual([]);
  });
});

describe('revisionTags', () => {
  it('adds the commit, replacing an old commit tag and dropping aws: tags', () => {
    expect(revisionTags([{ key: 'team', value: 'web' }, { key: 'deploy-suite:commit-sha', value: 'old' }, { key: 'aws:cloudformation:stack-name', value: 's' }], 'abc')).toEqual([
      { key: 'team', value: 'web' },
      { key: 'deploy-suite:commit-sha', value: 'abc' },
    ]);
    expect(revisionTags([], undefined)).toEqual([]);
  });
});
