import { describe, expect, it } from 'vitest';
import { checkTag, defaultTags, parseRegistry, parseRepository, refTag } from './reference.js';

describe('tags', () => {
  it.each(['v1.2.3', 'latest', '_x', 'a'.repeat(128), 'feature-Login_v2'])('accepts %s', (tag) => {
    expect(checkTag('tags', tag)).toBe(tag);
  });
  it.each(['-x', '.x', 'a/b', 'a:b', '', 'a'.repeat(129), 'é'])('refuses %j naming the input', (tag) => {
    expect(() => checkTag('tags', tag)).toThrow(/input "tags": ".*" is not a valid image tag/);
  });

  it.each([
    ['refs/heads/feature/Login_v2', 'feature-Login_v2'],
    ['refs/tags/v1.2.0', 'v1.2.0'],
    ['refs/pull/12/merge', 'pr-12'],
    ['refs/heads/-odd', 'odd'],
    ['refs/heads/..', undefined],
    ['', undefined],
  ])('the ref %s gives the tag %s', (ref, tag) => {
    expect(refTag(ref)).toBe(tag);
  });

  it('defaults to the full SHA, the short SHA, the ref and the version, without duplicates', () => {
    const sha = 'a'.repeat(40);
    expect(defaultTags({ sha, ref: 'refs/heads/main', version: '2.0.0' })).toEqual([sha, 'aaaaaaa', 'main', '2.0.0']);
    expect(defaultTags({ sha, ref: 'refs/heads/aaaaaaa' })).toEqual([sha, 'aaaaaaa']);
  });
});

describe('registries and repositories', () => {
  it('knows an ECR registry, its account and region', () => {
    expect(parseRegistry('registry', '123456789012.dkr.ecr.eu-west-1.amazonaws.com')).toEqual({
      host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      plainHttp: false,
      ecr: { account: '123456789012', region: 'eu-west-1' },
    });
  });
  it('speaks plain HTTP to an http:// or loopback registry only', () => {
    expect(parseRegistry('registry', 'http://registry.internal:5000')).toEqual({ host: 'registry.internal:5000', plainHttp: true });
    expect(parseRegistry('registry', '127.0.0.1:5000').plainHttp).toBe(true);
    expect(parseRegistry('registry', 'localhost:5000').plainHttp).toBe(true);
    expect(parseRegistry('registry', 'ghcr.io').plainHttp).toBe(false);
    expect(parseRegistry('registry', 'https://127.0.0.1:5000').plainHttp).toBe(false);
  });
  it.each(['not a host', 'ghcr.io/acme', 'http://', 'a_b.com'])('refuses the registry %j', (raw) => {
    expect(() => parseRegistry('registry', raw)).toThrow(/input "registry" must be a registry host/);
  });

  it('splits a repository from its registry as the reference grammar does', () => {
    expect(parseRepository('repository', 'team/api')).toEqual({ path: 'team/api' });
    expect(parseRepository('repository', 'ghcr.io/acme/api')).toEqual({ host: 'ghcr.io', path: 'acme/api' });
    expect(parseRepository('repository', 'localhost:5000/api')).toEqual({ host: 'localhost:5000', path: 'api' });
    expect(parseRepository('repository', 'api')).toEqual({ path: 'api' });
  });
  it.each([
    ['team/API', /lowercase/],
    ['team/api:v1', /give tags in "tags"/],
    ['team/api@sha256:abc', /give tags in "tags"/],
    ['team//api', /must be a repository/],
    ['-api', /must be a repository/],
  ])('refuses the repository %s', (raw, message) => {
    expect(() => parseRepository('repository', raw)).toThrow(message);
  });
});
