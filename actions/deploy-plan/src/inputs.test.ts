import { ConfigurationError } from '@deploy-suite/kit';
import { describe, expect, it } from 'vitest';
import { parseAwsRoles } from './inputs.js';

const ROLE = 'arn:aws:iam::123456789012:role/deploy-services';

describe('parseAwsRoles', () => {
  it('reads a JSON object of job group -> role ARN', () => {
    expect(parseAwsRoles(`{"services": "${ROLE}"}`)).toEqual({ services: ROLE });
    expect(parseAwsRoles('{}')).toEqual({});
  });

  // The workflow reads the value with fromJSON: YAML that is not JSON would pass the plan and fail every job.
  it.each([`services: ${ROLE}`, `{services: ${ROLE}}`, `{'services': '${ROLE}'}`])('refuses YAML that is not JSON: %s', (raw) => {
    expect(() => parseAwsRoles(raw)).toThrow(ConfigurationError);
    expect(() => parseAwsRoles(raw)).toThrow(/input "aws-roles" is not JSON/);
  });
});
