/**
 * Everything that can be checked before any function is touched: the package
 * (zipped here, or read: no AWS request yet), then the function, its alias and
 * the version that alias serves, the S3 object, the alarms. Bad input for any
 * function fails the step here, before a single update.
 */
import { readFile } from 'node:fs/promises';
import type { AliasConfiguration } from '@aws-sdk/client-lambda';
import { call, S3_OBJECT_NOT_FOUND } from '@deploy-suite/aws';
import { ConfigurationError, formatDuration, type Logger } from '@deploy-suite/kit';
import type { Clients } from './clients.js';
import { formatBytes } from './format.js';
import { DIRECT_UPLOAD_LIMIT_BYTES, FunctionInput } from './constants.js';
import { getAlias, getFunction, listVersions, type FunctionState } from './lambda.js';
import { sourcePath } from './source-path.js';
import type { FunctionSpec } from './spec.js';
import { codeSha256, zipDirectory, type Package } from './zip.js';

export interface Prepared {
  spec: FunctionSpec;
  latest: FunctionState;
  /** The alias as it was; undefined when it does not exist yet (or no alias is used). */
  alias: AliasConfiguration | undefined;
  /** What the new code is compared with: the alias's version, else the newest published one. */
  reference: FunctionState | undefined;
  /** The zip, for zip sources. */
  package: Package | undefined;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

async function readPackage(spec: FunctionSpec, log: Logger): Promise<Package | undefined> {
  const { source } = spec;
  if (source.kind === 'zip-directory') {
    const name = spec.inputName(FunctionInput.ZipDirectory);
    const directory = sourcePath(spec) as string;
    const started = Date.now();
    const zipped = await zipDirectory(directory, name);
    log.info(`${spec.functionName}: zipped ${zipped.fileCount} files from ${source.path} into ${formatBytes(zipped.bytes.length)} in ${formatDuration(Date.now() - started)}${zipped.threads && zipped.threads > 1 ? ` on ${zipped.threads} threads` : ''} (SHA-256 ${zipped.sha256})`);
    return zipped;
  }
  if (source.kind === 'zip-file') {
    const name = spec.inputName(FunctionInput.ZipFile);
    const bytes = await readFile(sourcePath(spec) as string);
    if (!bytes.subarray(0, 4).equals(ZIP_MAGIC)) throw new ConfigurationError(`input "${name}": "${source.path}" is not a zip file`);
    return { bytes, sha256: codeSha256(bytes), fileCount: 0 };
  }
  return undefined;
}

function checkPackageType(spec: FunctionSpec, latest: FunctionState): void {
  const packageType = latest.configuration.PackageType ?? 'Zip';
  const { source } = spec;
  if (source.kind === 'version') return;
  const wantsImage = source.kind === 'image';
  if (wantsImage && packageType !== 'Image') {
    throw new ConfigurationError(`input "${spec.inputName(FunctionInput.ImageUri)}": function "${spec.functionName}" is a zip function; Lambda cannot switch it to a container image`);
  }
  if (!wantsImage && packageType === 'Image') {
    throw new ConfigurationError(`function "${spec.functionName}" is a container image function: give "${spec.inputName(FunctionInput.ImageUri)}", not a zip`);
  }
}

function checkUploadSize(spec: FunctionSpec, zipped: Package | undefined): void {
  if (!zipped || spec.upload || zipped.bytes.length <= DIRECT_UPLOAD_LIMIT_BYTES) return;
  const input = spec.source.kind === 'zip-directory' ? FunctionInput.ZipDirectory : FunctionInput.ZipFile;
  throw new ConfigurationError(
    `input "${spec.inputName(input)}": the package of "${spec.functionName}" is ${formatBytes(zipped.bytes.length)}, above Lambda's 50 MB limit for a direct upload; give "${spec.inputName(FunctionInput.S3Bucket)}" to upload it through S3`,
  );
}

async function checkS3Object(spec: FunctionSpec, clients: Clients): Promise<void> {
  if (spec.source.kind !== 's3') return;
  const { bucket, key } = spec.source;
  const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
  const s3 = await clients.s3();
  // Lambda would take a missing key as an empty package on some emulators, and fail late on AWS.
  const found = await call('HeadObject', () => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })), { undefinedOn: [...S3_OBJECT_NOT_FOUND, 'NoSuchBucket'] });
  if (!found) throw new ConfigurationError(`input "${spec.inputName(FunctionInput.S3Key)}": no object s3://${bucket}/${key}`);
}

async function checkAlarms(spec: FunctionSpec, clients: Clients): Promise<void> {
  const names = spec.canary?.alarms ?? [];
  if (names.length === 0) return;
  const { DescribeAlarmsCommand } = await import('@aws-sdk/client-cloudwatch');
  const cloudwatch = await clients.cloudwatch();
  const response = await call('DescribeAlarms', () => cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: names, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] })));
  const found = new Set([...(response.MetricAlarms ?? []), ...(response.CompositeAlarms ?? [])].map((alarm) => alarm.AlarmName));
  const missing = names.filter((name) => !found.has(name));
  if (missing.length > 0) throw new ConfigurationError(`input "${spec.inputName(FunctionInput.Alarms)}": no CloudWatch alarm named ${missing.map((name) => `"${name}"`).join(', ')}`);
}

/** The newest published version (numeric), or undefined when none was ever published. */
export function newestVersion(versions: readonly { Version?: string | undefined }[]): string | undefined {
  const numbers = versions.map((version) => Number(version.Version)).filter((value) => Number.isInteger(value) && value > 0);
  return numbers.length === 0 ? undefined : String(Math.max(...numbers));
}

async function readReference(spec: FunctionSpec, clients: Clients, alias: AliasConfiguration | undefined): Promise<FunctionState | undefined> {
  const version = alias?.FunctionVersion ?? newestVersion(await listVersions(clients.lambda, spec.functionName));
  if (version === undefined || version === '$LATEST') return undefined;
  const reference = await getFunction(clients.lambda, spec.functionName, version);
  if (!reference) throw new ConfigurationError(`function "${spec.functionName}": alias "${spec.alias}" points to version ${version}, which does not exist`);
  return reference;
}

/** The package of a zip source, zipped or read and checked; undefined for the other sources. No AWS request. */
export async function preparePackage(spec: FunctionSpec, log: Logger): Promise<Package | undefined> {
  const zipped = await readPackage(spec, log);
  checkUploadSize(spec, zipped);
  return zipped;
}

export async function prepare(spec: FunctionSpec, zipped: Package | undefined, clients: Clients): Promise<Prepared> {
  const latest = await getFunction(clients.lambda, spec.functionName);
  if (!latest) throw new ConfigurationError(`input "${spec.inputName(FunctionInput.FunctionName)}": no Lambda function "${spec.functionName}" in this account and region (this action updates functions, it does not create them)`);
  checkPackageType(spec, latest);
  const alias = spec.alias === undefined ? undefined : await getAlias(clients.lambda, spec.functionName, spec.alias);
  if (spec.source.kind === 'version' && !(await getFunction(clients.lambda, spec.functionName, spec.source.version))) {
    throw new ConfigurationError(`input "${spec.inputName(FunctionInput.Version)}": function "${spec.functionName}" has no version ${spec.source.version}`);
  }
  const reference = spec.source.kind === 'version' ? undefined : await readReference(spec, clients, alias);
  await checkS3Object(spec, clients);
  await checkAlarms(spec, clients);
  return { spec, latest, alias, reference, package: zipped };
}

/** For the summary: the canary's shape in words. */
export function describeCanary(spec: FunctionSpec): string | undefined {
  if (!spec.canary) return undefined;
  const alarms = spec.canary.alarms.length > 0 ? `, watching ${spec.canary.alarms.join(', ')}` : '';
  return `${Math.round(spec.canary.weight * 100_000) / 1_000}% for ${formatDuration(spec.canary.intervalMs)}${alarms}`;
}
