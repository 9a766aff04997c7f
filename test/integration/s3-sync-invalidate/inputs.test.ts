import { describe, expect, it } from 'vitest';
import { failureOf, makeSite, sync } from './fixtures.js';

describe.concurrent('s3-sync-invalidate: bad input', () => {
  it.each([
    { name: 'a missing source directory', inputs: { source: 'build' }, error: 'input "source" must be a directory; "build" does not exist in' },
    { name: 'an empty bucket name', inputs: { bucket: '' }, error: 'input "bucket" is required and was not given' },
    { name: 'an invalid bucket name', inputs: { bucket: 'My_Bucket' }, error: 'input "bucket" must be an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens), got "My_Bucket"' },
    { name: 'a malformed rule line', inputs: { 'cache-control': '*.html=no-cache\nassets/** public' }, error: 'input "cache-control" line 2 must be key=value, got "assets/** public"' },
    { name: 'a rule without a value', inputs: { 'cache-control': '*.html=' }, error: 'input "cache-control": the rule for "*.html" has no value; expected glob=value' },
    { name: 'a bad media type', inputs: { 'content-type': '*.x=not a type' }, error: 'input "content-type": the value for "*.x" must be a media type such as "text/html; charset=utf-8", got "not a type"' },
    { name: 'a header value no HTTP header can carry', inputs: { 'cache-control': '*.html=max-age=60 \u20ac' }, error: 'input "cache-control": the value for "*.html" must be printable ASCII (an HTTP header value), got "max-age=60 \u20ac"' },
    { name: 'a non-numeric parallel', inputs: { parallel: 'many' }, error: 'input "parallel" must be an integer from 1 to 64, got "many"' },
    { name: 'an unknown invalidate mode', inputs: { invalidate: 'some' }, error: 'input "invalidate" must be one of "changed", "all", "none", got "some"' },
    { name: 'a prefix that climbs', inputs: { prefix: 'site/../other' }, error: 'input "prefix" must be a key prefix such as "site" or "apps/web", got "site/../other"' },
    { name: 'a state location that is a folder', inputs: { state: 's3://other-bucket/meta/' }, error: `input "state" must be an object key such as s3://my-state-bucket/site.json (or a key of the synced bucket outside "prefix"), or '' for no state, got "s3://other-bucket/meta/"` },
    { name: 'a bad timeout', inputs: { 'invalidation-timeout': 'soon' }, error: 'input "invalidation-timeout" must be a duration such as 500ms, 90s, 10m, 1h or 1h30m, got "soon"' },
    { name: 'a zero timeout', inputs: { 'invalidation-timeout': '0s' }, error: 'input "invalidation-timeout" must be a duration above zero, such as 90s, 10m or 1h, got "0s"' },
    { name: 'a bad distribution id', inputs: { 'distribution-id': 'https://d111.cloudfront.net' }, error: 'input "distribution-id" must be a CloudFront distribution id' },
  ])('rejects $name with one clear error', async ({ inputs, error }) => {
    const site = makeSite({ 'index.html': 'home' });
    try {
      const result = await sync(site, { bucket: 'inputs-bucket', ...inputs });
      expect(result.exitCode).toBe(1);
      expect(failureOf(result)).toContain(`s3-sync-invalidate: ${error}`);
      expect(result.errors).toHaveLength(1);
      expect(result.log).not.toMatch(/\n\s+at /);
      expect(result.outputs).toEqual({});
    } finally {
      site.cleanup();
    }
  });
});
