export const id = 177;
export const ids = [177];
export const modules = {

/***/ 5177:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ecrClient: () => (/* binding */ ecrClient),
  ensureRepository: () => (/* binding */ ensureRepository),
  getLogin: () => (/* binding */ getLogin),
  lifecyclePolicy: () => (/* binding */ lifecyclePolicy)
});

// EXTERNAL MODULE: ../../node_modules/.pnpm/@aws-sdk+client-ecr@3.1162.0/node_modules/@aws-sdk/client-ecr/dist-cjs/index.js
var dist_cjs = __webpack_require__(8640);
// EXTERNAL MODULE: ../../packages/kit/src/index.ts + 20 modules
var src = __webpack_require__(7524);
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
const S3_OBJECT_NOT_FOUND = (/* unused pure expression or super */ null && (['NoSuchKey', 'NotFound']));
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
    if (error instanceof ActionFailure)
        return error.cause !== undefined && isTransient(error.cause);
    const shape = (error ?? {});
    return (shape.$retryable !== undefined ||
        shape.$fault === 'server' ||
        (shape.$metadata?.httpStatusCode ?? 0) >= 500 ||
        TRANSIENT_NAMES.has(shape.name ?? '') ||
        NETWORK_CODES.has(shape.code ?? ''));
}

// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(4426);
;// CONCATENATED MODULE: ./src/ecr.ts
/**
 * Amazon ECR: the login token, and a missing repository created with scan-on-push,
 * the requested tag mutability and an optional lifecycle policy. Loaded with a
 * dynamic import only when the registry is ECR, so other registries never load the SDK.
 */




function ecrClient(region) {
    return createClient(dist_cjs/* ECRClient */.S70, { action: constants/* ACTION_NAME */.px, service: 'ecr', region });
}
/** GetAuthorizationToken: a base64 `AWS:<password>` and the registry endpoint it is for. */
async function getLogin(client, registryId) {
    const answer = await call('getting an ECR login token (ecr:GetAuthorizationToken)', () => client.send(new dist_cjs/* GetAuthorizationTokenCommand */.Eu6(registryId ? { registryIds: [registryId] } : {})));
    const data = answer.authorizationData?.[0];
    const decoded = Buffer.from(data?.authorizationToken ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (!data?.proxyEndpoint || colon <= 0)
        throw new src/* ActionFailure */.dR('ECR answered GetAuthorizationToken without a usable token or endpoint');
    return { credentials: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }, endpoint: data.proxyEndpoint };
}
/** The lifecycle policy that expires untagged images beyond the newest `keep`. */
function lifecyclePolicy(keep) {
    return JSON.stringify({
        rules: [
            {
                rulePriority: 1,
                description: `keep the ${keep} newest untagged images (deploy-suite build-push)`,
                selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: keep },
                action: { type: 'expire' },
            },
        ],
    });
}
/** Creates the repository when it is missing; returns whether it did. */
async function ensureRepository(client, name, settings, registryId) {
    const registry = registryId ? { registryId } : {};
    const found = await call(`looking up ECR repository ${name}`, () => client.send(new dist_cjs/* DescribeRepositoriesCommand */.pE_({ repositoryNames: [name], ...registry })), {
        undefinedOn: ['RepositoryNotFoundException'],
    });
    if (found)
        return false;
    const creation = { repositoryName: name, imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: settings.immutableTags ? 'IMMUTABLE' : 'MUTABLE', ...registry };
    // Another job of the same matrix may have created it a moment ago.
    const created = await call(`creating ECR repository ${name}`, () => client.send(new dist_cjs/* CreateRepositoryCommand */.WTe(creation)), { undefinedOn: ['RepositoryAlreadyExistsException'] });
    if (!created)
        return false;
    if (settings.keepImages !== undefined) {
        const policy = { repositoryName: name, lifecyclePolicyText: lifecyclePolicy(settings.keepImages), ...registry };
        await call('setting its lifecycle policy', () => client.send(new dist_cjs/* PutLifecyclePolicyCommand */.Rcn(policy)), {
            explain: (described) => `created ECR repository ${name}, but ${described}; the repository stays, without a policy`,
        });
    }
    return true;
}


/***/ })

};
