// Temporary: packages/aws's call() lands from the aws helper; this file goes when it does.
import { describeAwsError } from '@deploy-suite/aws';
import { ActionFailure } from '@deploy-suite/kit';

export async function call<T>(operation: string, task: () => Promise<T>, options: { explain?: (described: string, name: string | undefined) => string } = {}): Promise<T> {
  try {
    return await task();
  } catch (error) {
    if (error instanceof ActionFailure) throw error;
    const name = (error as { name?: string } | undefined)?.name;
    const described = describeAwsError(operation, error);
    throw new ActionFailure(options.explain ? options.explain(described, name) : described, { cause: error });
  }
}

const TRANSIENT_NAMES = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'SlowDown', 'ServerException', 'InternalFailure', 'InternalError', 'ServiceUnavailable', 'TimeoutError', 'RequestTimeout']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);

export function isTransient(error: unknown): boolean {
  if (error instanceof ActionFailure) return error.cause !== undefined && isTransient(error.cause);
  const shape = (error ?? {}) as { name?: string; code?: string; $fault?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  return shape.$retryable !== undefined || shape.$fault === 'server' || (shape.$metadata?.httpStatusCode ?? 0) >= 500 || TRANSIENT_NAMES.has(shape.name ?? '') || NETWORK_CODES.has(shape.code ?? '');
}
