/**
 * One function, after every check passed: update $LATEST's code and
 * configuration when they differ, publish a version, and move the alias to it
 * (through a canary when asked). A run whose code and configuration equal the
 * alias's version publishes nothing.
 */
import {
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type FunctionConfiguration,
  type UpdateFunctionCodeRequest,
} from '@aws-sdk/client-lambda';
import { call } from '@deploy-suite/aws';
import { ActionFailure, describeError, type Logger } from '@deploy-suite/kit';
import { moveAlias, type AliasContext } from './alias.js';
import type { Clients } from './clients.js';
import { CONFIGURATION_FIELDS, desiredSettings, differences, imageDigest, settingsOf, type Settings } from './configuration.js';
import { mutate, waitForUpdate, type Deadline, type FunctionState } from './lambda.js';
import type { Prepared } from './prepare.js';

export type Outcome = 'published' | 'unchanged' | 'updated' | 'pointed' | 'failed' | 'rolled-back';

export interface FunctionReport {
  functionName: string;
  alias: string | undefined;
  aliasArn: string | undefined;
  /** The version the alias served before this step (empty when it had none). */
  previousVersion: string | undefined;
  /** The version the alias serves now (or was meant to). */
  version: string | undefined;
  codeSha256: string | undefined;
  codeSize: number | undefined;
  changed: boolean;
  rolledBack: boolean;
  /** This step moved (or created) the alias, so a rollback has something to undo. */
  aliasMoved: boolean;
  outcome: Outcome | undefined;
  canary: string | undefined;
  detail: string | undefined;
  deletedVersions: string[];
}

export function newReport(prepared: Prepared): FunctionReport {
  const aliasVersion = prepared.alias?.FunctionVersion;
  return {
    functionName: prepared.spec.functionName,
    alias: prepared.spec.alias,
    aliasArn: prepared.alias?.AliasArn,
    previousVersion: aliasVersion,
    version: undefined,
    codeSha256: undefined,
    codeSize: undefined,
    changed: false,
    rolledBack: false,
    aliasMoved: false,
    outcome: undefined,
    canary: undefined,
    detail: undefined,
    deletedVersions: [],
  };
}

export interface DeployContext {
  clients: Clients;
  log: Logger;
  wait: boolean;
  deadline: () => Deadline;
}

type Comparison = 'same' | 'different' | 'unknown';

/** Whether the new code equals the code of `state` (a version or $LATEST), when that can be known before uploading. */
function compareCode(prepared: Prepared, state: FunctionState | undefined): Comparison {
  if (!state) return 'different';
  const { source } = prepared.spec;
  if (prepared.package) return prepared.package.sha256 === state.configuration.CodeSha256 ? 'same' : 'different';
  if (source.kind === 'image') {
    const wanted = imageDigest(source.uri);
    // A URI given with a digest is that content; a tag is known by what Lambda resolved it to.
    const current = imageDigest(state.code?.ImageUri) ?? imageDigest(state.code?.ResolvedImageUri);
    // The digest is the image's content: the same digest is the same code, whatever the repository's name.
    if (wanted && current) return wanted === current ? 'same' : 'different';
  }
  return 'unknown';
}

function sameAsReference(prepared: Prepared, desired: Settings, code: Comparison): boolean {
  const { reference } = prepared;
  return code === 'same' && reference !== undefined && differences(desired, settingsOf(reference.configuration)).length === 0;
}

async function updateCode(prepared: Prepared, desired: Settings, context: DeployContext): Promise<FunctionConfiguration> {
  const { spec } = prepared;
  const request: UpdateFunctionCodeRequest = { FunctionName: spec.functionName };
  if (spec.source.kind === 'image') request.ImageUri = spec.source.uri;
  else if (spec.source.kind === 's3') Object.assign(request, { S3Bucket: spec.source.bucket, S3Key: spec.source.key });
  else if (prepared.package && spec.upload) {
    const key = spec.upload.key ?? `lambda-publish/${spec.functionName}/${Buffer.from(prepared.package.sha256, 'base64').toString('hex')}.zip`;
    await upload(prepared, spec.upload.bucket, key, context);
    Object.assign(request, { S3Bucket: spec.upload.bucket, S3Key: key });
  } else if (prepared.package) request.ZipFile = prepared.package.bytes;
  if (desired.architecture && (prepared.latest.configuration.PackageType ?? 'Zip') === 'Zip') request.Architectures = [desired.architecture as 'x86_64' | 'arm64'];
  const updated = await mutate('UpdateFunctionCode', () => context.clients.lambda.send(new UpdateFunctionCodeCommand(request)), context.deadline(), context.log);
  context.log.info(`${spec.functionName}: code updated (CodeSha256 ${updated.CodeSha256 ?? '?'}, ${updated.CodeSize ?? '?'} bytes)`);
  return context.wait ? waitForUpdate(context.clients.lambda, spec.functionName, 'the code update', context.deadline(), context.log) : updated;
}

async function upload(prepared: Prepared, bucket: string, key: string, context: DeployContext): Promise<void> {
  const { PutObjectCommand } = await import('@aws-sdk/client-s3');
  const s3 = await context.clients.s3();
  const bytes = prepared.package?.bytes as Buffer;
  await call(`uploading the package of ${prepared.spec.functionName} to s3://${bucket}/${key}`, () => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: 'application/zip' })));
  context.log.info(`${prepared.spec.functionName}: uploaded ${bytes.length} bytes to s3://${bucket}/${key}`);
}

async function updateConfiguration(prepared: Prepared, desired: Settings, context: DeployContext): Promise<FunctionConfiguration> {
  const { spec } = prepared;
  const image = (prepared.latest.configuration.PackageType ?? 'Zip') === 'Image';
  const request = {
    FunctionName: spec.functionName,
    ...(image ? {} : { Handler: desired.handler, Runtime: desired.runtime as never }),
    MemorySize: desired.memoryMb,
    Timeout: desired.timeoutSeconds,
    Environment: { Variables: desired.environment },
  };
  const updated = await mutate('UpdateFunctionConfiguration', () => context.clients.lambda.send(new UpdateFunctionConfigurationCommand(request)), context.deadline(), context.log);
  context.log.info(`${spec.functionName}: configuration updated (${differences(desired, settingsOf(prepared.latest.configuration), CONFIGURATION_FIELDS).join(', ')})`);
  return context.wait ? waitForUpdate(context.clients.lambda, spec.functionName, 'the configuration update', context.deadline(), context.log) : updated;
}

/** What the failure of a configuration update after a code update leaves behind, in words. */
function afterPartialUpdate(prepared: Prepared, codeUpdated: boolean, error: unknown): ActionFailure {
  const { spec, alias } = prepared;
  const aliasState = spec.alias ? (alias ? `alias "${spec.alias}" still serves version ${alias.FunctionVersion}` : `alias "${spec.alias}" was not created`) : 'no alias was touched';
  const code = codeUpdated ? 'the code of $LATEST was updated but its configuration was not; ' : '';
  return new ActionFailure(`${describeError(error)} (${code}nothing was published; ${aliasState})`, { cause: error });
}

async function publish(prepared: Prepared, latestSha: string | undefined, context: DeployContext): Promise<FunctionConfiguration> {
  const { spec } = prepared;
  const published = await mutate(
    'PublishVersion',
    () => context.clients.lambda.send(new PublishVersionCommand({ FunctionName: spec.functionName, Description: spec.description, CodeSha256: latestSha })),
    context.deadline(),
    context.log,
  );
  context.log.info(`${spec.functionName}: published version ${published.Version}`);
  return published;
}

/** Updates $LATEST's code, then its configuration, as far as they differ; a failure says what it left behind. */
async function updateFunction(prepared: Prepared, desired: Settings, codeChanged: boolean, context: DeployContext): Promise<FunctionConfiguration> {
  let latest = prepared.latest.configuration;
  let codeUpdated = false;
  try {
    if (codeChanged) {
      latest = await updateCode(prepared, desired, context);
      codeUpdated = true;
    }
    if (differences(desired, settingsOf(latest), CONFIGURATION_FIELDS).length > 0) latest = await updateConfiguration(prepared, desired, context);
  } catch (error) {
    throw afterPartialUpdate(prepared, codeUpdated, error);
  }
  return latest;
}

/** Deploys one function; fills `report` as it goes, so a failure still says how far it got. */
export async function deployFunction(prepared: Prepared, context: DeployContext, report: FunctionReport): Promise<void> {
  const { spec } = prepared;
  const aliasContext: AliasContext = { ...context, prepared, report };
  if (spec.source.kind === 'version') {
    report.version = spec.source.version;
    const reference = prepared.alias?.FunctionVersion;
    await moveAlias(aliasContext, spec.source.version);
    report.changed = reference !== spec.source.version || report.aliasMoved;
    report.outcome = 'pointed';
    return;
  }
  const desired = desiredSettings(prepared.latest.configuration, spec.configuration);
  const versusReference = compareCode(prepared, prepared.reference);
  report.codeSha256 = prepared.package?.sha256;
  report.codeSize = prepared.package?.bytes.length;
  if (spec.skipUnchanged && spec.publish && sameAsReference(prepared, desired, versusReference)) {
    await skip(aliasContext, prepared.reference as FunctionState);
    return;
  }
  const codeChanged = compareCode(prepared, prepared.latest) !== 'same' || desired.architecture !== settingsOf(prepared.latest.configuration).architecture;
  const latest = await updateFunction(prepared, desired, codeChanged, context);
  report.codeSha256 = latest.CodeSha256 ?? report.codeSha256;
  report.codeSize = latest.CodeSize ?? report.codeSize;
  report.changed = true;
  if (!spec.publish) {
    report.outcome = 'updated';
    return;
  }
  // An image tag or an S3 key says nothing of the code until Lambda has it: compare now.
  const { reference } = prepared;
  if (spec.skipUnchanged && reference && latest.CodeSha256 === reference.configuration.CodeSha256 && differences(desired, settingsOf(reference.configuration)).length === 0) {
    report.changed = false;
    await skip(aliasContext, reference);
    return;
  }
  const published = await publish(prepared, latest.CodeSha256, context);
  report.version = published.Version;
  await moveAlias(aliasContext, published.Version as string);
  report.outcome = 'published';
}

async function skip(context: AliasContext, reference: FunctionState): Promise<void> {
  const { report, prepared } = context;
  const version = reference.configuration.Version as string;
  report.version = version;
  report.codeSha256 = reference.configuration.CodeSha256;
  report.codeSize = reference.configuration.CodeSize;
  context.log.info(`${prepared.spec.functionName}: code and configuration equal version ${version}${prepared.alias ? ` (alias "${prepared.spec.alias}")` : ''}: nothing to publish`);
  // An alias that does not exist yet is still created on the version that has this code, and one
  // left routing a share elsewhere (an interrupted canary) sends everything to it again.
  await moveAlias(context, version);
  report.changed = report.aliasMoved;
  report.outcome = 'unchanged';
}
