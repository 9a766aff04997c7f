/**
 * keep-versions: published versions beyond the newest N that no alias serves
 * (nor routes a share to) are deleted; the version the alias left in this step
 * is kept too, as the way back.
 */
import { DeleteFunctionCommand, type AliasConfiguration, type LambdaClient } from '@aws-sdk/client-lambda';
import { call } from '@deploy-suite/aws';
import type { Logger } from '@deploy-suite/kit';
import { listAliases, listVersions } from './lambda.js';

/** The versions to delete, oldest first. */
export function versionsToDelete(versions: readonly string[], aliases: readonly AliasConfiguration[], keep: number, alsoKeep: readonly (string | undefined)[]): string[] {
  const inUse = new Set<string>(alsoKeep.filter((version): version is string => version !== undefined));
  for (const alias of aliases) {
    if (alias.FunctionVersion) inUse.add(alias.FunctionVersion);
    for (const version of Object.keys(alias.RoutingConfig?.AdditionalVersionWeights ?? {})) inUse.add(version);
  }
  const published = versions.filter((version) => /^\d+$/.test(version)).sort((a, b) => Number(b) - Number(a));
  return published
    .slice(keep)
    .filter((version) => !inUse.has(version))
    .reverse();
}

export async function pruneVersions(client: LambdaClient, functionName: string, keep: number, alsoKeep: readonly (string | undefined)[], log: Logger): Promise<string[]> {
  const [versions, aliases] = await Promise.all([listVersions(client, functionName), listAliases(client, functionName)]);
  const doomed = versionsToDelete(
    versions.map((version) => version.Version ?? ''),
    aliases,
    keep,
    alsoKeep,
  );
  for (const version of doomed) {
    await call('DeleteFunction', () => client.send(new DeleteFunctionCommand({ FunctionName: functionName, Qualifier: version })));
  }
  if (doomed.length > 0) log.info(`${functionName}: deleted version${doomed.length > 1 ? 's' : ''} ${doomed.join(', ')} (keep-versions ${keep})`);
  return doomed;
}
