/**
 * `pnpm local-run <workflow> --event push ...`: runs a workflow of this suite or of a team's repository
 * on this machine (packages/local-runner). When scripts/local-environment.ts exists (the local staging
 * environment: moto, PostgreSQL, a registry, fake GitHub and Slack), its `startLocalEnvironment()`
 * supplies the AWS endpoint, the GitHub API and the rest; without it, steps that need them stop with
 * an error that names what is missing.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { localRunMain, type LocalEnvironment } from '@deploy-suite/local-runner';

const suiteRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const environmentModule = path.join(suiteRoot, 'scripts', 'local-environment.ts');

const environment = existsSync(environmentModule)
  ? async (): Promise<LocalEnvironment> => {
      const module = (await import(pathToFileURL(environmentModule).href)) as { startLocalEnvironment(): Promise<LocalEnvironment> };
      return module.startLocalEnvironment();
    }
  : undefined;

// pnpm runs scripts from the workspace root; INIT_CWD is where the user typed the command.
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
process.exitCode = await localRunMain(process.argv.slice(2), { suiteRoot, ...(environment ? { environment } : {}) });
