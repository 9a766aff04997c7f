/**
 * Parses the environment description with positions, validates it against the
 * published JSON Schema (compiled ahead of time: scripts/schema-validator.mjs),
 * then checks its references. Every error names the key and its line.
 */
import { ConfigurationError } from '@deploy-suite/kit';
import type { ErrorObject } from 'ajv';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import { checkReferences, type EnvironmentConfig, type Path } from './config.js';
import { validate } from './generated/environment-validator.js';

function lineOf(document: Document, lines: LineCounter, path: Path): number | undefined {
  // The deepest node that exists: a missing key is reported at its parent.
  for (let depth = path.length; depth >= 0; depth--) {
    const node = document.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    const holder = depth > 0 ? (document.getIn(path.slice(0, depth - 1), true) as unknown) : undefined;
    // For a key, point at the key itself rather than its value.
    if (holder && isMap(holder)) {
      const pair = holder.items.find((item) => (item.key as { value?: unknown } | null)?.value === path[depth - 1]);
      const keyRange = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
      if (keyRange) return lines.linePos(keyRange[0]).line;
    }
    if (node?.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

function pointerToPath(pointer: string): Path {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function describeSchemaError(error: ErrorObject): { path: Path; message: string } {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return { path: [...path, String(params.additionalProperty)], message: `unknown key "${String(params.additionalProperty)}"` };
    case 'required':
      return { path, message: `"${String(params.missingProperty)}" is required` };
    case 'enum':
      return { path, message: `must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}` };
    case 'oneOf':
      return { path, message: 'must set exactly one of "zip-directory" or "image"' };
    case 'pattern':
      return { path, message: `does not have the expected form (${String(params.pattern)})` };
    case 'minLength':
      return { path, message: params.limit === 1 ? 'must not be empty' : (error.message ?? 'is too short') };
    case 'not':
      return { path, message: 'must be a relative path that stays inside the repository' };
    default:
      return { path, message: error.message ?? 'is not valid' };
  }
}

function keyName(path: Path): string {
  return path.length === 0 ? '(top level)' : path.join('.');
}

export function parseEnvironmentConfig(text: string, file: string): EnvironmentConfig {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const fail = (path: Path, message: string): never => {
    const line = lineOf(document, lines, path);
    throw new ConfigurationError(`${file}${line ? `:${line}` : ''}: ${keyName(path)}: ${message}`);
  };
  const [syntaxError] = document.errors;
  if (syntaxError) {
    const line = syntaxError.linePos?.[0]?.line ?? lines.linePos(syntaxError.pos[0]).line;
    throw new ConfigurationError(`${file}${line ? `:${line}` : ''}: not valid YAML: ${syntaxError.message.split('\n')[0]}`);
  }
  const value = document.toJS({ maxAliasCount: 1000 }) as unknown;
  if (!validate(value)) {
    // The most specific error: oneOf/anyOf report their branches first, then themselves.
    const errors = validate.errors ?? [];
    const chosen = errors.find((error) => error.keyword !== 'anyOf' && error.keyword !== 'oneOf' && error.keyword !== 'if') ?? errors[0];
    if (chosen) {
      const { path, message } = describeSchemaError(chosen);
      fail(path, message);
    }
  }
  const config = value as Partial<EnvironmentConfig>;
  const normalised: EnvironmentConfig = {
    ...config,
    filters: config.filters ?? {},
    images: config.images ?? {},
    services: config.services ?? {},
    functions: config.functions ?? {},
  };
  checkReferences(normalised, fail);
  return normalised;
}
