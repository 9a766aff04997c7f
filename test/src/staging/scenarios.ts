/**
 * The pipeline scenarios of the local staging environment (issue 12: a-j),
 * as `pnpm demo --scenario NAME` runs them and test/e2e/ asserts on them.
 * Each makes the repository changes and faults of its story, then runs the
 * sample's callers; it returns every run in order.
 */
import { ConcurrencyGroups, type LocalRunOptions, type RunResult } from '@deploy-suite/local-runner';
import type { DeployedState, LocalStaging } from './index.js';
import { startFaultProxy, type ProxiedRequest } from '../services/fault-proxy.js';
import { dispatchEvent, pushEvent, runPipeline, scheduleEvent } from './pipeline.js';

/** A run of a scenario; `after` is what ran in staging right after it, for scenarios whose story is in between. */
export type ScenarioRun = RunResult & { runId: number; label: string; after?: DeployedState };
export type Progress = NonNullable<LocalRunOptions['onProgress']>;

export interface Scenario {
  name: string;
  description: string;
  run(staging: LocalStaging, onProgress?: Progress, announce?: (line: string) => void): Promise<ScenarioRun[]>;
  /** The conclusion each run should have, in order (default: all success). */
  expected?: RunResult['conclusion'][];
}

/** Did the runs end as the scenario's story says? */
export function asExpected(entry: Scenario, runs: ScenarioRun[]): boolean {
  return runs.every((run, index) => run.conclusion === (entry.expected?.[index] ?? 'success'));
}

/** Changes per part of the sample, as a developer would make them. */
export const CHANGES = {
  api: { 'services/api/src/VERSION': 'api 2\n', 'services/api/src/start.sh': '#!/bin/busybox sh\n# The API, v2: busybox httpd serving /app/www.\n/bin/busybox mkdir -p /app/www\necho "{\\"status\\":\\"ok\\"}" > /app/www/healthz\nexec /bin/busybox httpd -f -p 8080 -h /app/www\n' },
  worker: { 'services/worker/src/worker.sh': '#!/bin/busybox sh\n# The worker, v2: drains the queue every 30 s.\nwhile true; do /bin/busybox sleep 30; done\n' },
  web: { 'apps/web/src/app.js': "/* global document */\ndocument.title = 'Acme staging, v2';\n" },
  events: { 'functions/events/index.mjs': "// The events Lambda function, v2.\nexport const handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ received: event?.type ?? 'unknown', v: 2 }) });\n" },
  migration: { 'db/migrations/0003_add_order_status.sql': "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';\n" },
  badMigration: { 'db/migrations/0004_add_order_notes.sql': "ALTER TABLE orders ADD COLUMN notes text;\nALTER TABLE orders ADD COLUMN shipped_at timestamptz NOT NULL DEFAULT;\n" },
  brokenApiDockerfile: { 'services/api/Dockerfile': 'FROM scratch\nCOPY rootfs/ /\nCOPY does-not-exist/ /app/\nENTRYPOINT ["/bin/busybox", "sh", "/app/start.sh"]\n' },
  docs: { 'README.md': '# acme/monorepo (sample)\n\nNow with more words.\n' },
} satisfies Record<string, Record<string, string>>;

async function push(staging: LocalStaging, files: Record<string, string>, message: string, label: string, onProgress?: Progress, secrets?: Record<string, string>, githubApiUrl?: string): Promise<ScenarioRun> {
  const before = staging.repo.head();
  const after = staging.repo.commit(files, message);
  const result = await runPipeline(staging, { workflow: 'deploy-staging.yml', event: pushEvent(staging, before, after), onProgress, ...(secrets ? { secrets } : {}), ...(githubApiUrl ? { githubApiUrl } : {}) });
  return { ...result, label };
}

/** detect-changes' GraphQL query for the environment's deployments. */
const isDeploymentsQuery = (request: ProxiedRequest): boolean => request.method === 'POST' && request.url.endsWith('/graphql') && request.body.toString().includes('deployments');

/** Where the workflow's own database URL points when only the VPC reaches the database: a port nobody listens on. */
export const UNREACHABLE_DATABASE_URL = 'postgres://deploy:unused@127.0.0.1:9/staging?connect_timeout=2';

/** The description file with the database migrated by the team's command as a one-off task of the api service. */
function migrateFromTheVpc(staging: LocalStaging): Record<string, string> {
  const file = '.github/deploy/staging.yml';
  const described = staging.repo.git('show', `HEAD:${file}`);
  const database = /^database:\n(?: {2}.*\n)*/m;
  if (!database.test(described)) throw new Error(`${file} of the sample has no database section`);
  const inVpc = 'database:\n  command: sh db/migrate.sh\n  backup: false\n  run-task: { service: api, command: sh db/migrate.sh }\n  when: [migrations]\n';
  return { [file]: described.replace(database, inVpc) };
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'push',
    description: 'a push to develop changing the API, the web app and adding a migration: everything it touches is built, migrated, deployed, verified and reported',
    run: async (staging, onProgress) => [await push(staging, { ...CHANGES.api, ...CHANGES.web, ...CHANGES.migration }, 'API v2, a new web title and an order status', 'push', onProgress)],
  },
  {
    name: 'api-only',
    description: '(a) a push to develop changing the API only',
    run: async (staging, onProgress) => [await push(staging, CHANGES.api, 'API v2', 'push', onProgress)],
  },
  {
    name: 'web-only',
    description: '(b) a push changing only the web app',
    run: async (staging, onProgress) => [await push(staging, CHANGES.web, 'A new web title', 'push', onProgress)],
  },
  {
    name: 'nothing',
    description: '(c) a push changing nothing deployable: no deploy job, no message',
    run: async (staging, onProgress) => [await push(staging, CHANGES.docs, 'Docs only', 'push', onProgress)],
  },
  {
    name: 'quick-pushes',
    description: '(d) three quick pushes: the environment\'s concurrency group queues them (queue: max), each deploys its change in turn, none is cancelled',
    run: async (staging, onProgress, announce) => {
      const concurrency = new ConcurrencyGroups();
      const shas = [staging.repo.head()];
      for (const [files, message] of [
        [CHANGES.api, 'API v2'],
        [CHANGES.worker, 'worker v2'],
        [CHANGES.web, 'web v2'],
      ] as const) {
        shas.push(staging.repo.commit(files, message));
      }
      announce?.('three pushes, started together: API, then worker, then web');
      const runs = await Promise.all(
        [1, 2, 3].map(async (index) => {
          // Started in order, a moment apart, as three pushes reach GitHub.
          await new Promise((resolve) => setTimeout(resolve, (index - 1) * 300));
          const result = await runPipeline(staging, { workflow: 'deploy-staging.yml', event: pushEvent(staging, shas[index - 1] as string, shas[index] as string), concurrency, onProgress });
          return { ...result, label: `push ${index}` };
        }),
      );
      return runs;
    },
  },
  {
    name: 'push-and-scale',
    description: '(m) a push deploying, a second push waiting, then the morning scale-up: all three wait their turn in the group, none cancels another',
    run: async (staging, onProgress, announce) => {
      const concurrency = new ConcurrencyGroups();
      const before = staging.repo.head();
      const apiSha = staging.repo.commit(CHANGES.api, 'API v2');
      const workerSha = staging.repo.commit(CHANGES.worker, 'worker v2');
      announce?.('a push, a second push while it deploys, then the scheduled scale-up');
      const started = [
        () => runPipeline(staging, { workflow: 'deploy-staging.yml', event: pushEvent(staging, before, apiSha), concurrency, onProgress }).then((result) => ({ ...result, label: 'push 1' })),
        () => runPipeline(staging, { workflow: 'deploy-staging.yml', event: pushEvent(staging, apiSha, workerSha), concurrency, onProgress }).then((result) => ({ ...result, label: 'push 2' })),
        () => runPipeline(staging, { workflow: 'staging-hours.yml', event: scheduleEvent(staging, '0 6 * * 1-5'), concurrency, onProgress }).then((result) => ({ ...result, label: 'scale up' })),
      ];
      return Promise.all(
        started.map(async (start, index) => {
          await new Promise((resolve) => setTimeout(resolve, index * 300));
          return start();
        }),
      );
    },
  },
  {
    name: 'manual',
    description: '(e) workflow_dispatch: full, backend-only, frontend-only, skip-tests, force-rebuild and a version',
    run: async (staging, onProgress, announce) => {
      const runs: ScenarioRun[] = [];
      const first = staging.repo.head();
      staging.repo.git('tag', 'v1.0.0', first);
      staging.repo.commit({ ...CHANGES.api, ...CHANGES.web }, 'API and web v2');
      const dispatches: [string, Record<string, string | boolean>][] = [
        ['full', { 'deployment-type': 'full', version: '', 'skip-tests': false, 'force-rebuild': false }],
        ['backend-only, force-rebuild, skip-tests', { 'deployment-type': 'backend-only', version: '', 'skip-tests': true, 'force-rebuild': true }],
        ['frontend-only', { 'deployment-type': 'frontend-only', version: '', 'skip-tests': false, 'force-rebuild': false }],
        ['full at v1.0.0', { 'deployment-type': 'full', version: 'v1.0.0', 'skip-tests': false, 'force-rebuild': false }],
      ];
      for (const [label, inputs] of dispatches) {
        announce?.(`manual deploy: ${label}`);
        const result = await runPipeline(staging, { workflow: 'deploy-manual.yml', event: dispatchEvent(staging, inputs), inputs, onProgress });
        runs.push({ ...result, label });
      }
      return runs;
    },
  },
  {
    name: 'rollout-failure',
    description: '(f) the API roll-out fails on ECS: rolled back, and Slack says so',
    expected: ['failure'],
    run: async (staging, onProgress) => {
      staging.ecs.failNextRollout('api');
      return [await push(staging, CHANGES.api, 'API v2 that will not start', 'push', onProgress)];
    },
  },
  {
    name: 'smoke-failure',
    description: '(g) the roll-out succeeds but the smoke test fails (the app answers 500): everything rolled back',
    expected: ['failure'],
    run: async (staging, onProgress) => {
      staging.app.setFault({ kind: 'status', status: 500 });
      return [await push(staging, { ...CHANGES.api, ...CHANGES.events }, 'API and events v2 with a broken health check', 'push', onProgress)];
    },
  },
  {
    name: 'bad-migration',
    description: '(h) a migration fails: nothing deployed, the database as it was',
    expected: ['success', 'failure'],
    run: async (staging, onProgress, announce) => {
      announce?.('first a good deploy that creates the tables');
      const good = await push(staging, CHANGES.migration, 'An order status', 'baseline', onProgress);
      announce?.('then an API change with a broken migration');
      const bad = await push(staging, { ...CHANGES.api, ...CHANGES.badMigration }, 'API v2 with a broken migration', 'push', onProgress);
      return [good, bad];
    },
  },
  {
    name: 'build-failure',
    description: "(l) the API's Dockerfile does not build: nothing is migrated, rolled out or published, staging stays as it was",
    expected: ['failure'],
    run: async (staging, onProgress) => [
      await push(staging, { ...CHANGES.api, ...CHANGES.brokenApiDockerfile, ...CHANGES.web, ...CHANGES.events, ...CHANGES.migration }, 'API v2 that does not build, with a web title, events v2 and an order status', 'push', onProgress),
    ],
  },
  {
    name: 'plan-failure',
    description: "(n) the plan fails after reading the description (GitHub's API answers 502 when detect-changes reads the deployments): no deploy job runs, and Slack is told",
    expected: ['failure'],
    run: async (staging, onProgress) => {
      // A filter detect-changes refuses is refused up front now (the schema), so the late failure is GitHub's.
      const github = await startFaultProxy(staging.github.url);
      github.addRule({ match: isDeploymentsQuery, fault: { kind: 'respond', status: 502, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Server Error' }) } });
      try {
        return [await push(staging, CHANGES.web, "web v2 while GitHub's API is down", 'push', onProgress, undefined, github.url)];
      } finally {
        await github.close();
      }
    },
  },
  {
    name: 'vpc-migration',
    description: '(k) the database is reachable only from the VPC: the migration runs as an ECS one-off task of the api service, from the image of the commit',
    run: async (staging, onProgress) => [
      await push(staging, { ...migrateFromTheVpc(staging), ...CHANGES.migration }, 'Migrate from inside the VPC, and an order status', 'push', onProgress, { STAGING_DATABASE_URL: UNREACHABLE_DATABASE_URL }),
    ],
  },
  {
    name: 'rollback',
    description: '(i) two deploys, then the rollback caller puts staging back on the first',
    run: async (staging, onProgress, announce) => {
      const first = await push(staging, CHANGES.web, 'web v2', 'deploy 1', onProgress);
      const second = await push(staging, { ...CHANGES.api, ...CHANGES.events }, 'API and events v2', 'deploy 2', onProgress);
      announce?.('roll back to the deployment before the last');
      const inputs = { deployment: '' };
      const rollback = await runPipeline(staging, { workflow: 'rollback-staging.yml', event: dispatchEvent(staging, inputs), inputs, onProgress });
      return [first, second, { ...rollback, label: 'rollback' }];
    },
  },
  {
    name: 'staging-hours',
    description: '(j) staging scaled down at night, a push deployed while it is down, then scaled up in the morning',
    run: async (staging, onProgress, announce) => {
      announce?.('evening: the schedule scales staging down');
      const down = await runPipeline(staging, { workflow: 'staging-hours.yml', event: scheduleEvent(staging, '0 19 * * 1-5'), onProgress });
      const deploy = { ...(await push(staging, CHANGES.api, 'API v2 while staging sleeps', 'push while down', onProgress)), after: await staging.state() };
      announce?.('morning: the schedule scales staging up');
      const up = await runPipeline(staging, { workflow: 'staging-hours.yml', event: scheduleEvent(staging, '0 6 * * 1-5'), onProgress });
      return [{ ...down, label: 'scale down' }, deploy, { ...up, label: 'scale up' }];
    },
  },
];

export function scenario(name: string): Scenario {
  const found = SCENARIOS.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no scenario "${name}": use one of ${SCENARIOS.map((candidate) => candidate.name).join(', ')}`);
  return found;
}
