export const id = 538;
export const ids = [538];
export const modules = {

/***/ 4538:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  checkAll: () => (/* binding */ checkAll),
  createClients: () => (/* reexport */ createClients),
  deployAll: () => (/* binding */ deployAll),
  newReport: () => (/* reexport */ newReport),
  pruneAll: () => (/* binding */ pruneAll),
  rollbackAll: () => (/* binding */ rollbackAll)
});

// EXTERNAL MODULE: ../../packages/kit/src/index.ts + 20 modules
var src = __webpack_require__(7524);
// EXTERNAL MODULE: ../../node_modules/.pnpm/@aws-sdk+client-lambda@3.1162.0/node_modules/@aws-sdk/client-lambda/dist-cjs/index.js
var dist_cjs = __webpack_require__(9554);
;// CONCATENATED MODULE: ../../packages/aws/src/index.ts
/**
 * One way to make AWS SDK v3 clients for every action: the region from the
 * input or the environment, the SDK's adaptive retry strategy with a bounded
 * number of attempts (S3: a backoff of the throttled request only, see
 * createS3Client), request timeouts, and the SDK's standard endpoint variables
 * (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>), which the SDK reads itself,
 * so every action runs unchanged against an emulator such as moto.
 */

/** The service ids used in AWS_ENDPOINT_URL_<SERVICE> (the SDK's own names). */
const SERVICE_ENDPOINT_IDS = {
    s3: 'S3',
    cloudfront: 'CLOUDFRONT',
    ecs: 'ECS',
    ecr: 'ECR',
    lambda: 'LAMBDA',
    cloudwatch: 'CLOUDWATCH',
    sts: 'STS',
    ssm: 'SSM',
    secretsmanager: 'SECRETS_MANAGER',
};
const REGION_PATTERN = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
function resolveRegion(input, env = process.env) {
    // The error names where the bad value came from: a bad AWS_REGION is not the input's fault.
    const [source, region] = input
        ? ['input "region"', input]
        : env.AWS_REGION
            ? ['AWS_REGION', env.AWS_REGION]
            : env.AWS_DEFAULT_REGION
                ? ['AWS_DEFAULT_REGION', env.AWS_DEFAULT_REGION]
                : [undefined, undefined];
    if (!region) {
        throw new src/* ConfigurationError */.j1('no AWS region: set the "region" input, or AWS_REGION (aws-actions/configure-aws-credentials sets it)');
    }
    if (!REGION_PATTERN.test(region)) {
        throw new src/* ConfigurationError */.j1(`${source} must be an AWS region such as eu-west-1, got "${region}"`);
    }
    return region;
}
/** The endpoint the SDK will use for this service from the environment, if any. */
function endpointOverride(service, env = process.env) {
    if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true')
        return undefined;
    return env[`AWS_ENDPOINT_URL_${SERVICE_ENDPOINT_IDS[service]}`] || env.AWS_ENDPOINT_URL || undefined;
}
/** The configuration object handed to any `new XxxClient(config)`. */
function clientConfig(options) {
    const env = options.env ?? process.env;
    const config = {
        region: resolveRegion(options.region, env),
        retryMode: 'adaptive',
        maxAttempts: options.maxAttempts ?? 6,
        requestHandler: { requestTimeout: options.requestTimeoutMs ?? 60_000, connectionTimeout: 10_000 },
        customUserAgent: (0,src/* userAgent */.N1)(options.action),
    };
    const endpoint = endpointOverride(options.service, env);
    // The SDK reads endpoint variables from process.env only; an explicit env must say so itself.
    if (endpoint && options.env && options.env !== process.env)
        config.endpoint = endpoint;
    // Emulators serve every bucket from one host; virtual-hosted bucket names would not resolve.
    if (options.service === 's3' && endpoint)
        config.forcePathStyle = true;
    return config;
}
/** A client of any service but S3 (whose clients come from createS3Client). */
function createClient(ClientClass, options) {
    return new ClientClass(clientConfig(options));
}
/**
 * An S3 client: as createClient, except that throttling is answered per request, not per client.
 * S3 answers SlowDown (503) per prefix partition, and adaptive mode's client-side rate limiter then
 * slows every request of the client (a 503 on one PUT in five dropped a sync to about 2 PUTs/s).
 * This strategy backs off only the throttled request, and retries it soon the first time (the SDK's
 * own throttling backoff starts around a second, which held a 503 on one PUT in five to half the
 * unthrottled rate); later retries wait longer. The retry module is loaded here, next to the S3 SDK
 * that loads it anyway, so no action evaluates it before it needs S3.
 */
async function createS3Client(S3Client, options) {
    const { ConfiguredRetryStrategy } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 1124, 19));
    const { retryMode: _adaptive, ...config } = clientConfig({ ...options, service: 's3' });
    const retryStrategy = new ConfiguredRetryStrategy(config.maxAttempts, throttlingBackoff);
    return new S3Client({ ...config, retryStrategy });
}
/** Milliseconds before retry `attempt` (1 = the first retry) of an S3 request: full jitter under 200 ms, 600 ms, 1.8 s, 5.4 s, 16.2 s, never above 20 s. */
function throttlingBackoff(attempt) {
    return Math.floor(Math.random() * Math.min(20_000, 200 * 3 ** (attempt - 1)));
}
/** One line for an AWS error: what failed, the service's code and status, and the attempts made. */
function describeAwsError(operation, error) {
    const shape = (error ?? {});
    const status = shape.$metadata?.httpStatusCode;
    const attempts = shape.$metadata?.attempts;
    const details = [shape.name, status ? `HTTP ${status}` : undefined, attempts && attempts > 1 ? `after ${attempts} attempts` : undefined]
        .filter(Boolean)
        .join(', ');
    const message = (shape.message ?? String(error)).split('\n')[0];
    return `${operation} failed${details ? ` (${details})` : ''}: ${message}`;
}
/** The service's name for an error (`ThrottlingException`, `NoSuchKey`, ...), or undefined for anything else. */
function awsErrorName(error) {
    const name = error?.name;
    return typeof name === 'string' ? name : undefined;
}
/**
 * The names S3 gives an object that is not there: NoSuchKey (GET; its body names the error) and
 * NotFound (a HEAD answer has no body, so the SDK names the error by its 404).
 */
const S3_OBJECT_NOT_FOUND = ['NoSuchKey', 'NotFound'];
async function call(operation, task, options = {}) {
    try {
        return await task();
    }
    catch (error) {
        if (error instanceof src/* ActionFailure */.dR)
            throw error;
        const name = awsErrorName(error);
        if (name !== undefined && options.undefinedOn?.includes(name))
            return undefined;
        const described = describeAwsError(operation, error);
        throw new src/* ActionFailure */.dR(options.explain ? options.explain(described, name) : described, { cause: error });
    }
}
/**
 * One AWS call of a poll (inside kit waitUntil): as `call`, except that a
 * failure that outlasted the SDK's retries (isTransient) is no answer about
 * what is polled: it becomes a warning and `undefined`, for the poll to report
 * "not done" and ask again at its next interval. Any other failure ends the wait.
 */
async function pollCall(operation, task, warn) {
    try {
        return await call(operation, task);
    }
    catch (error) {
        if (!isTransient(error))
            throw error;
        warn(`${error.message}; polling again`);
        return undefined;
    }
}
const TRANSIENT_NAMES = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'SlowDown', 'RequestLimitExceeded', 'ServerException', 'InternalFailure', 'InternalError', 'ServiceUnavailable', 'TimeoutError', 'RequestTimeout']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);
/**
 * Errors a poll may outlive: throttling, 5xx and network faults that outlasted
 * the SDK's own retries. Looks through an ActionFailure from `call` to its cause.
 */
function isTransient(error) {
    if (error instanceof src/* ActionFailure */.dR)
        return error.cause !== undefined && isTransient(error.cause);
    const shape = (error ?? {});
    return (shape.$retryable !== undefined ||
        shape.$fault === 'server' ||
        (shape.$metadata?.httpStatusCode ?? 0) >= 500 ||
        TRANSIENT_NAMES.has(shape.name ?? '') ||
        NETWORK_CODES.has(shape.code ?? ''));
}

;// CONCATENATED MODULE: ./src/lambda.ts
/**
 * The Lambda calls this action makes. Each failure becomes one line naming the
 * operation (packages/aws `call`; the SDK has already retried throttling and
 * 5xx); a ResourceConflictException (an update still in progress) is waited out
 * until the deadline; updates are followed until LastUpdateStatus is
 * Successful, through polls that fail transiently.
 */



const MISSING = ['ResourceNotFoundException'];
/**
 * A call that changes the function: a ResourceConflictException means another
 * update is still running, so it is tried again until the deadline.
 */
async function mutate(operation, task, deadline, log) {
    return call(operation, () => (0,src/* retry */.L5)(task, {
        attempts: Number.MAX_SAFE_INTEGER,
        initialDelayMs: deadline.pollMs,
        maxDelayMs: 5_000,
        factor: 1.5,
        jitter: 0.2,
        retryable: (error) => awsErrorName(error) === 'ResourceConflictException' && Date.now() < deadline.at,
        onRetry: (error, attempt, delayMs) => {
            if (attempt === 1 || attempt % 10 === 0)
                log.info(`${operation}: an update is still in progress (${error.message.split('\n')[0]}); trying again in ${(0,src/* formatDuration */.a3)(delayMs)}`);
        },
    }));
}
async function getFunction(client, functionName, qualifier) {
    const response = await call('GetFunction', () => client.send(new dist_cjs/* GetFunctionCommand */.YF5({ FunctionName: functionName, Qualifier: qualifier })), { undefinedOn: MISSING });
    if (!response)
        return undefined;
    if (!response.Configuration)
        throw new src/* ActionFailure */.dR(`GetFunction returned no configuration for ${functionName}`);
    return { configuration: response.Configuration, code: response.Code };
}
function getAlias(client, functionName, alias) {
    return call('GetAlias', () => client.send(new dist_cjs/* GetAliasCommand */.MES({ FunctionName: functionName, Name: alias })), { undefinedOn: MISSING });
}
async function listVersions(client, functionName) {
    const versions = [];
    let marker;
    do {
        const page = await call('ListVersionsByFunction', () => client.send(new dist_cjs/* ListVersionsByFunctionCommand */.Ox4({ FunctionName: functionName, Marker: marker })));
        versions.push(...(page.Versions ?? []));
        marker = page.NextMarker;
    } while (marker);
    return versions;
}
async function listAliases(client, functionName) {
    const aliases = [];
    let marker;
    do {
        const page = await call('ListAliases', () => client.send(new dist_cjs/* ListAliasesCommand */.UZx({ FunctionName: functionName, Marker: marker })));
        aliases.push(...(page.Aliases ?? []));
        marker = page.NextMarker;
    } while (marker);
    return aliases;
}
/** Why an update ended badly, or undefined while it is fine or still going. */
function updateFailure(configuration) {
    if (configuration.State === 'Failed')
        return `the function is in state Failed (${configuration.StateReasonCode ?? 'no code'}): ${configuration.StateReason ?? 'no reason given'}`;
    if (configuration.LastUpdateStatus === 'Failed') {
        return `the update failed (${configuration.LastUpdateStatusReasonCode ?? 'no code'}): ${configuration.LastUpdateStatusReason ?? 'no reason given'}`;
    }
    return undefined;
}
/** Follows $LATEST until State is Active and LastUpdateStatus Successful; Failed is an ActionFailure with Lambda's reason. */
async function waitForUpdate(client, functionName, what, deadline, log) {
    try {
        return await (0,src/* waitUntil */.a0)(async () => {
            const configuration = await pollCall('GetFunctionConfiguration', () => client.send(new dist_cjs/* GetFunctionConfigurationCommand */.qA6({ FunctionName: functionName })), (line) => log.warning(line));
            if (!configuration)
                return { done: false, status: 'the last GetFunctionConfiguration call failed' };
            const failure = updateFailure(configuration);
            if (failure)
                throw new src/* ActionFailure */.dR(`${what} of ${functionName}: ${failure}`);
            const settled = (configuration.State ?? 'Active') === 'Active' && (configuration.LastUpdateStatus ?? 'Successful') === 'Successful';
            return settled
                ? { done: true, value: configuration }
                : { done: false, status: `State ${configuration.State ?? '?'}, LastUpdateStatus ${configuration.LastUpdateStatus ?? '?'}` };
        }, {
            description: `${what} of ${functionName} to finish`,
            timeoutMs: Math.max(0, deadline.at - Date.now()),
            initialDelayMs: deadline.pollMs,
            maxDelayMs: 5_000,
            factor: 1.5,
            progressIntervalMs: 15_000,
            progress: log.info,
        });
    }
    catch (error) {
        if (error instanceof src/* WaitTimeoutError */.Do)
            throw new src/* ActionFailure */.dR(error.message);
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/alias.ts
/**
 * Moving an alias: created when missing, shifted at once, or through a canary
 * (the old version keeps the alias with a share of the traffic routed to the
 * new one for an interval, while named CloudWatch alarms are watched), and
 * moved back on failure.
 */




/** A canary stopped by an alarm: the step fails, and the rollback decides where the alias ends. */
class CanaryStopped extends src/* ActionFailure */.dR {
}
async function updateAlias(context, version, weights) {
    const { spec } = context.prepared;
    return mutate('UpdateAlias', () => context.clients.lambda.send(new dist_cjs/* UpdateAliasCommand */.lqC({ FunctionName: spec.functionName, Name: spec.alias, FunctionVersion: version, RoutingConfig: { AdditionalVersionWeights: weights } })), context.deadline(), context.log);
}
/** Names of the alarms in state ALARM. */
async function firingAlarms(context, names) {
    const { DescribeAlarmsCommand } = await __webpack_require__.e(/* import() */ 288).then(__webpack_require__.t.bind(__webpack_require__, 7288, 19));
    const cloudwatch = await context.clients.cloudwatch();
    const response = await call('DescribeAlarms', () => cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: names, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] })));
    return [...(response.MetricAlarms ?? []), ...(response.CompositeAlarms ?? [])]
        .filter((alarm) => alarm.StateValue === 'ALARM')
        .map((alarm) => `${alarm.AlarmName}${alarm.StateReason ? ` (${alarm.StateReason})` : ''}`);
}
/** Watches the alarms until the interval is over; throws CanaryStopped when one fires. */
async function watchCanary(context, previous, target) {
    const canary = context.prepared.spec.canary;
    if (!canary)
        return;
    const { functionName, alias } = context.prepared.spec;
    const ends = Date.now() + canary.intervalMs;
    const pollMs = Math.min(15_000, Math.max(1_000, Math.round(canary.intervalMs / 5)));
    for (;;) {
        if (canary.alarms.length > 0) {
            const firing = await firingAlarms(context, canary.alarms);
            if (firing.length > 0) {
                throw new CanaryStopped(`${functionName}: the canary of version ${target} on alias "${alias}" was stopped: alarm ${firing.join(', ')} is in state ALARM (version ${previous} kept the rest of the traffic)`);
            }
        }
        const remaining = ends - Date.now();
        if (remaining <= 0)
            return;
        await (0,src/* sleep */.yy)(Math.min(pollMs, remaining));
    }
}
/** Points the alias at `target`, through the canary when one is asked for and there is a version to shift from. */
async function moveAlias(context, target) {
    const { prepared, report, log } = context;
    const { spec } = prepared;
    if (!spec.alias)
        return;
    const current = prepared.alias;
    if (!current) {
        const created = await mutate('CreateAlias', () => context.clients.lambda.send(new dist_cjs/* CreateAliasCommand */.W_e({ FunctionName: spec.functionName, Name: spec.alias, FunctionVersion: target })), context.deadline(), log);
        report.aliasArn = created.AliasArn;
        report.aliasMoved = true;
        log.info(`${spec.functionName}: created alias "${spec.alias}" on version ${target}`);
        if (spec.canary)
            report.canary = 'not needed: the alias is new';
        return;
    }
    const routed = Object.keys(current.RoutingConfig?.AdditionalVersionWeights ?? {}).length > 0;
    if (current.FunctionVersion === target && !routed) {
        log.info(`${spec.functionName}: alias "${spec.alias}" already serves version ${target}`);
        return;
    }
    const previous = current.FunctionVersion;
    if (spec.canary && previous !== target) {
        report.aliasMoved = true;
        await updateAlias(context, previous, { [target]: spec.canary.weight });
        const share = `${Math.round(spec.canary.weight * 100_000) / 1_000}%`;
        log.info(`${spec.functionName}: canary: alias "${spec.alias}" sends ${share} to version ${target} for ${(0,src/* formatDuration */.a3)(spec.canary.intervalMs)}${spec.canary.alarms.length > 0 ? `, watching ${spec.canary.alarms.join(', ')}` : ''}`);
        report.canary = `${share} for ${(0,src/* formatDuration */.a3)(spec.canary.intervalMs)}: running`;
        try {
            await watchCanary(context, previous, target);
        }
        catch (error) {
            report.canary = `${share}: stopped by an alarm`;
            throw error;
        }
        report.canary = `${share} for ${(0,src/* formatDuration */.a3)(spec.canary.intervalMs)}: passed`;
    }
    report.aliasMoved = true;
    const moved = await updateAlias(context, target, {});
    report.aliasArn = moved.AliasArn ?? report.aliasArn;
    log.info(`${spec.functionName}: alias "${spec.alias}" now serves version ${target} (was ${previous})`);
}
/** Puts the alias back on the version it served before the step, with no routing. */
async function rollbackAlias(context) {
    const { prepared, report, log } = context;
    const previous = prepared.alias?.FunctionVersion;
    if (!report.aliasMoved || !prepared.spec.alias)
        return;
    if (!previous) {
        log.warning(`${prepared.spec.functionName}: alias "${prepared.spec.alias}" was created by this step and had no previous version to go back to; it stays on version ${report.version}`);
        return;
    }
    await updateAlias(context, previous, {});
    report.rolledBack = true;
    report.outcome = 'rolled-back';
    log.info(`${prepared.spec.functionName}: rolled back: alias "${prepared.spec.alias}" serves version ${previous} again`);
}

;// CONCATENATED MODULE: ./src/configuration.ts
function settingsOf(configuration) {
    return {
        handler: configuration.Handler || undefined,
        runtime: configuration.Runtime || undefined,
        memoryMb: configuration.MemorySize,
        timeoutSeconds: configuration.Timeout,
        environment: { ...(configuration.Environment?.Variables ?? {}) },
        architecture: configuration.Architectures?.[0] ?? 'x86_64',
    };
}
function desiredSettings(latest, change) {
    const current = settingsOf(latest);
    return {
        handler: change.handler ?? current.handler,
        runtime: change.runtime ?? current.runtime,
        memoryMb: change.memoryMb ?? current.memoryMb,
        timeoutSeconds: change.timeoutSeconds ?? current.timeoutSeconds,
        environment: { ...current.environment, ...Object.fromEntries(change.environment) },
        architecture: change.architecture ?? current.architecture,
    };
}
function sameEnvironment(a, b) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
}
/** The names of the settings that differ (environment values are never named, only the word). */
function differences(a, b, fields = ['handler', 'runtime', 'memoryMb', 'timeoutSeconds', 'environment', 'architecture']) {
    return fields.filter((field) => (field === 'environment' ? !sameEnvironment(a.environment, b.environment) : a[field] !== b[field]));
}
/** The settings UpdateFunctionConfiguration changes (architecture goes with the code). */
const CONFIGURATION_FIELDS = ['handler', 'runtime', 'memoryMb', 'timeoutSeconds', 'environment'];
/** The sha-256 digest an image URI pins, if it pins one. */
function imageDigest(uri) {
    return uri ? /@(sha256:[a-f0-9]{64})$/.exec(uri)?.[1] : undefined;
}

;// CONCATENATED MODULE: ./src/deploy.ts
/**
 * One function, after every check passed: update $LATEST's code and
 * configuration when they differ, publish a version, and move the alias to it
 * (through a canary when asked). A run whose code and configuration equal the
 * alias's version publishes nothing.
 */






function newReport(prepared) {
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
/** Whether the new code equals the code of `state` (a version or $LATEST), when that can be known before uploading. */
function compareCode(prepared, state) {
    if (!state)
        return 'different';
    const { source } = prepared.spec;
    if (prepared.package)
        return prepared.package.sha256 === state.configuration.CodeSha256 ? 'same' : 'different';
    if (source.kind === 'image') {
        const wanted = imageDigest(source.uri);
        // A URI given with a digest is that content; a tag is known by what Lambda resolved it to.
        const current = imageDigest(state.code?.ImageUri) ?? imageDigest(state.code?.ResolvedImageUri);
        // The digest is the image's content: the same digest is the same code, whatever the repository's name.
        if (wanted && current)
            return wanted === current ? 'same' : 'different';
    }
    return 'unknown';
}
function sameAsReference(prepared, desired, code) {
    const { reference } = prepared;
    return code === 'same' && reference !== undefined && differences(desired, settingsOf(reference.configuration)).length === 0;
}
async function updateCode(prepared, desired, context) {
    const { spec } = prepared;
    const request = { FunctionName: spec.functionName };
    if (spec.source.kind === 'image')
        request.ImageUri = spec.source.uri;
    else if (spec.source.kind === 's3')
        Object.assign(request, { S3Bucket: spec.source.bucket, S3Key: spec.source.key });
    else if (prepared.package && spec.upload) {
        const key = spec.upload.key ?? `lambda-publish/${spec.functionName}/${Buffer.from(prepared.package.sha256, 'base64').toString('hex')}.zip`;
        await upload(prepared, spec.upload.bucket, key, context);
        Object.assign(request, { S3Bucket: spec.upload.bucket, S3Key: key });
    }
    else if (prepared.package)
        request.ZipFile = prepared.package.bytes;
    if (desired.architecture && (prepared.latest.configuration.PackageType ?? 'Zip') === 'Zip')
        request.Architectures = [desired.architecture];
    const updated = await mutate('UpdateFunctionCode', () => context.clients.lambda.send(new dist_cjs/* UpdateFunctionCodeCommand */.KfB(request)), context.deadline(), context.log);
    context.log.info(`${spec.functionName}: code updated (CodeSha256 ${updated.CodeSha256 ?? '?'}, ${updated.CodeSize ?? '?'} bytes)`);
    return context.wait ? waitForUpdate(context.clients.lambda, spec.functionName, 'the code update', context.deadline(), context.log) : updated;
}
async function upload(prepared, bucket, key, context) {
    const { PutObjectCommand } = await __webpack_require__.e(/* import() */ 3).then(__webpack_require__.t.bind(__webpack_require__, 9003, 19));
    const s3 = await context.clients.s3();
    const bytes = prepared.package?.bytes;
    await call(`uploading the package of ${prepared.spec.functionName} to s3://${bucket}/${key}`, () => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: 'application/zip' })));
    context.log.info(`${prepared.spec.functionName}: uploaded ${bytes.length} bytes to s3://${bucket}/${key}`);
}
async function updateConfiguration(prepared, desired, context) {
    const { spec } = prepared;
    const image = (prepared.latest.configuration.PackageType ?? 'Zip') === 'Image';
    const request = {
        FunctionName: spec.functionName,
        ...(image ? {} : { Handler: desired.handler, Runtime: desired.runtime }),
        MemorySize: desired.memoryMb,
        Timeout: desired.timeoutSeconds,
        Environment: { Variables: desired.environment },
    };
    const updated = await mutate('UpdateFunctionConfiguration', () => context.clients.lambda.send(new dist_cjs/* UpdateFunctionConfigurationCommand */.Zlw(request)), context.deadline(), context.log);
    context.log.info(`${spec.functionName}: configuration updated (${differences(desired, settingsOf(prepared.latest.configuration), CONFIGURATION_FIELDS).join(', ')})`);
    return context.wait ? waitForUpdate(context.clients.lambda, spec.functionName, 'the configuration update', context.deadline(), context.log) : updated;
}
/** What the failure of a configuration update after a code update leaves behind, in words. */
function afterPartialUpdate(prepared, codeUpdated, error) {
    const { spec, alias } = prepared;
    const aliasState = spec.alias ? (alias ? `alias "${spec.alias}" still serves version ${alias.FunctionVersion}` : `alias "${spec.alias}" was not created`) : 'no alias was touched';
    const code = codeUpdated ? 'the code of $LATEST was updated but its configuration was not; ' : '';
    return new src/* ActionFailure */.dR(`${(0,src/* describeError */.Uc)(error)} (${code}nothing was published; ${aliasState})`, { cause: error });
}
async function publish(prepared, latestSha, context) {
    const { spec } = prepared;
    const published = await mutate('PublishVersion', () => context.clients.lambda.send(new dist_cjs/* PublishVersionCommand */.D3m({ FunctionName: spec.functionName, Description: spec.description, CodeSha256: latestSha })), context.deadline(), context.log);
    context.log.info(`${spec.functionName}: published version ${published.Version}`);
    return published;
}
/** Updates $LATEST's code, then its configuration, as far as they differ; a failure says what it left behind. */
async function updateFunction(prepared, desired, codeChanged, context) {
    let latest = prepared.latest.configuration;
    let codeUpdated = false;
    try {
        if (codeChanged) {
            latest = await updateCode(prepared, desired, context);
            codeUpdated = true;
        }
        if (differences(desired, settingsOf(latest), CONFIGURATION_FIELDS).length > 0)
            latest = await updateConfiguration(prepared, desired, context);
    }
    catch (error) {
        throw afterPartialUpdate(prepared, codeUpdated, error);
    }
    return latest;
}
/** Deploys one function; fills `report` as it goes, so a failure still says how far it got. */
async function deployFunction(prepared, context, report) {
    const { spec } = prepared;
    const aliasContext = { ...context, prepared, report };
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
        await skip(aliasContext, prepared.reference);
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
    await moveAlias(aliasContext, published.Version);
    report.outcome = 'published';
}
async function skip(context, reference) {
    const { report, prepared } = context;
    const version = reference.configuration.Version;
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

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./src/format.ts
var format = __webpack_require__(6776);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(4426);
// EXTERNAL MODULE: ./src/source-path.ts
var source_path = __webpack_require__(5428);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:worker_threads"
var external_node_worker_threads_ = __webpack_require__(5919);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
;// CONCATENATED MODULE: ./src/zip.ts
/**
 * A deterministic zip of a directory: entries sorted by path, a fixed DOS
 * timestamp, modes reduced to 0644 or 0755 and no extra fields, so the same
 * files give the same bytes (and the same CodeSha256) on every runner,
 * whatever their mtimes, owners or the order readdir returns them in.
 *
 * Files are read and deflated by the main thread and, for a large directory,
 * worker threads at once, taking batches from a shared counter; each entry is
 * compressed on its own, so which thread did it never changes a byte. The zip
 * is then written in entry order into one buffer of the exact size.
 */






/** 1980-01-01 00:00:00: DOS date (year - 1980) << 9 | month << 5 | day, time 0. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
const FILE_MODE = 0o100644;
const EXECUTABLE_MODE = 0o100755;
const STORE = 0;
/** "Version made by": Unix (3) in the high byte, so the modes in the external attributes are read as Unix modes; spec 2.0. */
const MADE_BY = (3 << 8) | 20;
const UTF8_NAMES = 0x0800;
/** Without zip64 a zip counts entries in 16 bits. */
const MAX_ENTRIES = 0xffff;
const MAX_OFFSET = 0xffffffff;
const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const END_RECORD = 22;
/** Below this many files a worker thread costs more to start than it saves. */
const PARALLEL_FROM_FILES = 256;
const MAX_WORKERS = 3;
/** Entries a thread claims at a time: large enough to keep the shared counter cold, small enough to balance. */
const BATCH = 32;
function codeSha256(bytes) {
    return (0,external_node_crypto_.createHash)('sha256').update(bytes).digest('base64');
}
/**
 * Every regular file under root, sorted by zip path. A symlink is followed
 * when it points inside root (as `zip -r` does), refused when it points out;
 * a directory reached again through a symlink inside itself (a cycle) is read once.
 *
 * Each link name is kept (in a Lambda package a link's name is a module path:
 * `node_modules/foo -> .pnpm/...`), so directories linking to each other hold a
 * copy per path and their count multiplies with depth: the walk stops with an
 * input error as soon as it passes what a zip can hold, instead of running on.
 */
function listEntries(root, inputName, limit = MAX_ENTRIES) {
    const realRoot = external_node_fs_.realpathSync(root);
    const entries = [];
    // The real paths of the directories being walked: only a symlink can lead back to one of them.
    const walking = [];
    let walked = 0;
    const add = (entry) => {
        if (entries.push(entry) > limit)
            throw tooManyEntries(inputName, 'files', limit);
    };
    // Synchronous: thousands of small calls cost several times the CPU through the thread pool.
    const walk = (directory, prefix) => {
        // Directories count too: links between empty directories multiply as well.
        if (++walked > limit)
            throw tooManyEntries(inputName, 'directories', limit);
        walking.push(directory);
        for (const child of external_node_fs_.readdirSync(directory, { withFileTypes: true })) {
            // The walk starts at a real path and resolves every symlink, so these paths need no normalizing.
            const file = `${directory}/${child.name}`;
            const name = prefix + child.name;
            if (child.isFile())
                add({ name, file });
            else if (child.isDirectory())
                walk(file, `${name}/`);
            else if (child.isSymbolicLink()) {
                const target = resolveSymlink(realRoot, file, name, inputName);
                const stats = external_node_fs_.statSync(target);
                if (stats.isDirectory() && !walking.includes(target))
                    walk(target, `${name}/`);
                else if (stats.isFile())
                    add({ name, file: target });
            }
        }
        walking.pop();
    };
    walk(realRoot, '');
    return sortByUtf8Name(entries);
}
function tooManyEntries(inputName, what, limit) {
    return new src/* ConfigurationError */.j1(`input "${inputName}": more than ${limit} ${what}, more than a zip without zip64 can hold; symlinks to directories are followed and each path through them is a copy, so links between sibling directories multiply them`);
}
function resolveSymlink(realRoot, file, name, inputName) {
    let target;
    try {
        target = external_node_fs_.realpathSync(file);
    }
    catch {
        throw new src/* ConfigurationError */.j1(`input "${inputName}": "${name}" is a broken symlink`);
    }
    if (!(0,src/* isInside */.FK)(realRoot, target))
        throw new src/* ConfigurationError */.j1(`input "${inputName}": "${name}" is a symlink to ${target}, outside the directory being zipped`);
    return target;
}
/**
 * Byte order of the UTF-8 names, not the locale's: the same on every machine.
 * JavaScript compares UTF-16 code units, which is the same order unless a
 * name holds a character beyond U+FFFF (a surrogate pair): then compare bytes.
 */
function sortByUtf8Name(entries) {
    if (entries.some((entry) => /[\uD800-\uDFFF]/.test(entry.name))) {
        const keyed = entries.map((entry) => ({ entry, key: Buffer.from(entry.name) }));
        return keyed.sort((a, b) => Buffer.compare(a.key, b.key)).map(({ entry }) => entry);
    }
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
/**
 * Reads, checksums and compresses every batch of files this thread claims
 * from the shared counter. Runs in the main thread and, as source text, in
 * worker threads: it refers to nothing outside itself (node:fs and node:zlib
 * come in as arguments).
 */
function compressClaimed(files, counter, batch, nodeFs, nodeZlib) {
    // Deflate cannot shrink these, nor a file this small: storing them saves the attempt.
    const compressed = /\.(?:zip|jar|gz|tgz|bz2|xz|zst|br|7z|png|jpe?g|gif|webp|avif|woff2?|mp[34]|pdf)$/i;
    const tiny = 64;
    const share = { indexes: [], crcs: [], sizes: [], methods: [], executable: [], ends: [], data: Buffer.allocUnsafeSlow(1 << 20) };
    let used = 0;
    // Every file is read into one buffer: deflate copies out what it keeps.
    let scratch = Buffer.allocUnsafeSlow(1 << 20);
    for (let start = Atomics.add(counter, 0, batch); start < files.length; start = Atomics.add(counter, 0, batch)) {
        for (let index = start; index < Math.min(start + batch, files.length); index++) {
            const fd = nodeFs.openSync(files[index], 'r');
            let size = 0;
            try {
                const stats = nodeFs.fstatSync(fd);
                share.executable.push((stats.mode & 0o100) !== 0);
                if (stats.size > scratch.length)
                    scratch = Buffer.allocUnsafeSlow(stats.size);
                for (let got = 1; size < stats.size && got > 0; size += got)
                    got = nodeFs.readSync(fd, scratch, size, stats.size - size, size);
            }
            finally {
                nodeFs.closeSync(fd);
            }
            const content = scratch.subarray(0, size);
            // A window no larger than the file (a function of its size only, so still deterministic) and an output
            // buffer of its size: less memory to set up and fault in, thousands of times over.
            const windowBits = Math.min(15, Math.max(9, Math.ceil(Math.log2(size + 262))));
            const deflated = size < tiny || compressed.test(files[index]) ? undefined : nodeZlib.deflateRawSync(content, { windowBits, chunkSize: size + 64 });
            const stored = deflated === undefined || deflated.length >= size ? content : deflated;
            if (used + stored.length > share.data.length) {
                const grown = Buffer.allocUnsafeSlow(Math.max(2 * share.data.length, used + stored.length));
                grown.set(share.data.subarray(0, used));
                share.data = grown;
            }
            share.data.set(stored, used);
            used += stored.length;
            share.indexes.push(index);
            share.crcs.push(nodeZlib.crc32(content));
            share.sizes.push(size);
            share.methods.push(stored === content ? 0 : 8); // stored : deflated
            share.ends.push(used);
        }
    }
    share.data = share.data.subarray(0, used);
    return share;
}
const WORKER_SOURCE = `const { parentPort } = require('node:worker_threads');
parentPort.once('message', ({ files, counter, batch }) => {
  try {
    const share = (${compressClaimed.toString()})(files, counter, batch, require('node:fs'), require('node:zlib'));
    parentPort.postMessage({ share }, [share.data.buffer]);
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
});`;
function startWorker(source) {
    const worker = new external_node_worker_threads_.Worker(source, { eval: true });
    const answer = new Promise((resolve) => {
        worker.once('message', resolve);
        worker.once('error', (error) => resolve({ error: error.message }));
        // A worker that ended without answering leaves what it claimed undone: the main thread does it.
        worker.once('exit', () => resolve({ share: compressClaimed([], new Int32Array(new SharedArrayBuffer(4)), 1, external_node_fs_, external_node_zlib_) }));
    });
    return { worker, answer };
}
function workerCount(files, options) {
    if (options.workers !== undefined)
        return options.workers;
    return files < PARALLEL_FROM_FILES ? 0 : Math.max(0, Math.min(MAX_WORKERS, (0,external_node_os_.availableParallelism)() - 1));
}
/** Puts a thread's share in place, entry by entry; `at` maps its indexes (a share of a sublist) back. */
function place(results, share, at = (index) => index) {
    share.indexes.forEach((index, i) => {
        const data = share.data.subarray(share.ends[i - 1] ?? 0, share.ends[i]);
        results[at(index)] = { crc: share.crcs[i], size: share.sizes[i], method: share.methods[i], executable: share.executable[i], data };
    });
}
/** Every file read and compressed, in entry order, by this thread and `workers` others sharing one counter. */
async function compressAll(files, workers, workerSource) {
    const started = Array.from({ length: workers }, () => startWorker(workerSource));
    const counter = new Int32Array(new SharedArrayBuffer(4));
    try {
        for (const { worker } of started)
            worker.postMessage({ files, counter, batch: BATCH });
        const results = new Array(files.length);
        // The main thread works too; a worker still starting simply claims fewer batches.
        place(results, compressClaimed(files, counter, BATCH, external_node_fs_, external_node_zlib_));
        for (const { answer } of started) {
            const settled = await answer;
            if ('error' in settled)
                throw new Error(settled.error);
            place(results, settled.share);
        }
        const missing = [...results.keys()].filter((index) => results[index] === undefined);
        if (missing.length > 0) {
            const redone = compressClaimed(missing.map((index) => files[index]), new Int32Array(new SharedArrayBuffer(4)), BATCH, external_node_fs_, external_node_zlib_);
            place(results, redone, (at) => missing[at]);
        }
        return results;
    }
    finally {
        for (const { worker } of started)
            void worker.terminate();
    }
}
/** Writes the local headers and data in entry order, then the central directory and its end record. */
function writeZip(entries, results, inputName) {
    const names = entries.map((entry) => Buffer.from(entry.name));
    let dataSize = 0;
    let directorySize = 0;
    for (let index = 0; index < entries.length; index++) {
        dataSize += LOCAL_HEADER + names[index].length + results[index].data.length;
        directorySize += CENTRAL_HEADER + names[index].length;
    }
    // Without zip64 (far beyond Lambda's 250 MB unzipped limit) offsets and sizes are 32 bits.
    if (dataSize + directorySize > MAX_OFFSET)
        throw new src/* ConfigurationError */.j1(`input "${inputName}": the zip would be larger than 4 GB, which a zip without zip64 cannot hold`);
    const out = Buffer.allocUnsafe(dataSize + directorySize + END_RECORD);
    let at = 0;
    let central = dataSize;
    for (let index = 0; index < entries.length; index++) {
        const name = names[index];
        const { crc, size, method, executable, data } = results[index];
        const flags = name.length === entries[index]?.name.length ? 0 : UTF8_NAMES;
        const version = method === STORE ? 10 : 20;
        // Local file header.
        out.writeUInt32LE(0x04034b50, at);
        out.writeUInt16LE(version, at + 4);
        out.writeUInt16LE(flags, at + 6);
        out.writeUInt16LE(method, at + 8);
        out.writeUInt16LE(DOS_TIME, at + 10);
        out.writeUInt16LE(DOS_DATE, at + 12);
        out.writeUInt32LE(crc, at + 14);
        out.writeUInt32LE(data.length, at + 18);
        out.writeUInt32LE(size, at + 22);
        out.writeUInt16LE(name.length, at + 26);
        out.writeUInt16LE(0, at + 28);
        name.copy(out, at + LOCAL_HEADER);
        out.set(data, at + LOCAL_HEADER + name.length);
        // Central directory header.
        out.writeUInt32LE(0x02014b50, central);
        out.writeUInt16LE(MADE_BY, central + 4);
        out.copy(out, central + 6, at + 4, at + 28);
        out.writeUInt16LE(0, central + 30); // extra field length
        out.writeUInt16LE(0, central + 32); // comment length
        out.writeUInt16LE(0, central + 34); // disk number
        out.writeUInt16LE(0, central + 36); // internal attributes
        out.writeUInt32LE(((executable ? EXECUTABLE_MODE : FILE_MODE) << 16) >>> 0, central + 38);
        out.writeUInt32LE(at, central + 42);
        name.copy(out, central + CENTRAL_HEADER);
        at += LOCAL_HEADER + name.length + data.length;
        central += CENTRAL_HEADER + name.length;
    }
    out.writeUInt32LE(0x06054b50, central);
    out.writeUInt32LE(0, central + 4); // this disk, disk with the directory
    out.writeUInt16LE(entries.length, central + 8);
    out.writeUInt16LE(entries.length, central + 10);
    out.writeUInt32LE(directorySize, central + 12);
    out.writeUInt32LE(dataSize, central + 16);
    out.writeUInt16LE(0, central + 20); // comment length
    return out;
}
async function zipDirectory(root, inputName, options = {}) {
    const entries = listEntries(root, inputName);
    if (entries.length === 0)
        throw new src/* ConfigurationError */.j1(`input "${inputName}": the directory has no files to zip`);
    const files = entries.map((entry) => entry.file);
    const workers = workerCount(files.length, options);
    let compressed;
    try {
        compressed = await compressAll(files, workers, options.workerSource ?? WORKER_SOURCE);
    }
    catch (error) {
        // A file the runner's user may not read (written by a container as root): one line naming the input, not an unexpected error.
        throw new src/* ConfigurationError */.j1(`input "${inputName}": a file could not be read or compressed (${(0,src/* describeError */.Uc)(error)})`);
    }
    const bytes = writeZip(entries, compressed, inputName);
    return { bytes, sha256: codeSha256(bytes), fileCount: entries.length, threads: 1 + workers };
}

;// CONCATENATED MODULE: ./src/prepare.ts
/**
 * Everything that can be checked before any function is touched: the package
 * (zipped here, or read: no AWS request yet), then the function, its alias and
 * the version that alias serves, the S3 object, the alarms. Bad input for any
 * function fails the step here, before a single update.
 */








const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
async function readPackage(spec, log) {
    const { source } = spec;
    if (source.kind === 'zip-directory') {
        const name = spec.inputName(constants/* FunctionInput */.ZN.ZipDirectory);
        const directory = (0,source_path/* sourcePath */.Z)(spec);
        const started = Date.now();
        const zipped = await zipDirectory(directory, name);
        log.info(`${spec.functionName}: zipped ${zipped.fileCount} files from ${source.path} into ${(0,format/* formatBytes */.z)(zipped.bytes.length)} in ${(0,src/* formatDuration */.a3)(Date.now() - started)}${zipped.threads && zipped.threads > 1 ? ` on ${zipped.threads} threads` : ''} (SHA-256 ${zipped.sha256})`);
        return zipped;
    }
    if (source.kind === 'zip-file') {
        const name = spec.inputName(constants/* FunctionInput */.ZN.ZipFile);
        const bytes = await (0,promises_.readFile)((0,source_path/* sourcePath */.Z)(spec));
        if (!bytes.subarray(0, 4).equals(ZIP_MAGIC))
            throw new src/* ConfigurationError */.j1(`input "${name}": "${source.path}" is not a zip file`);
        return { bytes, sha256: codeSha256(bytes), fileCount: 0 };
    }
    return undefined;
}
function checkPackageType(spec, latest) {
    const packageType = latest.configuration.PackageType ?? 'Zip';
    const { source } = spec;
    if (source.kind === 'version')
        return;
    const wantsImage = source.kind === 'image';
    if (wantsImage && packageType !== 'Image') {
        throw new src/* ConfigurationError */.j1(`input "${spec.inputName(constants/* FunctionInput */.ZN.ImageUri)}": function "${spec.functionName}" is a zip function; Lambda cannot switch it to a container image`);
    }
    if (!wantsImage && packageType === 'Image') {
        throw new src/* ConfigurationError */.j1(`function "${spec.functionName}" is a container image function: give "${spec.inputName(constants/* FunctionInput */.ZN.ImageUri)}", not a zip`);
    }
}
function checkUploadSize(spec, zipped) {
    if (!zipped || spec.upload || zipped.bytes.length <= constants/* DIRECT_UPLOAD_LIMIT_BYTES */.mg)
        return;
    const input = spec.source.kind === 'zip-directory' ? constants/* FunctionInput */.ZN.ZipDirectory : constants/* FunctionInput */.ZN.ZipFile;
    throw new src/* ConfigurationError */.j1(`input "${spec.inputName(input)}": the package of "${spec.functionName}" is ${(0,format/* formatBytes */.z)(zipped.bytes.length)}, above Lambda's 50 MB limit for a direct upload; give "${spec.inputName(constants/* FunctionInput */.ZN.S3Bucket)}" to upload it through S3`);
}
async function checkS3Object(spec, clients) {
    if (spec.source.kind !== 's3')
        return;
    const { bucket, key } = spec.source;
    const { HeadObjectCommand } = await __webpack_require__.e(/* import() */ 3).then(__webpack_require__.t.bind(__webpack_require__, 9003, 19));
    const s3 = await clients.s3();
    // Lambda would take a missing key as an empty package on some emulators, and fail late on AWS.
    const found = await call('HeadObject', () => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })), { undefinedOn: [...S3_OBJECT_NOT_FOUND, 'NoSuchBucket'] });
    if (!found)
        throw new src/* ConfigurationError */.j1(`input "${spec.inputName(constants/* FunctionInput */.ZN.S3Key)}": no object s3://${bucket}/${key}`);
}
async function checkAlarms(spec, clients) {
    const names = spec.canary?.alarms ?? [];
    if (names.length === 0)
        return;
    const { DescribeAlarmsCommand } = await __webpack_require__.e(/* import() */ 288).then(__webpack_require__.t.bind(__webpack_require__, 7288, 19));
    const cloudwatch = await clients.cloudwatch();
    const response = await call('DescribeAlarms', () => cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: names, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] })));
    const found = new Set([...(response.MetricAlarms ?? []), ...(response.CompositeAlarms ?? [])].map((alarm) => alarm.AlarmName));
    const missing = names.filter((name) => !found.has(name));
    if (missing.length > 0)
        throw new src/* ConfigurationError */.j1(`input "${spec.inputName(constants/* FunctionInput */.ZN.Alarms)}": no CloudWatch alarm named ${missing.map((name) => `"${name}"`).join(', ')}`);
}
/** The newest published version (numeric), or undefined when none was ever published. */
function newestVersion(versions) {
    const numbers = versions.map((version) => Number(version.Version)).filter((value) => Number.isInteger(value) && value > 0);
    return numbers.length === 0 ? undefined : String(Math.max(...numbers));
}
async function readReference(spec, clients, alias) {
    const version = alias?.FunctionVersion ?? newestVersion(await listVersions(clients.lambda, spec.functionName));
    if (version === undefined || version === '$LATEST')
        return undefined;
    const reference = await getFunction(clients.lambda, spec.functionName, version);
    if (!reference)
        throw new src/* ConfigurationError */.j1(`function "${spec.functionName}": alias "${spec.alias}" points to version ${version}, which does not exist`);
    return reference;
}
/** The package of a zip source, zipped or read and checked; undefined for the other sources. No AWS request. */
async function preparePackage(spec, log) {
    const zipped = await readPackage(spec, log);
    checkUploadSize(spec, zipped);
    return zipped;
}
async function prepare(spec, zipped, clients) {
    const latest = await getFunction(clients.lambda, spec.functionName);
    if (!latest)
        throw new src/* ConfigurationError */.j1(`input "${spec.inputName(constants/* FunctionInput */.ZN.FunctionName)}": no Lambda function "${spec.functionName}" in this account and region (this action updates functions, it does not create them)`);
    checkPackageType(spec, latest);
    const alias = spec.alias === undefined ? undefined : await getAlias(clients.lambda, spec.functionName, spec.alias);
    if (spec.source.kind === 'version' && !(await getFunction(clients.lambda, spec.functionName, spec.source.version))) {
        throw new src/* ConfigurationError */.j1(`input "${spec.inputName(constants/* FunctionInput */.ZN.Version)}": function "${spec.functionName}" has no version ${spec.source.version}`);
    }
    const reference = spec.source.kind === 'version' ? undefined : await readReference(spec, clients, alias);
    await checkS3Object(spec, clients);
    await checkAlarms(spec, clients);
    return { spec, latest, alias, reference, package: zipped };
}
/** For the summary: the canary's shape in words. */
function describeCanary(spec) {
    if (!spec.canary)
        return undefined;
    const alarms = spec.canary.alarms.length > 0 ? `, watching ${spec.canary.alarms.join(', ')}` : '';
    return `${Math.round(spec.canary.weight * 100_000) / 1_000}% for ${formatDuration(spec.canary.intervalMs)}${alarms}`;
}

;// CONCATENATED MODULE: ./src/versions.ts
/**
 * keep-versions: published versions beyond the newest N that no alias serves
 * (nor routes a share to) are deleted; the version the alias left in this step
 * is kept too, as the way back.
 */



/** The versions to delete, oldest first. */
function versionsToDelete(versions, aliases, keep, alsoKeep) {
    const inUse = new Set(alsoKeep.filter((version) => version !== undefined));
    for (const alias of aliases) {
        if (alias.FunctionVersion)
            inUse.add(alias.FunctionVersion);
        for (const version of Object.keys(alias.RoutingConfig?.AdditionalVersionWeights ?? {}))
            inUse.add(version);
    }
    const published = versions.filter((version) => /^\d+$/.test(version)).sort((a, b) => Number(b) - Number(a));
    return published
        .slice(keep)
        .filter((version) => !inUse.has(version))
        .reverse();
}
async function pruneVersions(client, functionName, keep, alsoKeep, log) {
    const [versions, aliases] = await Promise.all([listVersions(client, functionName), listAliases(client, functionName)]);
    const doomed = versionsToDelete(versions.map((version) => version.Version ?? ''), aliases, keep, alsoKeep);
    for (const version of doomed) {
        await call('DeleteFunction', () => client.send(new dist_cjs/* DeleteFunctionCommand */.Z3K({ FunctionName: functionName, Qualifier: version })));
    }
    if (doomed.length > 0)
        log.info(`${functionName}: deleted version${doomed.length > 1 ? 's' : ''} ${doomed.join(', ')} (keep-versions ${keep})`);
    return doomed;
}

;// CONCATENATED MODULE: ./src/clients.ts



function once(make) {
    let made;
    return () => (made ??= make());
}
function createClients(region) {
    return {
        lambda: createClient(dist_cjs/* LambdaClient */.Nox, { action: constants/* ACTION_NAME */.px, service: 'lambda', region }),
        s3: once(async () => {
            const { S3Client } = await __webpack_require__.e(/* import() */ 3).then(__webpack_require__.t.bind(__webpack_require__, 9003, 19));
            return createS3Client(S3Client, { action: constants/* ACTION_NAME */.px, region });
        }),
        cloudwatch: once(async () => {
            const { CloudWatchClient } = await __webpack_require__.e(/* import() */ 288).then(__webpack_require__.t.bind(__webpack_require__, 7288, 19));
            return createClient(CloudWatchClient, { action: constants/* ACTION_NAME */.px, service: 'cloudwatch', region });
        }),
    };
}

;// CONCATENATED MODULE: ./src/publish.ts
/**
 * The phases of a run once the inputs are read, over every function: check
 * and package, deploy, roll back, prune. main.ts imports this module only
 * after getInputs(), so a bad input fails without loading the Lambda SDK.
 */







/**
 * Every package first (a link out of a zip-directory, or a zip-file that is no zip, fails before any AWS
 * request), then what AWS holds for each function.
 */
async function checkAll(inputs, clients, limit, log) {
    const packages = await Promise.all(inputs.functions.map((spec) => limit(() => preparePackage(spec, log))));
    return Promise.all(inputs.functions.map((spec, index) => limit(() => prepare(spec, packages[index], clients))));
}
/** Deploys every function; returns one line per failed function. */
async function deployAll(prepared, reports, context, limit) {
    const settled = await Promise.allSettled(prepared.map((item, index) => limit(() => deployFunction(item, context, reports[index]))));
    const failed = [];
    settled.forEach((result, index) => {
        if (result.status === 'fulfilled')
            return;
        const report = reports[index];
        report.outcome = 'failed';
        report.detail = (0,src/* describeError */.Uc)(result.reason);
        failed.push(prepared.length > 1 && !report.detail.startsWith(report.functionName) ? `${report.functionName}: ${report.detail}` : report.detail);
    });
    return failed;
}
/**
 * After any failure, every alias this step moved goes back: the failed
 * function's, and with several functions the others' too, so the set of
 * functions is left as it was rather than half-deployed. A rollback that
 * fails is reported through `error` and the others still run.
 */
async function rollbackAll(prepared, reports, context, error) {
    for (const [index, item] of prepared.entries()) {
        const report = reports[index];
        try {
            await rollbackAlias({ ...context, prepared: item, report });
        }
        catch (failure) {
            error(`${report.functionName}: the rollback failed: ${(0,src/* describeError */.Uc)(failure)}; alias "${item.spec.alias}" may still route to version ${report.version}`);
        }
    }
}
async function pruneAll(prepared, reports, clients, log) {
    for (const [index, item] of prepared.entries()) {
        if (item.spec.keepVersions === undefined)
            continue;
        const report = reports[index];
        try {
            report.deletedVersions = await pruneVersions(clients.lambda, item.spec.functionName, item.spec.keepVersions, [report.previousVersion, report.version], log);
        }
        catch (failure) {
            // Tidying up is worth a warning, never a failed deploy.
            log.warning(`${report.functionName}: old versions were not deleted: ${(0,src/* describeError */.Uc)(failure)}`);
        }
    }
}


/***/ })

};
