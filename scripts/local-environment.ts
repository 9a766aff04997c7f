/**
 * The local staging environment for `pnpm local-run` (scripts/local-run.ts): moto, PostgreSQL, a registry,
 * the fake GitHub API and Slack, the staging app and the sample repository (test/src/staging). A team's
 * own caller copied into the sample's .github/workflows/ runs against it.
 */
import { startLocalStaging, type LocalStaging } from '../test/src/staging/index.js';

export interface LocalEnvironment {
  options: ReturnType<LocalStaging['runnerOptions']> & { workDir: string };
  staging: LocalStaging;
  stop(): Promise<void>;
}

export async function startLocalEnvironment(): Promise<LocalEnvironment> {
  const staging = await startLocalStaging();
  return { options: { ...staging.runnerOptions(), workDir: staging.workDir }, staging, stop: () => staging.stop() };
}
