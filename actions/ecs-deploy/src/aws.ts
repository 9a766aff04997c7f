/** The ECS reads this action repeats, and the short names of task definitions it logs. */
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  type Service,
  type Tag,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { call } from '@deploy-suite/aws';
import { ActionFailure } from '@deploy-suite/kit';

export async function describeService(client: ECSClient, cluster: string, service: string): Promise<Service> {
  const response = await call('DescribeServices', () => client.send(new DescribeServicesCommand({ cluster, services: [service], include: ['TAGS'] })));
  const found = response.services?.[0];
  if (!found) {
    const reason = response.failures?.[0]?.reason ?? 'MISSING';
    throw new ActionFailure(`service "${service}" was not found in cluster "${cluster}" (${reason})`);
  }
  if (found.status !== 'ACTIVE') throw new ActionFailure(`service "${service}" in cluster "${cluster}" is ${found.status}, not ACTIVE`);
  return found;
}

export async function describeTaskDefinition(client: ECSClient, taskDefinition: string): Promise<{ definition: TaskDefinition; tags: Tag[] }> {
  const response = await call('DescribeTaskDefinition', () => client.send(new DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] })));
  if (!response.taskDefinition) throw new ActionFailure(`DescribeTaskDefinition returned no task definition for ${taskDefinition}`);
  return { definition: response.taskDefinition, tags: response.tags ?? [] };
}
