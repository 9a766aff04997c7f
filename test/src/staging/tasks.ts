/**
 * How a one-off ECS task "runs" in the local staging environment. This machine
 * plays the VPC: it alone reaches the staging database (the workflow's own
 * DATABASE_URL may point nowhere). The task's image is resolved as ECS would
 * (task definition → container → image in the registry); its revision label
 * names the commit it was built from, and the task's command runs in that
 * commit's tree with the environment the task definition gives the container,
 * plus DATABASE_URL (what the task's secret would hold). The busybox images
 * carry no database client, so the command runs on this machine's binaries
 * rather than inside the image; what it runs is still exactly the image's
 * revision.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { LocalRegistry } from '../services/registry.js';
import { REVISION_LABEL } from './app.js';
import type { OneOffTask, TaskOutcome, TaskRunner } from './ecs.js';
import { imageLabels, parseImageReference } from './images.js';

export interface TaskRunnerOptions {
  ecs: ECSClient;
  registry: LocalRegistry;
  /** The sample repository's directory (its commits are the images' revisions). */
  repository: () => string;
  databaseUrl: string;
  /** Directories put first on PATH (the PostgreSQL client). */
  path: string[];
}

const OUTPUT_LIMIT = 64 * 1024;

export function oneOffTaskRunner(options: TaskRunnerOptions): TaskRunner {
  return async (task) => {
    const container = await containerOf(options.ecs, task);
    if (!container?.image) return notStarted(`CannotStartContainerError: no container "${task.container}" in ${task.taskDefinition}`);
    const image = parseImageReference(container.image);
    const labels = image ? await imageLabels(options.registry, image.name, image.reference) : undefined;
    const revision = labels?.[REVISION_LABEL];
    if (!revision) return notStarted(`CannotPullContainerError: ${container.image} not found`);
    const tree = mkdtempSync(path.join(tmpdir(), 'staging-task-'));
    try {
      execFileSync('sh', ['-c', 'git -C "$1" archive "$2" | tar -x -C "$3"', 'sh', options.repository(), revision, tree]);
      const environment = Object.fromEntries((container.environment ?? []).map((pair) => [pair.name ?? '', pair.value ?? '']));
      return await run(task, tree, {
        PATH: [...options.path, process.env.PATH ?? ''].join(path.delimiter),
        HOME: tree,
        ...environment,
        DATABASE_URL: options.databaseUrl,
      });
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  };
}

async function containerOf(ecs: ECSClient, task: OneOffTask) {
  const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: task.taskDefinition }));
  return described.taskDefinition?.containerDefinitions?.find((candidate) => candidate.name === task.container);
}

function notStarted(reason: string): TaskOutcome {
  return { exitCode: undefined, reason, output: '' };
}

function run(task: OneOffTask, cwd: string, env: NodeJS.ProcessEnv): Promise<TaskOutcome> {
  const [command, ...args] = task.command;
  if (!command) return Promise.resolve(notStarted('CannotStartContainerError: empty command'));
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer): void => {
      if (output.length < OUTPUT_LIMIT) output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) => resolve(notStarted(`CannotStartContainerError: ${error.message}`)));
    child.on('close', (code) => resolve({ exitCode: code ?? 137, reason: code === 0 ? 'exited' : `exited with ${code}`, output }));
  });
}
