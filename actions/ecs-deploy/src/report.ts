/**
 * Everything the step reports, gathered phase by phase by `deploy` and turned
 * into outputs and a step summary by main.ts, also when a phase fails. Types
 * only from the SDK: main.ts imports it before the SDK loads.
 */
import type { ServiceEvent } from '@aws-sdk/client-ecs';
import type { Inputs } from './inputs.js';
import type { StoppedTask } from './names.js';
import type { ImageChange } from './render.js';
import type { RunTaskResult } from './tasks.js';

export type Outcome = 'deployed' | 'unchanged' | 'started' | 'failed' | 'rolled-back';

export interface DeployReport {
  cluster: string;
  service: string;
  family?: string;
  taskDefinitionArn?: string;
  previousTaskDefinitionArn?: string;
  /** Whether this run registered a new revision (still registered at the end). */
  registered: boolean;
  images: ImageChange[];
  deploymentId?: string;
  desiredCount?: { before: number; after: number };
  runTask?: RunTaskResult;
  /** New service events seen while watching, oldest first. */
  timeline: ServiceEvent[];
  outcome?: Outcome;
  /** One line on how it ended. */
  detail?: string;
  rolloutMs?: number;
  rolledBack: boolean;
  /** After a failed roll-out: what became of the service (rolled back, left as it is, ...). */
  aftermath?: string;
  stoppedTasks: StoppedTask[];
  deregistered: string[];
}

export function newReport(inputs: Pick<Inputs, 'cluster' | 'service'>): DeployReport {
  return { cluster: inputs.cluster, service: inputs.service, registered: false, images: [], timeline: [], rolledBack: false, stoppedTasks: [], deregistered: [] };
}
