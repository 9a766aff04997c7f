/**
 * An AWS account of its own for the IAM tests: a moto_server that enforces IAM once the test has set
 * everything up (INITIAL_NO_AUTH_ACTION_COUNT, then /moto-api/reset-auth to 0), the resources the
 * documented policies name (cluster `staging`, service `api`, function `staging-events`, bucket
 * `acme-staging-web`, repository `acme/api`), and one IAM user per policy under test.
 */
import { CloudFrontClient, CreateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client, ModifyVpcAttributeCommand } from '@aws-sdk/client-ec2';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { REPO_ROOT } from '../../src/index.js';
import { startMoto, type MotoServer } from '../../src/services/moto.js';

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
const ROOT = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export interface Statement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}
export interface PolicyDocument {
  Version: string;
  Statement: Statement[];
}

export function documentedPolicy(name: string): PolicyDocument {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, 'docs/iam', `${name}.json`), 'utf8')) as PolicyDocument;
}

export const list = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

/**
 * The documented policy as moto can evaluate it. moto checks actions for every service, but resources
 * only for S3 (anything else is checked against "*"), and it has no values for condition keys such as
 * ecs:cluster: so statements of other services get Resource "*" and no Condition here, and the
 * documented resources and conditions are checked against the fixtures' real ARNs by `covers`.
 */
export function asMotoEvaluates(policy: PolicyDocument, without?: string): PolicyDocument {
  const statements = policy.Statement.filter((statement) => statement.Sid !== without).map((statement) => {
    if (list(statement.Action).every((action) => action.startsWith('s3:'))) return statement;
    const { Condition: _condition, ...rest } = statement;
    return { ...rest, Resource: '*' };
  });
  return { ...policy, Statement: statements };
}

/** IAM's wildcard match (`*` any run of characters, `?` one). */
export function arnMatches(pattern: string, arn: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(arn);
}

/** The statement of `policy` that allows `action` on `arn`, with the condition values the request would carry. */
export function covers(policy: PolicyDocument, action: string, arn: string, context: Record<string, string> = {}): Statement | undefined {
  return policy.Statement.find((statement) => {
    if (statement.Effect !== 'Allow') return false;
    if (!list(statement.Action).some((pattern) => arnMatches(pattern, action))) return false;
    if (!list(statement.Resource).some((pattern) => arnMatches(pattern, arn))) return false;
    return Object.entries(statement.Condition ?? {}).every(([operator, values]) =>
      Object.entries(values).every(([key, expected]) => {
        const actual = context[key];
        if (actual === undefined) return false;
        return operator === 'StringEquals' ? actual === expected : arnMatches(expected, actual);
      }),
    );
  });
}

export interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface Account {
  moto: MotoServer;
  cluster: string;
  service: string;
  serviceArn: string;
  taskDefinitionArn: string;
  family: string;
  functionName: string;
  functionArn: string;
  bucket: string;
  distributionId: string;
  /** Keys of a user that holds exactly the given inline policy. */
  users: Map<string, Keys>;
  stop(): Promise<void>;
}

async function createEcs(endpoint: string): Promise<Pick<Account, 'cluster' | 'service' | 'serviceArn' | 'taskDefinitionArn' | 'family'>> {
  const config = { endpoint, region: REGION, credentials: ROOT };
  const ec2 = new EC2Client(config);
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc?.VpcId as string;
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpc, EnableDnsHostnames: { Value: true } }));
  const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.0.1.0/24' }))).Subnet?.SubnetId as string;
  const securityGroup = (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: 'staging-api', Description: 'api' }))).GroupId as string;
  ec2.destroy();
  const ecs = new ECSClient(config);
  await ecs.send(new CreateClusterCommand({ clusterName: 'staging' }));
  const registered = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'staging-api',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'api', image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/acme/api:first`, essential: true, memory: 256 }],
    }),
  );
  const taskDefinitionArn = registered.taskDefinition?.taskDefinitionArn as string;
  const created = await ecs.send(
    new CreateServiceCommand({
      cluster: 'staging',
      serviceName: 'api',
      taskDefinition: taskDefinitionArn,
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: [subnet], securityGroups: [securityGroup], assignPublicIp: 'DISABLED' } },
    }),
  );
  ecs.destroy();
  return { cluster: 'staging', service: 'api', serviceArn: created.service?.serviceArn as string, taskDefinitionArn, family: 'staging-api' };
}

async function createFunction(endpoint: string): Promise<string> {
  const config = { endpoint, region: REGION, credentials: ROOT };
  const iam = new IAMClient(config);
  const role = await iam.send(new CreateRoleCommand({ RoleName: 'staging-events', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }));
  iam.destroy();
  const lambda = new LambdaClient(config);
  const created = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'staging-events',
      Role: role.Role?.Arn as string,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Code: { ZipFile: zipSync({ 'index.js': strToU8("exports.handler = async () => 'first';\n") }) },
    }),
  );
  lambda.destroy();
  return created.FunctionArn as string;
}

async function createSite(endpoint: string): Promise<{ bucket: string; distributionId: string }> {
  const s3 = new S3Client({ endpoint, region: REGION, forcePathStyle: true, credentials: ROOT });
  const bucket = 'acme-staging-web';
  await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: REGION } }));
  s3.destroy();
  const cloudFront = new CloudFrontClient({ endpoint, region: 'us-east-1', credentials: ROOT });
  const distribution = await cloudFront.send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: randomUUID(),
        Comment: 'acme staging web',
        Enabled: true,
        Origins: { Quantity: 1, Items: [{ Id: 'site', DomainName: `${bucket}.s3.amazonaws.com`, S3OriginConfig: { OriginAccessIdentity: '' } }] },
        DefaultCacheBehavior: { TargetOriginId: 'site', ViewerProtocolPolicy: 'redirect-to-https', MinTTL: 0 } as never,
      },
    }),
  );
  cloudFront.destroy();
  return { bucket, distributionId: distribution.Distribution?.Id as string };
}

/** Starts moto, creates the resources and one user per `policies` entry, then turns IAM enforcement on. */
export async function createAccount(policies: Record<string, PolicyDocument>): Promise<Account> {
  // Enforcement starts when the test says so (reset-auth below), not after a guessed number of calls.
  const moto = await startMoto({ INITIAL_NO_AUTH_ACTION_COUNT: '1000000', MOTO_ACCOUNT_ID: ACCOUNT });
  try {
    const ecs = await createEcs(moto.url);
    const functionArn = await createFunction(moto.url);
    const site = await createSite(moto.url);
    const iam = new IAMClient({ endpoint: moto.url, region: REGION, credentials: ROOT });
    const users = new Map<string, Keys>();
    for (const [name, policy] of Object.entries(policies)) {
      await iam.send(new CreateUserCommand({ UserName: name }));
      await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: name, PolicyDocument: JSON.stringify(policy) }));
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey;
      users.set(name, { accessKeyId: key?.AccessKeyId as string, secretAccessKey: key?.SecretAccessKey as string });
    }
    iam.destroy();
    const response = await fetch(`${moto.url}/moto-api/reset-auth`, { method: 'POST', body: '0' });
    if (!response.ok) throw new Error(`moto reset-auth failed: HTTP ${response.status}`);
    return { moto, ...ecs, functionName: 'staging-events', functionArn, ...site, users, stop: () => moto.stop() };
  } catch (error) {
    await moto.stop();
    throw error;
  }
}

/** The environment of a step that holds `keys` (no session token: an IAM user's keys). */
export function stepEnvironment(endpoint: string, keys: Keys): Record<string, string | undefined> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    AWS_SESSION_TOKEN: undefined,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
