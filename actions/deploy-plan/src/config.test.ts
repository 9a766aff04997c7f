import { describe, expect, test } from 'vitest';
import { parseEnvironmentConfig } from './parse-config.js';
import { STAGING } from './fixtures.test-data.js';

describe('parseEnvironmentConfig', () => {
  test('reads a complete description', () => {
    const config = parseEnvironmentConfig(STAGING, 'staging.yml');
    expect(Object.keys(config.services)).toEqual(['api', 'worker']);
    expect(config.images.api?.['build-args']).toEqual({ APP: 'api', WORKERS: 2 });
    expect(config.site?.bucket).toBe('staging-web');
  });

  test('takes every rule form detect-changes takes: globs, change-type maps to a glob or a list, nested lists', () => {
    const rules = "  web: [apps/web/**, '!**/*.md', { added|modified: 'apps/web/src/**' }, { deleted: [apps/web/public/**, 'x'] }, [docs/**, site/**]]\n";
    const config = parseEnvironmentConfig(STAGING.replace('  web: [apps/web/**]\n', rules), 'staging.yml');
    expect(config.filters.web).toHaveLength(5);
  });

  test.each([
    ['an unknown key, at its line', STAGING.replace('    service: api\n', '    service: api\n    servce: api\n'), /staging\.yml:23: services\.api\.servce: unknown key "servce"/],
    ['a missing required key', STAGING.replace('    repository: worker\n', ''), /staging\.yml:14: images\.worker: "repository" is required/],
    ['a when naming no filter', STAGING.replace('when: [web]', 'when: [website]'), /staging\.yml:\d+: site\.when\.0: names no filter "website" \(filters: shared, api/],
    ['a container naming no image', STAGING.replace('containers: { api: api }', 'containers: { api: apii }'), /services\.api\.containers\.api: names no image "apii"/],
    ['a path that leaves the repository', STAGING.replace('directory: apps/web/dist', 'directory: ../secrets'), /site\.directory: must be a relative path that stays inside/],
    ['both code sources of a function', STAGING.replace('    zip-directory: functions/events\n', '    zip-directory: functions/events\n    image: api\n'), /functions\.events: must set exactly one of "zip-directory" or "image"/],
    ['a database with neither migrations nor command', STAGING.replace('  migrations: db/migrations\n  backup', '  backup'), /database: set exactly one of "migrations" or "command"/],
    ['a name with capitals', STAGING.replace('  worker:\n    context', '  Worker:\n    context'), /images\.Worker|images: /],
    ['bad YAML', 'filters: [unclosed', /staging\.yml:1: not valid YAML/],
    ['no filters', 'images: {}\n', /\(top level\): "filters" is required/],
    // detect-changes refuses an empty glob wherever it is: refused here, before any job runs.
    ['an empty glob in a change-type map', STAGING.replace('  web: [apps/web/**]\n', "  web: [apps/web/**, { added: '' }]\n"), /staging\.yml:6: filters\.web\.1\.added: must not be empty/],
    ['an empty glob in a change-type list', STAGING.replace('  web: [apps/web/**]\n', "  web:\n    - added|modified: [apps/web/**, '']\n"), /staging\.yml:7: filters\.web\.0\.added\|modified\.1: must not be empty/],
    ['an empty glob in a nested list', STAGING.replace('  web: [apps/web/**]\n', "  web: [[apps/web/**, '']]\n"), /staging\.yml:6: filters\.web\.0\.1: must not be empty/],
    ['an empty glob', STAGING.replace('  web: [apps/web/**]\n', "  web: ['']\n"), /staging\.yml:6: filters\.web\.0: must not be empty/],
  ])('refuses %s with one line naming the key', (_name, text, error) => {
    expect(() => parseEnvironmentConfig(text, 'staging.yml')).toThrow(error);
  });
});
