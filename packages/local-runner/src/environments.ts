/**
 * `environment:` as GitHub records it: a deployment of the run's commit to the environment, and its
 * statuses in_progress then success / failure (inactive when cancelled), through the GitHub API with
 * a token of the runner's own. Without a GitHub API the deployment is kept in the run's result only.
 */
import type { LocalRunOptions } from './types.js';

export interface DeploymentRecord {
  id?: number;
  environment: string;
  state: string;
  url?: string;
}

export interface DeploymentRecorder {
  start(environment: string, logUrl: string): Promise<DeploymentRecord>;
  finish(record: DeploymentRecord, state: 'success' | 'failure' | 'inactive', url: string | undefined, logUrl: string): Promise<void>;
}

export function deploymentRecorder(options: LocalRunOptions, repositoryName: string, sha: string): DeploymentRecorder {
  const github = options.github;
  if (!github) {
    return {
      start: async (environment) => ({ environment, state: 'in_progress' }),
      finish: async (record, state, url) => {
        record.state = state;
        if (url) record.url = url;
      },
    };
  }
  let token: Promise<string> | undefined;
  const call = async (method: string, route: string, body: unknown): Promise<Record<string, unknown>> => {
    token ??= Promise.resolve(github.mintToken({ deployments: 'write' }));
    const response = await fetch(`${github.apiUrl.replace(/\/$/, '')}/repos/${repositoryName}${route}`, {
      method,
      headers: { authorization: `Bearer ${await token}`, accept: 'application/vnd.github+json', 'content-type': 'application/json', 'user-agent': 'deploy-suite-local-runner' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`recording the deployment: ${method} ${route} answered ${response.status}: ${text.slice(0, 300)}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  return {
    async start(environment, logUrl) {
      const deployment = await call('POST', '/deployments', { ref: sha, environment, task: 'deploy', auto_merge: false, required_contexts: [], payload: {}, description: 'Deployment by the local runner' });
      const id = Number(deployment.id);
      await call('POST', `/deployments/${id}/statuses`, { state: 'in_progress', log_url: logUrl, environment });
      return { id, environment, state: 'in_progress' };
    },
    async finish(record, state, url, logUrl) {
      await call('POST', `/deployments/${record.id}/statuses`, { state, log_url: logUrl, environment: record.environment, ...(url ? { environment_url: url } : {}) });
      record.state = state;
      if (url) record.url = url;
    },
  };
}
