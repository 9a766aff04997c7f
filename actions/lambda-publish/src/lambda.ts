/**
 * The Lambda calls this action makes. Each failure becomes one line naming the
 * operation (packages/aws `call`; the SDK has already retried throttling and
 * 5xx); a ResourceConflictException (an update still in progress) is waited out
 * until the deadline; updates are followed until LastUpdateStatus is
 * Successful, through polls that fail transiently.
 */
import {
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  type AliasConfiguration,
  type FunctionCodeLocation,
  type FunctionConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { awsErrorName, call, pollCall } from '@deploy-suite/aws';
import { ActionFailure, WaitTimeoutError, formatDuration, retry, waitUntil, type Logger } from '@deploy-suite/kit';

const MISSING = ['ResourceNotFoundException'];

export interface Deadline {
  /** Epoch ms after which waiting stops. */
  at: number;
  /** How often to poll an update in progress, at first (it grows to 5 s). */
  pollMs: number;
}

/**
 * A call that changes the function: a ResourceConflictException means another
 * update is still running, so it is tried again until the deadline.
 */
export async function mutate<T>(operation: string, task: () => Promise<T>, deadline: Deadline, log: Logger): Promise<T> {
  return call(operation, () =>
    retry(task, {
      attempts: Number.MAX_SAFE_INTEGER,
      initialDelayMs: deadline.pollMs,
      maxDelayMs: 5_000,
      factor: 1.5,
      jitter: 0.2,
      retryable: (error) => awsErrorName(error) === 'ResourceConflictException' && Date.now() < deadline.at,
      onRetry: (error, attempt, delayMs) => {
        if (attempt === 1 || attempt % 10 === 0) log.info(`${operation}: an update is still in progress (${(error as Error).message.split('\n')[0]}); trying again in ${formatDuration(delayMs)}`);
      },
    }),
  );
}

export interface FunctionState {
  configuration: FunctionConfiguration;
  code: FunctionCodeLocation | undefined;
}

export async function getFunction(client: LambdaClient, functionName: string, qualifier?: string): Promise<FunctionState | undefined> {
  const response = await call('GetFunction', () => client.send(new GetFunctionCommand({ FunctionName: functionName, Qualifier: qualifier })), { undefinedOn: MISSING });
  if (!response) return undefined;
  if (!response.Configuration) throw new ActionFailure(`GetFunction returned no configuration for ${functionName}`);
  return { configuration: response.Configuration, code: response.Code };
}

export function getAlias(client: LambdaClient, functionName: string, alias: string): Promise<AliasConfiguration | undefined> {
  return call('GetAlias', () => client.send(new GetAliasCommand({ FunctionName: functionName, Name: alias })), { undefinedOn: MISSING });
}

export async function listVersions(client: LambdaClient, functionName: string): Promise<FunctionConfiguration[]> {
  const versions: FunctionConfiguration[] = [];
  let marker: string | undefined;
  do {
    const page = await call('ListVersionsByFunction', () => client.send(new ListVersionsByFunctionCommand({ FunctionName: functionName, Marker: marker })));
    versions.push(...(page.Versions ?? []));
    marker = page.NextMarker;
  } while (marker);
  return versions;
}

export async function listAliases(client: LambdaClient, functionName: string): Promise<AliasConfiguration[]> {
  const aliases: AliasConfiguration[] = [];
  let marker: string | undefined;
  do {
    const page = await call('ListAliases', () => client.send(new ListAliasesCommand({ FunctionName: functionName, Marker: marker })));
    aliases.push(...(page.Aliases ?? []));
    marker = page.NextMarker;
  } while (marker);
  return aliases;
}

/** Why an update ended badly, or undefined while it is fine or still going. */
function updateFailure(configuration: FunctionConfiguration): string | undefined {
  if (configuration.State === 'Failed') return `the function is in state Failed (${configuration.StateReasonCode ?? 'no code'}): ${configuration.StateReason ?? 'no reason given'}`;
  if (configuration.LastUpdateStatus === 'Failed') {
    return `the update failed (${configuration.LastUpdateStatusReasonCode ?? 'no code'}): ${configuration.LastUpdateStatusReason ?? 'no reason given'}`;
  }
  return undefined;
}

/** Follows $LATEST until State is Active and LastUpdateStatus Successful; Failed is an ActionFailure with Lambda's reason. */
export async function waitForUpdate(client: LambdaClient, functionName: string, what: string, deadline: Deadline, log: Logger): Promise<FunctionConfiguration> {
  try {
    return await waitUntil(
      async () => {
        const configuration = await pollCall('GetFunctionConfiguration', () => client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName })), (line) => log.warning(line));
        if (!configuration) return { done: false, status: 'the last GetFunctionConfiguration call failed' };
        const failure = updateFailure(configuration);
        if (failure) throw new ActionFailure(`${what} of ${functionName}: ${failure}`);
        const settled = (configuration.State ?? 'Active') === 'Active' && (configuration.LastUpdateStatus ?? 'Successful') === 'Successful';
        return settled
          ? { done: true, value: configuration }
          : { done: false, status: `State ${configuration.State ?? '?'}, LastUpdateStatus ${configuration.LastUpdateStatus ?? '?'}` };
      },
      {
        description: `${what} of ${functionName} to finish`,
        timeoutMs: Math.max(0, deadline.at - Date.now()),
        initialDelayMs: deadline.pollMs,
        maxDelayMs: 5_000,
        factor: 1.5,
        progressIntervalMs: 15_000,
        progress: log.info,
      },
    );
  } catch (error) {
    if (error instanceof WaitTimeoutError) throw new ActionFailure(error.message);
    throw error;
  }
}
