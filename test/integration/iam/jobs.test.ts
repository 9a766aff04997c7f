/**
 * What docs/pipeline.md says about the jobs holds for the workflows as written: every job that holds AWS
 * credentials runs in the caller's environment (so the trust policy's `environment` subject claim admits
 * it, and nothing else), every one of them has its documented policy, and no job that runs the team's
 * code (a Dockerfile, a build command) holds AWS credentials or a secret.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../src/index.js';
import { documentedPolicy } from './aws.js';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  permissions?: Record<string, string>;
  environment?: { name?: string } | string;
  steps?: Step[];
}

const WORKFLOWS = ['deploy.yml', 'rollback.yml', 'scale.yml'];
const jobsOf = (file: string): [string, Job][] =>
  Object.entries((parse(readFileSync(path.join(REPO_ROOT, '.github/workflows', file), 'utf8')) as { jobs: Record<string, Job> }).jobs);
const allJobs = WORKFLOWS.flatMap((file) => jobsOf(file).map(([id, job]) => ({ file, id, job })));

const holdsAws = (job: Job) => (job.steps ?? []).some((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));
/** A job that builds what the team wrote: a build command, or a Dockerfile built by build-push without pushing. */
const runsTeamBuild = (job: Job) =>
  (job.steps ?? []).some((step) => /BUILD_COMMAND/.test(step.run ?? '') || (step.uses === '$/actions/build-push' && String(step.with?.push) === 'false'));
/** A job that runs any command the team wrote: its builds, or its migration command (db-migrate's `command`). */
const runsTeamCode = (job: Job) => runsTeamBuild(job) || (job.steps ?? []).some((step) => step.uses === '$/actions/db-migrate' && step.with?.command !== undefined);

const page = readFileSync(path.join(REPO_ROOT, 'docs/pipeline.md'), 'utf8');
/** The jobs column of the IAM table of docs/pipeline.md, by policy file. */
function documentedJobs(): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const match of page.matchAll(/^\| \[([a-z-]+)\.json\]\(iam\/[a-z-]+\.json\) \| ([^|]+) \|/gm)) {
    rows.set(match[1] as string, (match[2] as string).split(/,\s*/).map((name) => name.trim()));
  }
  return rows;
}

describe('docs/pipeline.md and docs/iam against the workflows', () => {
  it('finds the jobs it checks', () => {
    expect(allJobs.filter(({ job }) => holdsAws(job)).length).toBeGreaterThanOrEqual(8);
    expect(allJobs.filter(({ job }) => runsTeamBuild(job)).map(({ id }) => id).sort()).toEqual(['build', 'build-functions', 'build-site']);
    expect(allJobs.filter(({ job }) => runsTeamCode(job)).map(({ id }) => id).sort()).toEqual(['build', 'build-functions', 'build-site', 'migrate']);
  });

  it.each(allJobs.filter(({ job }) => holdsAws(job)).map(({ file, id, job }) => [`${file} ${id}`, file, id, job] as const))(
    '%s: assumes the role with id-token: write, in the caller environment, and has a documented policy',
    (_name, file, id, job) => {
      expect(job.permissions?.['id-token']).toBe('write');
      expect(typeof job.environment === 'object' ? job.environment.name : job.environment).toBe('${{ inputs.environment }}');
      // A job of deploy.yml by its id, of another workflow as `rollback.yml services`; scale.yml's one job is `scale`.
      const documented = [...documentedJobs().entries()].filter(([, jobs]) => jobs.some((name) => name === id || name === `${file} ${id}`));
      expect(documented.map(([policy]) => policy), `${id} in the IAM table of docs/pipeline.md`).not.toEqual([]);
    },
  );

  it.each(allJobs.filter(({ job }) => !holdsAws(job)).map(({ file, id, job }) => [`${file} ${id}`, job] as const))('%s: no AWS credentials, no id-token', (_name, job) => {
    expect(job.permissions?.['id-token']).toBeUndefined();
  });

  // A step of a job with id-token: write can ask GitHub for an OIDC token (the runner hands every step
  // ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN) and assume the environment's deploy role with it.
  it.each(allJobs.filter(({ job }) => runsTeamCode(job)).map(({ file, id, job }) => [`${file} ${id}`, job] as const))(
    '%s runs the team code: no id-token, no AWS credentials',
    (_name, job) => {
      expect(job.permissions?.['id-token']).toBeUndefined();
      expect(holdsAws(job)).toBe(false);
    },
  );

  it.each(allJobs.filter(({ job }) => runsTeamBuild(job)).map(({ file, id, job }) => [`${file} ${id}`, job] as const))(
    '%s builds the team code: only contents: read, no secrets, no registry password',
    (_name, job) => {
      expect(job.permissions).toEqual({ contents: 'read' });
      expect(JSON.stringify(job)).not.toMatch(/secrets\.|id-token|configure-aws-credentials|password/);
    },
  );

  it('every job of deploy.yml is described in the job table', () => {
    const table = page.slice(page.indexOf('## The jobs, and what each one holds'), page.indexOf('## IAM'));
    const described = [...table.matchAll(/^\| ([a-z, -]+?)(?: \(matrix[^)]*\))? \|/gm)].flatMap((match) => (match[1] as string).split(/,\s*/));
    expect(jobsOf('deploy.yml').map(([id]) => id).filter((id) => !described.includes(id))).toEqual([]);
  });

  it("the trust policy admits a job in the staging environment of the team's repository, and nothing else", () => {
    const [statement] = documentedPolicy('trust-policy').Statement;
    const claims = statement?.Condition?.StringEquals ?? {};
    const admits = (sub: string, aud = 'sts.amazonaws.com') =>
      claims['token.actions.githubusercontent.com:sub'] === sub && claims['token.actions.githubusercontent.com:aud'] === aud;
    expect(statement?.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(admits('repo:acme/monorepo:environment:staging')).toBe(true);
    // A job without an environment (its subject names the ref), a pull request, another environment or repository.
    expect(admits('repo:acme/monorepo:ref:refs/heads/develop')).toBe(false);
    expect(admits('repo:acme/monorepo:pull_request')).toBe(false);
    expect(admits('repo:acme/monorepo:environment:production')).toBe(false);
    expect(admits('repo:evil/monorepo:environment:staging')).toBe(false);
    expect(admits('repo:acme/monorepo:environment:staging', 'sigstore')).toBe(false);
  });
});
