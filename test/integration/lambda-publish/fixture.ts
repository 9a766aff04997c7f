/**
 * Fixtures for the lambda-publish tests: functions of their own per test in
 * the shared moto (with the IAM role moto insists on), workspaces with code to
 * zip, and names for the Lambda REST operations the fault proxy sees (Lambda
 * speaks REST-JSON: no X-Amz-Target, the operation is in the method and path).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  GetAliasCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  type CreateFunctionRequest,
} from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { zipSync } from 'fflate';
import { awsEnvironment, services, type FaultRule, type ProxiedRequest } from '../../src/index.js';

export const REGION = 'us-east-1';
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/lambda-publish-tests';

const config = (endpoint: string) => ({ endpoint, region: REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, forcePathStyle: true });

export const lambda = (): LambdaClient => new LambdaClient(config(services().motoUrl));
export const s3 = (): S3Client => new S3Client(config(services().motoUrl));
export const cloudwatch = (): CloudWatchClient => new CloudWatchClient(config(services().motoUrl));

export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** The environment that points the action at moto (or at a proxy in front of it). */
export function env(endpoint = services().motoUrl): Record<string, string> {
  return awsEnvironment(endpoint, REGION);
}

let role: Promise<void> | undefined;
function ensureRole(): Promise<void> {
  role ??= new IAMClient(config(services().motoUrl))
    .send(new CreateRoleCommand({ RoleName: 'lambda-publish-tests', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }))
    .then(
      () => undefined,
      (error: { name?: string }) => {
        // Test files run in parallel processes: another may have made it first.
        if (!error.name?.startsWith('EntityAlreadyExists')) throw error;
      },
    );
  return role;
}

export async function zipOf(files: Record<string, string>): Promise<Buffer> {
  return Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([name, content]) => [name, Buffer.from(content)]))));
}

export interface FunctionFixture {
  name: string;
  client: LambdaClient;
}

/** A zip function with a first code, optionally published as version 1 with the alias `live` on it. */
export async function createFunction(prefix: string, options: { published?: boolean; image?: string; environment?: Record<string, string> } = {}): Promise<FunctionFixture> {
  await ensureRole();
  const client = lambda();
  const name = unique(prefix);
  const request: CreateFunctionRequest = options.image
    ? { FunctionName: name, Role: ROLE_ARN, PackageType: 'Image', Code: { ImageUri: options.image } }
    : { FunctionName: name, Role: ROLE_ARN, Runtime: 'nodejs22.x', Handler: 'index.handler', Code: { ZipFile: await zipOf({ 'index.js': `exports.handler = async () => '${name}';\n` }) } };
  if (options.environment) request.Environment = { Variables: options.environment };
  await client.send(new CreateFunctionCommand(request));
  if (options.published) {
    const version = await client.send(new PublishVersionCommand({ FunctionName: name }));
    await client.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: version.Version }));
  }
  return { name, client };
}

export async function aliasOf(fixture: FunctionFixture, alias = 'live') {
  return fixture.client.send(new GetAliasCommand({ FunctionName: fixture.name, Name: alias }));
}

export async function versionsOf(fixture: FunctionFixture): Promise<string[]> {
  const response = await fixture.client.send(new ListVersionsByFunctionCommand({ FunctionName: fixture.name }));
  return (response.Versions ?? []).map((version) => version.Version as string).filter((version) => version !== '$LATEST');
}

/** A workspace with a function's source directory (`app/`) holding `files`. */
export function workspaceWith(files: Record<string, string>, directory = 'app'): { workspace: string; directory: string } {
  const workspace = mkdtempSync(path.join(tmpdir(), 'lambda-publish-ws-'));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(workspace, directory, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return { workspace, directory };
}

export const CODE_V2 = { 'index.js': "exports.handler = async () => 'v2';\n", 'lib/util.js': 'module.exports = 42;\n' };

export async function createAlarm(name: string): Promise<void> {
  await cloudwatch().send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    }),
  );
}

/** Lambda's REST operations by method and path, for proxy rules and counts. */
export function lambdaOperation(request: Pick<ProxiedRequest, 'method' | 'url'>): string {
  const { pathname } = new URL(request.url, 'http://proxy');
  const match = /^\/2015-03-31\/functions\/([^/]+)(\/.*)?$/.exec(pathname);
  if (!match) return `${request.method} ${pathname}`;
  const rest = match[2] ?? '';
  const table: [string, RegExp, string][] = [
    ['GET', /^$/, 'GetFunction'],
    ['GET', /^\/configuration$/, 'GetFunctionConfiguration'],
    ['PUT', /^\/configuration$/, 'UpdateFunctionConfiguration'],
    ['PUT', /^\/code$/, 'UpdateFunctionCode'],
    ['POST', /^\/versions$/, 'PublishVersion'],
    ['GET', /^\/versions$/, 'ListVersionsByFunction'],
    ['POST', /^\/aliases$/, 'CreateAlias'],
    ['GET', /^\/aliases$/, 'ListAliases'],
    ['GET', /^\/aliases\/[^/]+$/, 'GetAlias'],
    ['PUT', /^\/aliases\/[^/]+$/, 'UpdateAlias'],
    ['DELETE', /^$/, 'DeleteFunction'],
  ];
  return table.find(([method, pattern]) => method === request.method && pattern.test(rest))?.[2] ?? `${request.method} ${pathname}`;
}

export function onLambda(operation: string, fault: FaultRule['fault'], times?: number): FaultRule {
  return { match: (request) => lambdaOperation(request) === operation, fault, ...(times === undefined ? {} : { times }) };
}

export const MUTATIONS = ['UpdateFunctionCode', 'UpdateFunctionConfiguration', 'PublishVersion', 'CreateAlias', 'UpdateAlias', 'DeleteFunction'];

/** A REST-JSON error as Lambda sends it. */
export function lambdaError(status: number, type: string, message: string) {
  return { kind: 'respond' as const, status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': type }, body: JSON.stringify({ Type: 'User', message }) };
}
