export const id = 939;
export const ids = [939];
export const modules = {

/***/ 1939:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deploy: () => (/* binding */ deploy)
});

// UNUSED EXPORTS: startedDeployment

// EXTERNAL MODULE: ../../node_modules/.pnpm/@aws-sdk+client-ecs@3.1162.0/node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(8680);
// EXTERNAL MODULE: ../../packages/aws/src/index.ts
var src = __webpack_require__(9228);
// EXTERNAL MODULE: ../../packages/kit/src/index.ts + 16 modules
var kit_src = __webpack_require__(6325);
;// CONCATENATED MODULE: ./src/aws.ts
/** The ECS reads this action repeats, and the short names of task definitions it logs. */



async function describeService(client, cluster, service) {
    const response = await (0,src/* call */.T1)('DescribeServices', () => client.send(new dist_cjs/* DescribeServicesCommand */.H7c({ cluster, services: [service], include: ['TAGS'] })));
    const found = response.services?.[0];
    if (!found) {
        const reason = response.failures?.[0]?.reason ?? 'MISSING';
        throw new kit_src/* ActionFailure */.dR(`service "${service}" was not found in cluster "${cluster}" (${reason})`);
    }
    if (found.status !== 'ACTIVE')
        throw new kit_src/* ActionFailure */.dR(`service "${service}" in cluster "${cluster}" is ${found.status}, not ACTIVE`);
    return found;
}
async function describeTaskDefinition(client, taskDefinition) {
    const response = await (0,src/* call */.T1)('DescribeTaskDefinition', () => client.send(new dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition, include: ['TAGS'] })));
    if (!response.taskDefinition)
        throw new kit_src/* ActionFailure */.dR(`DescribeTaskDefinition returned no task definition for ${taskDefinition}`);
    return { definition: response.taskDefinition, tags: response.tags ?? [] };
}

// EXTERNAL MODULE: ./src/names.ts
var names = __webpack_require__(8631);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(4426);
;// CONCATENATED MODULE: ./src/render.ts


/** Fields ECS sets on a registered revision that RegisterTaskDefinition does not accept. */
const READ_ONLY_FIELDS = [
    'taskDefinitionArn',
    'revision',
    'status',
    'requiresAttributes',
    'compatibilities',
    'registeredAt',
    'registeredBy',
    'deregisteredAt',
];
/** A deep copy without null or undefined values (ECS's JSON holds nulls the API rejects). */
function withoutNulls(value) {
    if (Array.isArray(value))
        return value.filter((item) => item !== null && item !== undefined).map((item) => withoutNulls(item));
    if (value instanceof Date)
        return value;
    if (typeof value === 'object' && value !== null) {
        const copy = {};
        for (const [key, item] of Object.entries(value))
            if (item !== null && item !== undefined)
                copy[key] = withoutNulls(item);
        return copy;
    }
    return value;
}
function toRegistrable(definition) {
    const copy = withoutNulls(definition);
    for (const field of READ_ONLY_FIELDS)
        delete copy[field];
    return copy;
}
function containerNames(definition) {
    return (definition.containerDefinitions ?? []).map((container) => container.name ?? '');
}
function unknownContainer(input, container, definition) {
    const names = containerNames(definition);
    return new kit_src/* ConfigurationError */.j1(`input "${input}" names container "${container}", which task definition family "${definition.family}" does not have; its containers are: ${names.join(', ')}`);
}
function findContainer(definition, input, name) {
    const container = definition.containerDefinitions?.find((candidate) => candidate.name === name);
    if (!container)
        throw unknownContainer(input, name, definition);
    return container;
}
/** The container a `NAME=value` line without a container prefix applies to: the only one there is. */
function resolveContainer(definition, input, variable) {
    if (variable.container !== undefined)
        return findContainer(definition, input, variable.container);
    const containers = definition.containerDefinitions ?? [];
    if (containers.length !== 1) {
        throw new kit_src/* ConfigurationError */.j1(`input "${input}": "${variable.name}" must be written container.${variable.name} because the task definition has ${containers.length} containers (${containerNames(definition).join(', ')})`);
    }
    return containers[0];
}
/** Checks every container the inputs name before anything is changed anywhere. */
function checkContainerNames(definition, changes) {
    for (const container of changes.images.keys())
        findContainer(definition, constants/* Input */.pd.Containers, container);
    for (const variable of changes.environment)
        resolveContainer(definition, constants/* Input */.pd.Environment, variable);
    for (const variable of changes.secrets)
        resolveContainer(definition, constants/* Input */.pd.Secrets, variable);
}
function upsert(list, entry) {
    const result = [...(list ?? [])];
    const index = result.findIndex((item) => item.name === entry.name);
    if (index >= 0)
        result[index] = entry;
    else
        result.push(entry);
    return result;
}
/** Renders the definition to register: images swapped, environment and secrets merged into what is there. */
function renderTaskDefinition(base, changes) {
    const rendered = toRegistrable(base);
    checkContainerNames(rendered, changes);
    for (const [name, image] of changes.images)
        findContainer(rendered, constants/* Input */.pd.Containers, name).image = image;
    const setByEnvironment = new Set();
    for (const variable of changes.environment) {
        const container = resolveContainer(rendered, constants/* Input */.pd.Environment, variable);
        setByEnvironment.add(`${container.name}.${variable.name}`);
        container.environment = upsert(container.environment, { name: variable.name, value: variable.value });
        // One name is either a plain variable or a secret: ECS rejects both.
        if (container.secrets)
            container.secrets = container.secrets.filter((secret) => secret.name !== variable.name);
    }
    for (const variable of changes.secrets) {
        const container = resolveContainer(rendered, constants/* Input */.pd.Secrets, variable);
        if (setByEnvironment.has(`${container.name}.${variable.name}`)) {
            throw new kit_src/* ConfigurationError */.j1(`"${variable.name}" of container "${container.name}" is given in both "environment" and "secrets"; give it in one`);
        }
        container.secrets = upsert(container.secrets, { name: variable.name, valueFrom: variable.value });
        if (container.environment)
            container.environment = container.environment.filter((entry) => entry.name !== variable.name);
    }
    return rendered;
}
/** Values ECS fills in on registration: dropped so a file compares equal to what ECS returns for it. */
const CONTAINER_DEFAULTS = { cpu: 0, essential: true };
function canonical(value, path = []) {
    if (Array.isArray(value)) {
        const items = value.map((item) => canonical(item, path));
        const last = path[path.length - 1];
        // Order of variables and secrets does not matter to ECS.
        if (last === 'environment' || last === 'secrets')
            items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
        return items.length === 0 ? undefined : items;
    }
    if (value instanceof Date)
        return value.toISOString();
    if (typeof value === 'object' && value !== null) {
        const isContainer = path[path.length - 1] === 'containerDefinitions';
        const result = {};
        for (const key of Object.keys(value).sort()) {
            const item = canonical(value[key], [...path, key]);
            if (item === undefined)
                continue;
            if (isContainer && key in CONTAINER_DEFAULTS && CONTAINER_DEFAULTS[key] === item)
                continue;
            result[key] = item;
        }
        return Object.keys(result).length === 0 ? undefined : result;
    }
    return value === null ? undefined : value;
}
/** Whether two definitions would run the same tasks (read-only fields and ECS defaults aside). */
function sameTaskDefinition(a, b) {
    return JSON.stringify(canonical(toRegistrable(a))) === JSON.stringify(canonical(toRegistrable(b)));
}
/** Containers and images before → after, in the order of the new definition (removed ones last). */
function imageChanges(before, after) {
    const old = new Map((before?.containerDefinitions ?? []).map((container) => [container.name ?? '', container.image]));
    const changes = (after.containerDefinitions ?? []).map((container) => ({
        container: container.name ?? '',
        before: old.get(container.name ?? ''),
        after: container.image,
    }));
    const current = new Set(changes.map((change) => change.container));
    for (const [container, image] of old)
        if (!current.has(container))
            changes.push({ container, before: image, after: undefined });
    return changes;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/revisions.ts
/** Registering revisions, and deregistering old ACTIVE ones beyond `keep-revisions`. */







/** The tags of a new revision: those of its source, and the commit it comes from. */
function revisionTags(sourceTags, commitSha) {
    const tags = sourceTags.filter((tag) => tag.key !== constants/* COMMIT_TAG */.z2 && tag.key !== constants/* REGISTRATION_TAG */.p$ && !tag.key?.startsWith('aws:'));
    if (commitSha)
        tags.push({ key: constants/* COMMIT_TAG */.z2, value: commitSha });
    return tags;
}
/** One registration's own tag value: the run, its attempt, and a random part (two steps of one run differ). */
function registrationToken(env = process.env) {
    return `${env.GITHUB_RUN_ID || 'local'}-${env.GITHUB_RUN_ATTEMPT || '1'}-${(0,external_node_crypto_.randomUUID)().slice(0, 8)}`;
}
const REGISTER_ATTEMPTS = 6;
/** Newest revisions of the family searched for the token: a lost registration is the newest or close to it. */
const REVISIONS_SEARCHED = 5;
/**
 * Registers a revision tagged with `token`. When an attempt fails in a way that
 * may hide a success (5xx, timeout, reset: the answer, not the request, may have
 * been lost), the family's newest revisions are searched for the token before
 * the next attempt, so a lost answer never leaves a duplicate revision.
 */
async function registerRevision({ client, once }, definition, tags, token, log) {
    const tagged = [...tags, { key: constants/* REGISTRATION_TAG */.p$, value: token }];
    const response = await (0,src/* call */.T1)('RegisterTaskDefinition', () => (0,kit_src/* retry */.L5)(async (attempt) => {
        if (attempt > 1) {
            const found = await findRegistration(client, definition.family, token);
            if (found) {
                log.info(`RegisterTaskDefinition's answer was lost, but ${(0,names/* shortTaskDefinition */.P5)(found)} carries this registration's tag: using it, not registering again`);
                return { taskDefinition: { taskDefinitionArn: found } };
            }
        }
        return once.send(new dist_cjs/* RegisterTaskDefinitionCommand */.$Hl({ ...definition, tags: tagged }));
    }, {
        attempts: REGISTER_ATTEMPTS,
        retryable: src/* isTransient */.dg,
        initialDelayMs: 200,
        maxDelayMs: 5_000,
        onRetry: (error, attempt, delayMs) => log.info(`${(0,src/* describeAwsError */.Pp)('RegisterTaskDefinition', error)}; checking whether it took effect, then attempt ${attempt + 1} in ${delayMs} ms`),
    }));
    const arn = response.taskDefinition?.taskDefinitionArn;
    if (!arn)
        throw new kit_src/* ActionFailure */.dR('RegisterTaskDefinition returned no task definition ARN');
    return arn;
}
/** The newest ACTIVE revision of the family tagged with this registration's token, if any. */
async function findRegistration(client, family, token) {
    for (const arn of (await activeRevisions(client, family)).slice(0, REVISIONS_SEARCHED)) {
        const { tags } = await describeTaskDefinition(client, arn);
        if (tags.some((tag) => tag.key === constants/* REGISTRATION_TAG */.p$ && tag.value === token))
            return arn;
    }
    return undefined;
}
async function deregisterRevision(client, arn) {
    await (0,src/* call */.T1)('DeregisterTaskDefinition', () => client.send(new dist_cjs/* DeregisterTaskDefinitionCommand */.sjB({ taskDefinition: arn })));
}
/** ACTIVE revisions of exactly this family (the API matches a prefix), newest first. */
async function activeRevisions(client, family) {
    const arns = [];
    await (0,src/* call */.T1)('ListTaskDefinitions', async () => {
        for await (const page of (0,dist_cjs/* paginateListTaskDefinitions */.XPO)({ client }, { familyPrefix: family, status: 'ACTIVE', sort: 'DESC' })) {
            arns.push(...(page.taskDefinitionArns ?? []));
        }
    });
    return arns
        .map((arn) => ({ arn, parsed: (0,names/* parseTaskDefinitionArn */.tP)(arn) }))
        .filter((entry) => entry.parsed?.family === family)
        .sort((a, b) => (b.parsed?.revision ?? 0) - (a.parsed?.revision ?? 0))
        .map((entry) => entry.arn);
}
/** The revisions to deregister: all but the newest `keep`, never one that is in use or the rollback target. */
function revisionsToDeregister(activeNewestFirst, keep, protectedArns) {
    return activeNewestFirst.slice(keep).filter((arn) => !protectedArns.has(arn));
}
/** Deregisters old revisions one at a time (ECS throttles this call hard); a failure is a warning. */
async function pruneRevisions(client, family, keep, protectedArns, log) {
    const candidates = revisionsToDeregister(await activeRevisions(client, family), keep, protectedArns);
    const result = { deregistered: [], failed: [] };
    if (candidates.length === 0) {
        log.info(`Family ${family} has no ACTIVE revisions beyond the newest ${keep}`);
        return result;
    }
    for (const arn of candidates) {
        try {
            await deregisterRevision(client, arn);
            result.deregistered.push(arn);
            log.info(`Deregistered ${(0,names/* shortTaskDefinition */.P5)(arn)}`);
        }
        catch (error) {
            result.failed.push(arn);
            log.warning(`could not deregister ${(0,names/* shortTaskDefinition */.P5)(arn)}: ${error.message}`);
        }
    }
    return result;
}

;// CONCATENATED MODULE: ./src/scale.ts
/**
 * Scale mode for out-of-hours teardown: `desired-count: 0` keeps the count it
 * replaced in a service tag, and `desired-count: restore` brings it back.
 */




function savedCount(service) {
    const value = service.tags?.find((tag) => tag.key === constants/* PREVIOUS_COUNT_TAG */.$4)?.value;
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}
/**
 * The count to set, from the input and the service (for `restore`, the saved tag). Without a saved count,
 * a running service keeps its count and one at 0 gets `restoreCount` (a teardown done by hand).
 */
function resolveDesiredCount(requested, service, restoreCount) {
    if (requested !== 'restore')
        return requested;
    const saved = savedCount(service);
    if (saved === undefined && (service.desiredCount ?? 0) > 0)
        return service.desiredCount;
    if (saved === undefined && restoreCount !== undefined)
        return restoreCount;
    if (saved === undefined) {
        throw new kit_src/* ActionFailure */.dR(`input "${constants/* Input */.pd.DesiredCount}" is "restore" but service "${service.serviceName}" has no "${constants/* PREVIOUS_COUNT_TAG */.$4}" tag: it was not scaled to 0 by this action; set "${constants/* Input */.pd.RestoreCount}" for the count to start it with`);
    }
    return saved;
}
/** Before scaling to 0: remember the current count (unless already 0, when the tag already holds it). */
async function saveCountBeforeScalingToZero(client, service) {
    const current = service.desiredCount ?? 0;
    if (current === 0)
        return undefined;
    await (0,src/* call */.T1)('TagResource', () => client.send(new dist_cjs/* TagResourceCommand */.eqU({ resourceArn: service.serviceArn, tags: [{ key: constants/* PREVIOUS_COUNT_TAG */.$4, value: String(current) }] })));
    return current;
}
async function forgetSavedCount(client, service) {
    await (0,src/* call */.T1)('UntagResource', () => client.send(new dist_cjs/* UntagResourceCommand */.RP$({ resourceArn: service.serviceArn, tagKeys: [constants/* PREVIOUS_COUNT_TAG */.$4] })));
}

;// CONCATENATED MODULE: ./src/tasks.ts
/**
 * Tasks: the stopped tasks of a failed deployment (why it failed), and the
 * one-off task run before the service update (e.g. migrations).
 */





/** The stopped tasks ECS started for a deployment (their `startedBy` is the deployment id), newest first. */
async function listStoppedTasks(client, cluster, deploymentId, limit = 10) {
    const listed = await (0,src/* call */.T1)('ListTasks', () => client.send(new dist_cjs/* ListTasksCommand */.MYg({ cluster, startedBy: deploymentId, desiredStatus: 'STOPPED', maxResults: 100 })));
    const arns = (listed.taskArns ?? []).slice(0, limit);
    if (arns.length === 0)
        return [];
    const described = await (0,src/* call */.T1)('DescribeTasks', () => client.send(new dist_cjs/* DescribeTasksCommand */.z8X({ cluster, tasks: arns })));
    return (described.tasks ?? [])
        .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))
        .map(names/* toStoppedTask */._);
}
/** The container that runs the one-off command: the one named, the only one, or the first essential one. */
function runTaskContainer(definition, name) {
    const containers = definition.containerDefinitions ?? [];
    if (name !== undefined) {
        const found = containers.find((container) => container.name === name);
        if (!found) {
            throw new kit_src/* ConfigurationError */.j1(`input "${constants/* Input */.pd.RunTaskContainer}" names container "${name}", which task definition family "${definition.family}" does not have; its containers are: ${containers.map((container) => container.name).join(', ')}`);
        }
        return found;
    }
    return (containers.length === 1 ? containers[0] : containers.find((container) => container.essential !== false)) ?? containers[0];
}
/** The one-off task did not stop in time and was left running (it still uses its revision). */
class TaskLeftRunningError extends kit_src/* ActionFailure */.dR {
}
/** RunTask's request: the service's launch type or capacity providers, platform and network, unless given. */
function runTaskRequest(options, containerName) {
    const { service } = options;
    const request = {
        cluster: options.cluster,
        taskDefinition: options.taskDefinitionArn,
        count: 1,
        startedBy: constants/* RUN_TASK_STARTED_BY */.kN,
        overrides: { containerOverrides: [{ name: containerName, command: options.command }] },
    };
    if (service.capacityProviderStrategy && service.capacityProviderStrategy.length > 0)
        request.capacityProviderStrategy = service.capacityProviderStrategy;
    else if (service.launchType)
        request.launchType = service.launchType;
    if (service.platformVersion && service.platformVersion !== 'LATEST')
        request.platformVersion = service.platformVersion;
    const network = options.network ?? service.networkConfiguration?.awsvpcConfiguration;
    if (network)
        request.networkConfiguration = { awsvpcConfiguration: network };
    else if (options.definition.networkMode === 'awsvpc') {
        throw new kit_src/* ConfigurationError */.j1(`the one-off task needs a network: task definition family "${options.definition.family}" uses awsvpc and the service has no network configuration; set input "${constants/* Input */.pd.RunTaskNetwork}"`);
    }
    return request;
}
/** Runs the one-off task, waits until it stops, and reports the container's exit code; never stops it early. */
async function runOneOffTask(client, options) {
    const container = runTaskContainer(options.definition, options.container).name;
    const request = runTaskRequest(options, container);
    options.log.info(`Running ${JSON.stringify(options.command)} in container ${container} of ${(0,names/* shortTaskDefinition */.P5)(options.taskDefinitionArn)}`);
    const started = Date.now();
    const response = await (0,src/* call */.T1)('RunTask', () => client.send(new dist_cjs/* RunTaskCommand */._eD(request)));
    const taskArn = response.tasks?.[0]?.taskArn;
    if (!taskArn) {
        const failure = response.failures?.[0];
        throw new kit_src/* ActionFailure */.dR(`RunTask started no task: ${failure ? `${failure.reason ?? 'unknown'}${failure.detail ? ` (${failure.detail})` : ''}` : 'no reason given'}`);
    }
    options.log.info(`Started task ${(0,names/* taskId */.BS)(taskArn)}`);
    const task = await waitForStop(client, taskArn, options);
    const exitCode = task.containers?.find((candidate) => candidate.name === container)?.exitCode;
    return { taskArn, container, exitCode, task: (0,names/* toStoppedTask */._)(task), elapsedMs: Date.now() - started };
}
/** Polls the task until it is STOPPED; a poll that outlasted the SDK's retries is a warning; the timeout leaves it running. */
async function waitForStop(client, taskArn, options) {
    let lastStatus = '';
    const poll = async () => {
        const answer = await (0,src/* pollCall */.C6)('DescribeTasks', () => client.send(new dist_cjs/* DescribeTasksCommand */.z8X({ cluster: options.cluster, tasks: [taskArn] })), (line) => options.log.warning(line));
        if (!answer)
            return { done: false, status: lastStatus || 'unknown' };
        const described = answer.tasks?.[0];
        if (!described)
            throw new kit_src/* ActionFailure */.dR(`task ${(0,names/* taskId */.BS)(taskArn)} is no longer known to ECS`);
        const status = described.lastStatus ?? 'UNKNOWN';
        if (status !== lastStatus)
            options.log.info(`Task ${(0,names/* taskId */.BS)(taskArn)}: ${status}`);
        lastStatus = status;
        return status === 'STOPPED' ? { done: true, value: described } : { done: false, status };
    };
    const every = { initialDelayMs: options.pollIntervalMs, maxDelayMs: options.pollIntervalMs, factor: 1, jitter: 0 };
    const progress = { progressIntervalMs: Math.max(options.pollIntervalMs, 30_000), progress: (line) => options.log.info(line) };
    try {
        return await (0,kit_src/* waitUntil */.a0)(poll, { description: `one-off task ${(0,names/* taskId */.BS)(taskArn)}`, timeoutMs: options.timeoutMs, ...every, ...progress });
    }
    catch (error) {
        if (!(error instanceof kit_src/* WaitTimeoutError */.Do))
            throw error;
        throw new TaskLeftRunningError(`one-off task ${(0,names/* taskId */.BS)(taskArn)} did not stop within ${(0,kit_src/* formatDuration */.a3)(options.timeoutMs)} (last status ${lastStatus || 'unknown'}); it was left running and the service was not updated`);
    }
}

;// CONCATENATED MODULE: ./src/watch.ts




function counts(deployment) {
    const failed = 'failedTasks' in deployment && deployment.failedTasks ? `, ${deployment.failedTasks} failed` : '';
    return `${deployment.runningCount ?? 0}/${deployment.desiredCount ?? 0} running, ${deployment.pendingCount ?? 0} pending${failed}`;
}
/** Where a roll-out stands, from one DescribeServices answer. Pure: the unit tests drive it with ECS's shapes. */
function assessRollout(service, target) {
    const deployments = service.deployments ?? [];
    const primary = deployments.find((deployment) => deployment.status === 'PRIMARY');
    if (target.scaleOnly) {
        const steady = deployments.length <= 1 && service.runningCount === service.desiredCount && (service.pendingCount ?? 0) === 0;
        return steady ? { state: 'completed' } : { state: 'in-progress', status: `${counts(service)}, ${deployments.length} deployment(s)` };
    }
    const ours = target.deploymentId
        ? deployments.find((deployment) => deployment.id === target.deploymentId)
        : deployments.find((deployment) => deployment.status === 'PRIMARY' && deployment.taskDefinition === target.taskDefinitionArn);
    const label = `deployment ${target.deploymentId ?? '(ours)'}`;
    const previous = target.previousTaskDefinitionArn;
    const backOnPrevious = previous !== undefined && previous !== target.taskDefinitionArn;
    const rollbackByEcs = (reason) => ({
        state: 'rolled-back-by-ecs',
        reason,
        rollbackDeploymentId: primary?.taskDefinition === previous ? primary?.id : undefined,
    });
    if (ours?.rolloutState === 'FAILED') {
        const reason = `${label} failed: ${ours.rolloutStateReason ?? 'rollout state FAILED'}`;
        return backOnPrevious && primary && primary !== ours && primary.taskDefinition === previous ? rollbackByEcs(reason) : { state: 'failed', reason };
    }
    if (!ours || (primary && primary.id !== ours.id)) {
        if (backOnPrevious && primary?.taskDefinition === previous) {
            return rollbackByEcs(`${label} is no longer PRIMARY: ECS started deployment ${primary.id} back on ${(0,names/* shortTaskDefinition */.P5)(previous)} (a circuit-breaker rollback)`);
        }
        const replacement = primary ? `deployment ${primary.id} on ${(0,names/* shortTaskDefinition */.P5)(primary.taskDefinition)} replaced it` : 'the service has no PRIMARY deployment';
        return { state: 'failed', reason: `${label} is no longer PRIMARY: ${replacement} (another deployment started?)` };
    }
    if (backOnPrevious && service.taskDefinition === previous) {
        return rollbackByEcs(`the service is back on ${(0,names/* shortTaskDefinition */.P5)(previous)}`);
    }
    if (ours.rolloutState === 'COMPLETED')
        return { state: 'completed' };
    if (!ours.rolloutState && deployments.length === 1 && ours.runningCount === ours.desiredCount)
        return { state: 'completed' };
    const rollout = ours.rolloutState ? `${ours.rolloutState}, ` : '';
    const others = deployments.length > 1 ? `, ${deployments.length - 1} older deployment(s) draining` : '';
    return { state: 'in-progress', status: `${rollout}${counts(ours)}${others}` };
}
/** Records events not seen before, oldest first, and prints each once. */
function recordNewEvents(service, seen, timeline, log) {
    const fresh = (service.events ?? []).filter((event) => event.id && !seen.has(event.id));
    fresh.sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
    for (const event of fresh) {
        seen.add(event.id);
        timeline.push(event);
        log.info(`${event.createdAt?.toISOString() ?? ''} ${event.message ?? ''}`.trim());
    }
}
async function watchRollout(client, options) {
    const now = options.now ?? Date.now;
    const started = now();
    let last;
    try {
        const verdict = await (0,kit_src/* waitUntil */.a0)(async () => {
            const service = await (0,src/* pollCall */.C6)('DescribeServices', () => describeService(client, options.cluster, options.service), (line) => options.log.warning(line));
            if (!service)
                return { done: false, status: 'the last DescribeServices call failed' };
            last = service;
            recordNewEvents(service, options.seenEventIds, options.timeline, options.log);
            const verdict = assessRollout(service, options.target);
            return verdict.state === 'in-progress' ? { done: false, status: verdict.status } : { done: true, value: verdict };
        }, {
            description: options.description,
            timeoutMs: options.timeoutMs,
            initialDelayMs: options.pollIntervalMs,
            maxDelayMs: options.pollIntervalMs,
            factor: 1,
            jitter: 0,
            progressIntervalMs: Math.max(options.pollIntervalMs, 30_000),
            progress: (line) => options.log.info(line),
            now,
        });
        return { verdict, elapsedMs: now() - started, service: last };
    }
    catch (error) {
        if (!(error instanceof kit_src/* WaitTimeoutError */.Do))
            throw error;
        return {
            verdict: { state: 'timed-out', reason: `${options.description} did not finish within ${(0,kit_src/* formatDuration */.a3)(options.timeoutMs)}${error.lastStatus ? ` (last status: ${error.lastStatus})` : ''}` },
            elapsedMs: now() - started,
            service: last,
        };
    }
}

;// CONCATENATED MODULE: ./src/deploy.ts
/**
 * The deployment, phase by phase: read the service, render, register, run the
 * one-off task, update the service, watch the roll-out, roll back on failure,
 * clean up old revisions. Each phase returns what it found or did; `deploy`
 * records that in the DeployReport, which main.ts turns into outputs and a
 * step summary, also when a later phase fails.
 */










/** A phase's failure and what the report should say about it; `deploy` records it, then throws `error`. */
class PhaseFailure {
    error;
    recorded;
    constructor(error, recorded) {
        this.error = error;
        this.recorded = recorded;
    }
}
/** The deployment an UpdateService answer started: the PRIMARY one on our revision, else the PRIMARY one. */
function startedDeployment(service, taskDefinitionArn) {
    const deployments = service?.deployments ?? [];
    const primary = deployments.filter((deployment) => deployment.status === 'PRIMARY');
    return (primary.find((deployment) => deployment.taskDefinition === taskDefinitionArn) ?? primary[0])?.id;
}
async function deploy(inputs, ecs, reporter, report) {
    const record = (recorded) => void Object.assign(report, recorded);
    try {
        await deployPhases(inputs, ecs, reporter, report.timeline, record);
    }
    catch (error) {
        if (!(error instanceof PhaseFailure))
            throw error;
        record(error.recorded);
        throw error.error;
    }
}
async function deployPhases(inputs, ecs, reporter, timeline, record) {
    const changes = renderChanges(inputs);
    const before = await readService(ecs.client, inputs, reporter);
    const desiredCount = resolveDesiredCount(inputs.desiredCount, before.service, inputs.restoreCount);
    record({ previousTaskDefinitionArn: before.arn, desiredCount: { before: before.count, after: desiredCount ?? before.count } });
    const { definition, unchanged, existing, images } = await renderRevision(ecs.client, inputs, before, changes, reporter);
    record({ family: definition.family, images });
    const { arn, registered } = await chooseRevision(ecs, inputs, before, { definition, unchanged, existing }, reporter);
    record({ taskDefinitionArn: arn, registered });
    const taskDefinitionChanges = arn !== before.arn;
    const countChanges = desiredCount !== undefined && desiredCount !== before.count;
    const change = { arn, registered, definition, desiredCount, taskDefinitionChanges, countChanges, scaleOnly: !taskDefinitionChanges && !inputs.forceNewDeployment };
    const watching = { ecs: ecs.client, inputs, reporter, before, timeline };
    if (inputs.runTask)
        record({ runTask: await runOneOff(ecs.client, inputs, inputs.runTask, before, change, reporter) });
    if (inputs.runTaskOnly) {
        reporter.info(`The service keeps ${(0,names/* shortTaskDefinition */.P5)(before.arn)}: run-task-only`);
        return record({ outcome: 'unchanged', detail: `ran the one-off task on ${(0,names/* shortTaskDefinition */.P5)(arn)}; the service was not updated (run-task-only)` });
    }
    if (change.scaleOnly && !countChanges) {
        record(await followDeploymentInFlight(watching, arn));
        return record({ deregistered: await prune(ecs.client, inputs, reporter, definition.family, [arn]) });
    }
    const deploymentId = await updateService(ecs.client, inputs, before, change, reporter);
    record({ deploymentId });
    if (inputs.wait)
        record(await watchAndRollBack(watching, change, deploymentId));
    else
        record({ outcome: 'started', detail: `${change.scaleOnly ? 'scaling' : `deployment ${deploymentId ?? ''}`} started; not waited for (wait: false)` });
    record({ deregistered: await prune(ecs.client, inputs, reporter, definition.family, [arn, before.arn]) });
}
/** The changes the inputs ask for; a task definition file is checked against them before any call: a typo changes nothing. */
function renderChanges(inputs) {
    const changes = { images: inputs.images, environment: inputs.environment, secrets: inputs.secrets };
    if (inputs.taskDefinitionFile)
        checkContainerNames(toRegistrable(inputs.taskDefinitionFile.definition), changes);
    return changes;
}
function readService(client, inputs, reporter) {
    return reporter.phase(`Read service ${inputs.service}`, async () => {
        const service = await describeService(client, inputs.cluster, inputs.service);
        const current = await describeTaskDefinition(client, service.taskDefinition);
        const arn = current.definition.taskDefinitionArn;
        reporter.info(`Service ${service.serviceName} in cluster ${inputs.cluster} runs ${(0,names/* shortTaskDefinition */.P5)(arn)}: ${service.runningCount ?? 0}/${service.desiredCount ?? 0} tasks running`);
        const seenEventIds = new Set((service.events ?? []).map((event) => event.id));
        return { service, definition: current.definition, tags: current.tags, arn, count: service.desiredCount ?? 0, seenEventIds };
    });
}
async function renderRevision(client, inputs, before, changes, reporter) {
    const named = inputs.taskDefinitionArn;
    const existing = named ? (await reporter.phase(`Read task definition ${named}`, () => describeTaskDefinition(client, named))).definition : undefined;
    const file = inputs.taskDefinitionFile;
    const revision = await reporter.phase('Render task definition', async () => {
        const definition = renderTaskDefinition(file?.definition ?? existing ?? before.definition, changes);
        const images = imageChanges(before.definition, definition);
        reporter.info(`Rendered family ${definition.family} from ${file ? file.path : `the service's ${(0,names/* shortTaskDefinition */.P5)(before.arn)}`}`);
        for (const change of images) {
            const arrow = change.before === change.after ? `${change.after} (unchanged)` : `${change.before ?? '(new)'} -> ${change.after ?? '(removed)'}`;
            reporter.info(`  ${change.container}: ${arrow}`);
        }
        return { definition, unchanged: sameTaskDefinition(definition, before.definition), existing, images };
    });
    // A run-task-container the definition does not have is an input error: found before anything is registered.
    if (inputs.runTask)
        runTaskContainer(revision.definition, inputs.runTask.container);
    return revision;
}
/** The revision to deploy: the registered one the input names, a new one, or the service's own when nothing changed. */
async function chooseRevision(ecs, inputs, before, revision, reporter) {
    if (revision.existing) {
        const arn = revision.existing.taskDefinitionArn;
        reporter.info(arn === before.arn ? `The service already runs ${(0,names/* shortTaskDefinition */.P5)(arn)}` : `Putting the service on the registered ${(0,names/* shortTaskDefinition */.P5)(arn)}`);
        return { arn, registered: false };
    }
    if (revision.unchanged && !inputs.forceNewDeployment) {
        reporter.info(`The rendered definition equals the service's ${(0,names/* shortTaskDefinition */.P5)(before.arn)}: no new revision registered`);
        return { arn: before.arn, registered: false };
    }
    const arn = await reporter.phase('Register task definition', async () => {
        const tags = revisionTags(inputs.taskDefinitionFile?.tags ?? before.tags, inputs.commitSha);
        const registered = await registerRevision(ecs, revision.definition, tags, registrationToken(), reporter);
        reporter.info(`Registered ${(0,names/* shortTaskDefinition */.P5)(registered)}${inputs.commitSha ? ` (tagged with commit ${inputs.commitSha})` : ''}${revision.unchanged ? ': forced, the definition is unchanged' : ''}`);
        return registered;
    });
    return { arn, registered: true };
}
/** Leaves the account as it was before this run: the revision it registered is deregistered. Says how that went. */
async function undoRegistration(client, change) {
    if (!change.registered)
        return { note: '', registered: false };
    try {
        await deregisterRevision(client, change.arn);
        return { note: `; revision ${(0,names/* shortTaskDefinition */.P5)(change.arn)} was deregistered`, registered: false };
    }
    catch (error) {
        return { note: `; revision ${(0,names/* shortTaskDefinition */.P5)(change.arn)} is left registered (deregistering it failed: ${error.message})`, registered: true };
    }
}
/** Runs the one-off task on the new revision; if it fails, the service is not updated and the registration is undone. */
function runOneOff(client, inputs, runTask, before, change, reporter) {
    return reporter.phase('Run one-off task', async () => {
        const options = { cluster: inputs.cluster, taskDefinitionArn: change.arn, definition: change.definition, service: before.service, pollIntervalMs: inputs.pollIntervalMs, timeoutMs: inputs.timeoutMs, log: reporter };
        const result = await runOneOffTask(client, { ...options, ...runTask }).catch(async (error) => {
            // A task left running still uses the revision: keep it registered then.
            const stillRunning = error instanceof TaskLeftRunningError;
            const undone = stillRunning ? { note: '', registered: change.registered } : await undoRegistration(client, change);
            const recorded = { outcome: 'failed', detail: `the one-off task failed: ${error.message}`, registered: undone.registered };
            const explained = error instanceof kit_src/* ActionFailure */.dR ? new kit_src/* ActionFailure */.dR(`${error.message}${stillRunning ? '' : '; the service was not updated'}${undone.note}`) : error;
            throw new PhaseFailure(explained, recorded);
        });
        reporter.info(`One-off task ${(0,names/* describeStoppedTask */.us)(result.task)} in ${(0,kit_src/* formatDuration */.a3)(result.elapsedMs)}`);
        if (result.exitCode === 0)
            return result;
        const undone = await undoRegistration(client, change);
        const exit = result.exitCode === undefined ? 'stopped without an exit code' : `exited with code ${result.exitCode}`;
        const reason = [result.task.stopCode, result.task.stoppedReason].filter(Boolean).join(': ');
        throw new PhaseFailure(new kit_src/* ActionFailure */.dR(`one-off task ${result.task.taskId} (container ${result.container}) ${exit}${reason ? ` (${reason})` : ''}; the service was not updated${undone.note}`), { runTask: result, outcome: 'failed', detail: `the one-off task ${exit}`, registered: undone.registered });
    });
}
/** Sends UpdateService (saving the count first when scaling to 0); returns the deployment it started. */
function updateService(client, inputs, before, change, reporter) {
    return reporter.phase('Update service', async () => {
        const saved = change.desiredCount === 0 && change.countChanges ? await saveCountBeforeScalingToZero(client, before.service) : undefined;
        if (saved !== undefined)
            reporter.info(`Saved the desired count ${saved} in the service's tags for "desired-count: restore"`);
        const request = { cluster: inputs.cluster, service: inputs.service };
        if (change.taskDefinitionChanges)
            request.taskDefinition = change.arn;
        if (change.countChanges)
            request.desiredCount = change.desiredCount;
        if (inputs.forceNewDeployment)
            request.forceNewDeployment = true;
        const updated = await (0,src/* call */.T1)('UpdateService', () => client.send(new dist_cjs/* UpdateServiceCommand */.kZr(request))).catch(async (error) => {
            if (saved !== undefined)
                await forgetSavedCount(client, before.service).catch(() => undefined);
            const undone = await undoRegistration(client, change);
            const message = error.message;
            throw new PhaseFailure(new kit_src/* ActionFailure */.dR(`${message}; the service was not changed${undone.note}`), { outcome: 'failed', detail: message, registered: undone.registered });
        });
        const deploymentId = startedDeployment(updated.service, change.arn);
        const what = [
            change.taskDefinitionChanges ? `to ${(0,names/* shortTaskDefinition */.P5)(change.arn)}` : inputs.forceNewDeployment ? `with a forced new deployment of ${(0,names/* shortTaskDefinition */.P5)(change.arn)}` : '',
            change.countChanges ? `desired count ${before.count} -> ${change.desiredCount}` : '',
        ].filter(Boolean);
        reporter.info(`Updated service ${inputs.service} ${what.join(', ')}${deploymentId && !change.scaleOnly ? `: deployment ${deploymentId}` : ''}`);
        if (inputs.desiredCount === 'restore') {
            await forgetSavedCount(client, before.service).catch((error) => reporter.warning(`could not remove the saved desired count tag: ${error.message}`));
        }
        return deploymentId;
    });
}
function watch(watching, target, description) {
    const { ecs, inputs, reporter, before, timeline } = watching;
    return watchRollout(ecs, {
        cluster: inputs.cluster,
        service: inputs.service,
        target,
        pollIntervalMs: inputs.pollIntervalMs,
        timeoutMs: inputs.timeoutMs,
        description,
        log: reporter,
        seenEventIds: before.seenEventIds,
        timeline,
    });
}
/** Nothing to update: a re-run after an interrupted watch still waits for the deployment in flight (with nothing of ours to roll back). */
async function followDeploymentInFlight(watching, arn) {
    const { inputs, reporter, before } = watching;
    reporter.info(`Service ${inputs.service} already runs ${(0,names/* shortTaskDefinition */.P5)(arn)} with ${before.count} task(s): nothing to update`);
    const deploymentId = startedDeployment(before.service, arn);
    const unchanged = { deploymentId, outcome: 'unchanged', detail: `already up to date on ${(0,names/* shortTaskDefinition */.P5)(arn)}` };
    if (!inputs.wait)
        return unchanged;
    const description = `the deployment in flight on ${(0,names/* shortTaskDefinition */.P5)(arn)}`;
    const target = { deploymentId, taskDefinitionArn: arn, previousTaskDefinitionArn: undefined, scaleOnly: false };
    const result = await reporter.phase(`Watch ${description}`, () => watch(watching, target, description));
    if (result.verdict.state !== 'completed') {
        const reason = result.verdict.reason;
        throw new PhaseFailure(new kit_src/* ActionFailure */.dR(`${reason}; this run changed nothing, so there is nothing to roll back`), { deploymentId, outcome: 'failed', detail: reason });
    }
    return { ...unchanged, rolloutMs: result.elapsedMs };
}
/** Watches the roll-out; when it fails, says why (the stopped tasks) and puts the service back. */
async function watchAndRollBack(watching, change, deploymentId) {
    const { inputs, reporter, before } = watching;
    const description = change.scaleOnly ? `${inputs.service} to run ${change.desiredCount} task(s)` : `the roll-out of ${(0,names/* shortTaskDefinition */.P5)(change.arn)}`;
    const target = { deploymentId, taskDefinitionArn: change.arn, previousTaskDefinitionArn: before.arn, scaleOnly: change.scaleOnly };
    const result = await reporter.phase(`Watch ${description}`, () => watch(watching, target, description));
    if (result.verdict.state === 'completed') {
        const detail = change.scaleOnly
            ? `${inputs.service} runs ${change.desiredCount} task(s) after ${(0,kit_src/* formatDuration */.a3)(result.elapsedMs)}`
            : `${(0,names/* shortTaskDefinition */.P5)(change.arn)} is stable after ${(0,kit_src/* formatDuration */.a3)(result.elapsedMs)}`;
        reporter.info(detail);
        return { outcome: 'deployed', rolloutMs: result.elapsedMs, detail };
    }
    const failure = result.verdict.reason.replace(/\.$/, '');
    const stoppedTasks = !change.scaleOnly && deploymentId ? await stoppedTasksOf(watching, deploymentId) : [];
    const why = stoppedTasks[0] ? ` (${(0,names/* describeStoppedTask */.us)(stoppedTasks[0])})` : '';
    const rollback = await rollBack(watching, result, change);
    const recorded = { outcome: 'failed', rolloutMs: result.elapsedMs, detail: failure, stoppedTasks, ...rollback.recorded };
    throw new PhaseFailure(new kit_src/* ActionFailure */.dR(`${failure}${why}. ${rollback.aftermath}`), { ...recorded, aftermath: rollback.aftermath });
}
/** Why the tasks of the failed deployment stopped; a failure to list them is a warning. */
function stoppedTasksOf(watching, deploymentId) {
    const { ecs, inputs, reporter } = watching;
    return reporter.phase(`Stopped tasks of deployment ${deploymentId}`, async () => {
        try {
            const stopped = await listStoppedTasks(ecs, inputs.cluster, deploymentId);
            if (stopped.length === 0)
                reporter.info('No stopped tasks');
            for (const task of stopped)
                reporter.info((0,names/* describeStoppedTask */.us)(task));
            return stopped;
        }
        catch (error) {
            reporter.warning(`could not list the stopped tasks: ${error.message}`);
            return [];
        }
    });
}
/** Puts the service back on the previous revision (and count) and watches that; `aftermath` says how it went. */
async function rollBack(watching, failed, change) {
    const { inputs, before } = watching;
    const previous = (0,names/* shortTaskDefinition */.P5)(before.arn);
    const byEcs = failed.verdict.state === 'rolled-back-by-ecs' ? failed.verdict : undefined;
    if (inputs.rollback === 'never') {
        if (byEcs)
            return { aftermath: `ECS is rolling the service back to ${previous} (rollback: never, so not watched)`, recorded: {} };
        const left = failed.verdict.state === 'timed-out' ? 'The deployment was left in progress' : 'The service was left as it is';
        return { aftermath: `${left} (rollback: never)`, recorded: {} };
    }
    if (!change.taskDefinitionChanges && !change.countChanges)
        return { aftermath: 'This run changed no revision or count, so there is nothing to roll back', recorded: {} };
    return watching.reporter.phase(`Roll back to ${previous}`, async () => {
        const started = byEcs ? followEcsRollback(watching, byEcs.rollbackDeploymentId) : await putServiceBack(watching, change);
        if ('aftermath' in started)
            return started;
        const target = { deploymentId: started.deploymentId, taskDefinitionArn: before.arn, previousTaskDefinitionArn: undefined, scaleOnly: !change.taskDefinitionChanges };
        const result = await watch(watching, target, `the rollback to ${previous}`);
        if (result.verdict.state !== 'completed')
            return { aftermath: `Rolling back to ${previous} failed too: ${result.verdict.reason}`, recorded: started.recorded };
        const who = byEcs ? 'The ECS circuit breaker rolled back' : 'Rolled back';
        return {
            aftermath: `${who} to ${previous}: the service is stable on it again after ${(0,kit_src/* formatDuration */.a3)(result.elapsedMs)}`,
            recorded: { ...started.recorded, rolledBack: true, outcome: 'rolled-back' },
        };
    });
}
function followEcsRollback(watching, deploymentId) {
    watching.reporter.info(`The ECS circuit breaker is already rolling back${deploymentId ? ` (deployment ${deploymentId})` : ''}: watching it`);
    return { deploymentId, recorded: {} };
}
/** UpdateService back to the previous revision and count. */
async function putServiceBack(watching, change) {
    const { ecs, inputs, reporter, before } = watching;
    const request = { cluster: inputs.cluster, service: inputs.service };
    if (change.taskDefinitionChanges)
        request.taskDefinition = before.arn;
    if (change.countChanges)
        request.desiredCount = before.count;
    let updated;
    try {
        updated = await (0,src/* call */.T1)('UpdateService', () => ecs.send(new dist_cjs/* UpdateServiceCommand */.kZr(request)));
    }
    catch (error) {
        return { aftermath: `Rolling back to ${(0,names/* shortTaskDefinition */.P5)(before.arn)} failed: ${error.message}; the service is left on ${(0,names/* shortTaskDefinition */.P5)(change.arn)}`, recorded: {} };
    }
    const deploymentId = startedDeployment(updated.service, before.arn);
    reporter.info(`Updated service ${inputs.service} back to ${(0,names/* shortTaskDefinition */.P5)(before.arn)}${change.countChanges ? ` with ${before.count} task(s)` : ''}${deploymentId ? `: deployment ${deploymentId}` : ''}`);
    // The `desired-count` output and the summary give the count the service is left with.
    const recorded = change.countChanges ? { desiredCount: { before: before.count, after: before.count } } : {};
    return { deploymentId, recorded };
}
/** Deregisters revisions beyond `keep-revisions` (never one in use); returns those it deregistered. A failure is a warning. */
async function prune(client, inputs, reporter, family, inUse) {
    const keep = inputs.keepRevisions;
    if (keep === undefined)
        return [];
    return reporter.phase(`Clean up revisions of ${family} (keep ${keep})`, async () => {
        try {
            return (await pruneRevisions(client, family, keep, new Set(inUse), reporter)).deregistered;
        }
        catch (error) {
            // Cleaning up is worth a warning, never a failed deploy.
            reporter.warning(`could not clean up old revisions: ${error.message}`);
            return [];
        }
    });
}


/***/ })

};
