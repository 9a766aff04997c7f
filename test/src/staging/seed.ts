/**
 * What the staging account holds before the first deploy: a VPC for awsvpc
 * tasks, the ECS cluster with the api and worker services on their first task
 * definitions, ECR repositories, the events Lambda function (version 1 behind
 * the `live` alias), the site's bucket behind a CloudFront distribution, and
 * the IAM roles (the one the workflows assume, the function's execution role).
 */
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client, ModifyVpcAttributeCommand } from '@aws-sdk/client-ec2';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateAliasCommand, CreateFunctionCommand, LambdaClient, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CloudFrontClient, CreateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { crc32 } from 'node:zlib';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

export interface StagingNames {
  cluster: string;
  services: Record<'api' | 'worker', { service: string; family: string; container: string }>;
  functionName: string;
  functionAlias: string;
  bucket: string;
  deployRole: string;
}

export const NAMES: StagingNames = {
  cluster: 'staging',
  services: {
    api: { service: 'api', family: 'staging-api', container: 'api' },
    worker: { service: 'worker', family: 'staging-worker', container: 'worker' },
  },
  functionName: 'staging-events',
  functionAlias: 'live',
  bucket: 'acme-staging-web',
  deployRole: 'staging-deploy',
};

export interface SeededResources extends Infrastructure {
  /** Task definition ARN per service after seeding. */
  taskDefinitions: Record<string, string>;
  ecrRepositories: Record<string, string>;
  functionVersion: string;
}

export interface AwsClients {
  ecs: ECSClient;
  ec2: EC2Client;
  ecr: ECRClient;
  iam: IAMClient;
  lambda: LambdaClient;
  s3: S3Client;
  cloudfront: CloudFrontClient;
  destroy(): void;
}

export function awsClients(endpoint: string): AwsClients {
  const config = { endpoint, region: REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  const clients = {
    ecs: new ECSClient(config),
    ec2: new EC2Client(config),
    ecr: new ECRClient(config),
    iam: new IAMClient(config),
    lambda: new LambdaClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    cloudfront: new CloudFrontClient(config),
  };
  return { ...clients, destroy: () => Object.values(clients).forEach((client) => client.destroy()) };
}

/** A zip archive of files, stored (no compression): what Lambda's CreateFunction takes. */
export function zipOf(files: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const fileName = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(0o100644 * 0x10000, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const TRUST_LAMBDA = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

/** GitHub's OIDC provider may assume the deploy role for this repository's staging environment. */
function deployTrust(repository: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': `repo:${repository}:environment:staging` } },
      },
    ],
  });
}

export interface Infrastructure {
  deployRoleArn: string;
  lambdaRoleArn: string;
  distributionId: string;
  distributionDomain: string;
  subnet: string;
  securityGroup: string;
}

/** What exists before anything runs: roles, network, cluster, bucket and distribution. */
export async function seedInfrastructure(aws: AwsClients, repository: string): Promise<Infrastructure> {
  // In parallel: moto loads each service's backend on its first call, which costs seconds.
  const roles = Promise.all([
    aws.iam.send(new CreateRoleCommand({ RoleName: NAMES.deployRole, AssumeRolePolicyDocument: deployTrust(repository) })),
    aws.iam.send(new CreateRoleCommand({ RoleName: 'staging-events-execution', AssumeRolePolicyDocument: TRUST_LAMBDA })),
  ]);
  const network = (async () => {
    const vpc = (await aws.ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }))).Vpc?.VpcId as string;
    await aws.ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpc, EnableDnsHostnames: { Value: true } }));
    return Promise.all([
      aws.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.20.1.0/24' })).then((answer) => answer.Subnet?.SubnetId as string),
      aws.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: 'staging-tasks', Description: 'staging ECS tasks' })).then((answer) => answer.GroupId as string),
    ]);
  })();
  const cluster = aws.ecs.send(new CreateClusterCommand({ clusterName: NAMES.cluster }));
  const bucket = aws.s3.send(new CreateBucketCommand({ Bucket: NAMES.bucket }));
  const distribution = aws.cloudfront.send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: `staging-${Date.now()}`,
        Comment: 'acme staging web',
        Enabled: true,
        DefaultRootObject: 'index.html',
        Origins: { Quantity: 1, Items: [{ Id: 'site', DomainName: `${NAMES.bucket}.s3.amazonaws.com`, S3OriginConfig: { OriginAccessIdentity: '' } }] },
        DefaultCacheBehavior: { TargetOriginId: 'site', ViewerProtocolPolicy: 'redirect-to-https', MinTTL: 0, ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' } }, TrustedSigners: { Enabled: false, Quantity: 0 } },
      },
    }),
  );
  const [[deployRole, lambdaRole], [subnet, securityGroup], , , created] = await Promise.all([roles, network, cluster, bucket, distribution]);
  return {
    deployRoleArn: deployRole.Role?.Arn as string,
    lambdaRoleArn: lambdaRole.Role?.Arn as string,
    distributionId: created.Distribution?.Id as string,
    distributionDomain: created.Distribution?.DomainName as string,
    subnet,
    securityGroup,
  };
}

export interface SeedInput {
  /** Image reference per service that its first task definition runs. */
  images: Record<'api' | 'worker', string>;
  /** The events function's first code. */
  functionZip: Buffer;
  /** Environment of the first version (APP_VERSION). */
  version: string;
}

/** The workloads on their first versions: task definitions and services, ECR repositories, the function. */
export async function seedWorkloads(aws: AwsClients, infrastructure: Infrastructure, input: SeedInput): Promise<SeededResources> {
  const { subnet, securityGroup } = infrastructure;
  const taskDefinitions: Record<string, string> = {};
  const ecrRepositories: Record<string, string> = {};
  const service = async (key: 'api' | 'worker'): Promise<void> => {
    const names = NAMES.services[key];
    const registered = await aws.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: names.family,
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          {
            name: names.container,
            image: input.images[key],
            essential: true,
            memory: 256,
            ...(key === 'api' ? { portMappings: [{ containerPort: 8080, protocol: 'tcp' }] } : {}),
            environment: [{ name: 'APP_ENV', value: 'staging' }],
          },
        ],
      }),
    );
    taskDefinitions[key] = registered.taskDefinition?.taskDefinitionArn as string;
    await aws.ecs.send(
      new CreateServiceCommand({
        cluster: NAMES.cluster,
        serviceName: names.service,
        taskDefinition: taskDefinitions[key],
        desiredCount: key === 'api' ? 2 : 1,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: [subnet], securityGroups: [securityGroup], assignPublicIp: 'DISABLED' } },
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      }),
    );
    const repository = await aws.ecr.send(new CreateRepositoryCommand({ repositoryName: key }));
    ecrRepositories[key] = repository.repository?.repositoryUri as string;
  };
  const lambda = async (): Promise<string> => {
    await aws.lambda.send(
      new CreateFunctionCommand({
        FunctionName: NAMES.functionName,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: infrastructure.lambdaRoleArn,
        Code: { ZipFile: input.functionZip },
        Environment: { Variables: { APP_VERSION: input.version } },
      }),
    );
    const published = await aws.lambda.send(new PublishVersionCommand({ FunctionName: NAMES.functionName, Description: input.version }));
    await aws.lambda.send(new CreateAliasCommand({ FunctionName: NAMES.functionName, Name: NAMES.functionAlias, FunctionVersion: published.Version }));
    return published.Version as string;
  };
  const [, , functionVersion] = await Promise.all([service('api'), service('worker'), lambda()]);

  return {
    ...infrastructure,
    taskDefinitions,
    ecrRepositories,
    functionVersion,
  };
}
