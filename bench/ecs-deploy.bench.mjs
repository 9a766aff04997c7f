#!/usr/bin/env node
// ecs-deploy: a full deploy against moto (render, register, update, watch to stable), against the reference.
//
// Side by side, interleaved, in one run, each on a fresh cluster and service:
//   reference: what aws-actions/amazon-ecs-deploy-task-definition does with wait-for-service-stability
//              (register, describe, update, then the SDK's waitUntilServicesStable with its 15 s minimum
//              delay), as one node process using the same AWS SDK
//   action:    the committed bundle (default inputs: poll-interval 10s), process start to exit
// A proxy in front of moto plays ECS: the deployment it starts becomes stable STABLE_AFTER seconds after
// UpdateService (moto never moves one along). For each run: wall time, AWS API calls made, and how long
// after the service became stable the process ended (the action's target: within one poll interval).
// `pnpm bench ecs-deploy` or `node bench/ecs-deploy.bench.mjs [runs] [stable-after-seconds]` (default 3, 65: a roll-out of about a minute, where the waiter's growing delay shows, and not a multiple of the poll interval).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 3);
const stableAfterMs = Number(process.argv[3] ?? 65) * 1000;
const node = process.env.ACTION_NODE || process.execPath;
const requireFromTest = createRequire(path.join(root, 'test', 'package.json'));
const ecsModule = pathToFileURL(requireFromTest.resolve('@aws-sdk/client-ecs')).href;
const { ECSClient, CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand } = await import(ecsModule);
const { EC2Client, CreateVpcCommand, CreateSubnetCommand, CreateSecurityGroupCommand } = await import(pathToFileURL(requireFromTest.resolve('@aws-sdk/client-ec2')).href);

function freePort() {
  return new Promise((resolve) => {
    const server = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startMoto() {
  const which = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' });
  if (which.status !== 0) throw new Error('moto_server not found on PATH. To install: pip install "moto[server]"');
  const port = await freePort();
  const child = spawn(which.stdout.trim(), ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    try {
      if ((await fetch(`${url}/moto-api/data.json`)).ok) break;
    } catch {
      if (attempt > 300) throw new Error('moto_server did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { url, stop: () => child.kill('SIGTERM') };
}

/** Plays ECS in front of moto: a deployment per update, stable STABLE_AFTER after it; counts every call. */
function startEcsProxy(motoUrl) {
  const upstream = new URL(motoUrl);
  const state = { calls: 0, operations: {}, update: undefined };
  const reset = () => Object.assign(state, { calls: 0, operations: {}, update: undefined });
  const rewriteService = (service) => {
    const old = { ...service.deployments[0], status: 'ACTIVE', rolloutState: 'COMPLETED', runningCount: service.desiredCount, pendingCount: 0 };
    if (!state.update) {
      service.deployments = [{ ...old, status: 'PRIMARY' }];
      service.runningCount = service.desiredCount;
      return;
    }
    const stable = Date.now() >= state.update.stableAt;
    const ours = {
      ...old,
      id: 'ecs-svc/bench',
      status: 'PRIMARY',
      taskDefinition: state.update.taskDefinition,
      rolloutState: stable ? 'COMPLETED' : 'IN_PROGRESS',
      runningCount: stable ? service.desiredCount : 0,
      pendingCount: stable ? 0 : service.desiredCount,
    };
    service.deployments = stable ? [ours] : [ours, old];
    service.taskDefinition = state.update.taskDefinition;
    service.runningCount = stable ? service.desiredCount : old.runningCount;
  };
  const server = createServer((incoming, response) => {
    const chunks = [];
    incoming.on('data', (chunk) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(incoming.headers['x-amz-target'] ?? '').split('.').pop();
      state.calls++;
      state.operations[operation] = (state.operations[operation] ?? 0) + 1;
      const outgoing = httpRequest({ hostname: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: upstream.host } }, (answer) => {
        const parts = [];
        answer.on('data', (chunk) => parts.push(chunk));
        answer.on('end', () => {
          let payload = Buffer.concat(parts);
          if (answer.statusCode === 200 && (operation === 'DescribeServices' || operation === 'UpdateService')) {
            const json = JSON.parse(payload.toString('utf8'));
            if (operation === 'UpdateService') {
              const sent = JSON.parse(body.toString('utf8'));
              state.update = { taskDefinition: sent.taskDefinition, stableAt: Date.now() + stableAfterMs };
            }
            for (const service of operation === 'UpdateService' ? [json.service] : json.services) rewriteService(service);
            payload = Buffer.from(JSON.stringify(json));
          }
          const headers = { ...answer.headers, 'content-length': String(payload.length) };
          delete headers['transfer-encoding'];
          response.writeHead(answer.statusCode ?? 502, headers);
          response.end(payload);
        });
      });
      outgoing.on('error', (error) => {
        response.writeHead(502);
        response.end(String(error));
      });
      outgoing.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, state, reset, close: () => server.close() })));
}

const REFERENCE = `
import { ECSClient, DescribeServicesCommand, DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand, waitUntilServicesStable } from ${JSON.stringify(ecsModule)};
const [cluster, service, image] = process.argv.slice(2);
const client = new ECSClient({});
// amazon-ecs-render-task-definition: the task definition file with the new image
const current = (await client.send(new DescribeServicesCommand({ cluster, services: [service] }))).services[0];
const { taskDefinition } = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: current.taskDefinition }));
for (const key of ['taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy']) delete taskDefinition[key];
taskDefinition.containerDefinitions[0].image = image;
// amazon-ecs-deploy-task-definition with wait-for-service-stability: true
const registered = await client.send(new RegisterTaskDefinitionCommand(taskDefinition));
const described = await client.send(new DescribeServicesCommand({ cluster, services: [service] }));
if (described.failures.length > 0 || described.services[0].status !== 'ACTIVE') throw new Error('service not active');
await client.send(new UpdateServiceCommand({ cluster, service, taskDefinition: registered.taskDefinition.taskDefinitionArn, forceNewDeployment: false }));
await waitUntilServicesStable({ client, minDelay: 15, maxWaitTime: 30 * 60 }, { cluster, services: [service] });
`;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

console.log(`Starting moto; ${runs} runs each, the service stable ${stableAfterMs / 1000}s after UpdateService ...`);
const moto = await startMoto();
const proxy = await startEcsProxy(moto.url);
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const ecs = new ECSClient({ endpoint: moto.url, region: 'us-east-1', credentials });
const ec2 = new EC2Client({ endpoint: moto.url, region: 'us-east-1', credentials });
const temp = mkdtempSync(path.join(tmpdir(), 'bench-ecs-'));
const referenceScript = path.join(temp, 'reference.mjs');
writeFileSync(referenceScript, REFERENCE);
const awsEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  AWS_ENDPOINT_URL: proxy.url,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_EC2_METADATA_DISABLED: 'true',
};

let services = 0;
async function freshService() {
  const cluster = `bench-${process.pid}-${services++}`;
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc.VpcId;
  const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.0.1.0/24' }))).Subnet.SubnetId;
  const group = (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: cluster, Description: 'bench' }))).GroupId;
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const registered = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: `${cluster}-web`,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'app', image: 'registry.example/app:1', essential: true, memory: 256 }],
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: 'web',
      taskDefinition: registered.taskDefinition.taskDefinitionArn,
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: [subnet], securityGroups: [group] } },
    }),
  );
  return cluster;
}

function runProcess(args, env) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(node, args, { cwd: temp, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (chunk) => (log += chunk));
    child.stderr.on('data', (chunk) => (log += chunk));
    child.on('close', (code) => {
      const ended = Date.now();
      if (code !== 0) return reject(new Error(`${args[0]} exited ${code}:\n${log.slice(-3000)}`));
      resolve({ wallMs: ended - started, ended });
    });
  });
}

async function measure(kind) {
  const cluster = await freshService();
  proxy.reset();
  const image = `registry.example/app:${kind}-${services}`;
  let result;
  if (kind === 'reference') {
    result = await runProcess([referenceScript, cluster, 'web', image], awsEnv);
  } else {
    for (const file of ['output', 'summary']) writeFileSync(path.join(temp, file), '');
    result = await runProcess([path.join(root, 'actions/ecs-deploy/dist/index.js')], {
      ...awsEnv,
      GITHUB_ACTIONS: 'true',
      GITHUB_SHA: '0'.repeat(40),
      GITHUB_WORKSPACE: temp,
      GITHUB_OUTPUT: path.join(temp, 'output'),
      GITHUB_STEP_SUMMARY: path.join(temp, 'summary'),
      RUNNER_TEMP: temp,
      INPUT_CLUSTER: cluster,
      INPUT_SERVICE: 'web',
      INPUT_CONTAINERS: `app=${image}`,
      'INPUT_FORCE-NEW-DEPLOYMENT': 'false',
      INPUT_WAIT: 'true',
      INPUT_TIMEOUT: '15m',
      'INPUT_POLL-INTERVAL': '10s',
      INPUT_ROLLBACK: 'on-failure',
    });
  }
  if (!proxy.state.update) throw new Error(`${kind} never updated the service`);
  return { wallMs: result.wallMs, calls: proxy.state.calls, lagMs: result.ended - proxy.state.update.stableAt, operations: proxy.state.operations };
}

const results = { reference: [], action: [] };
try {
  for (let run = 0; run < runs; run++) {
    for (const kind of run % 2 === 0 ? ['action', 'reference'] : ['reference', 'action']) {
      const sample = await measure(kind);
      results[kind].push(sample);
      console.log(`  run ${run + 1} ${kind.padEnd(9)} wall ${(sample.wallMs / 1000).toFixed(2)}s, ${sample.calls} API calls, ended ${(sample.lagMs / 1000).toFixed(2)}s after stable  ${JSON.stringify(sample.operations)}`);
    }
  }
  const row = (kind) => {
    const samples = results[kind];
    return { wall: median(samples.map((s) => s.wallMs)), calls: median(samples.map((s) => s.calls)), lag: median(samples.map((s) => s.lagMs)) };
  };
  const action = row('action');
  const reference = row('reference');
  console.log(`\nmedians of ${runs} runs (stable ${stableAfterMs / 1000}s after UpdateService; action poll-interval 10s):`);
  console.log(`  ${'which'.padEnd(10)} ${'wall'.padStart(8)} ${'API calls'.padStart(10)} ${'ended after stable'.padStart(20)}`);
  for (const [name, value] of [['reference', reference], ['action', action]]) {
    console.log(`  ${name.padEnd(10)} ${(value.wall / 1000).toFixed(2).padStart(7)}s ${String(value.calls).padStart(10)} ${(value.lag / 1000).toFixed(2).padStart(19)}s`);
  }
  console.log(`  ratio action/reference: wall ${(action.wall / reference.wall).toFixed(2)}x, ended-after-stable ${(action.lag / Math.max(1, reference.lag)).toFixed(2)}x`);
  console.log(`  target: the action ends within one poll interval (10s) of stable: ${action.lag <= 10_000 ? 'met' : 'NOT met'}`);
} finally {
  proxy.close();
  moto.stop();
  ecs.destroy();
  ec2.destroy();
}
