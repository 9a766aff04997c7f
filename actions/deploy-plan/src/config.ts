/**
 * The environment description (.github/deploy/<environment>.yml): parsed with
 * positions, validated against the published JSON Schema, then checked for
 * references a schema cannot express (a `when` naming no filter, a container
 * naming no image). Every error names the key and its line.
 */
import { ConfigurationError } from '@deploy-suite/kit';
import { Ajv, type ErrorObject } from 'ajv';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import schema from '../../../schemas/deploy-environment.schema.json' with { type: 'json' };

export interface Image {
  context: string;
  dockerfile?: string;
  target?: string;
  'build-args'?: Record<string, string | number | boolean>;
  platform?: string;
  repository: string;
  when?: string[];
}
export interface Service {
  cluster: string;
  service: string;
  containers: Record<string, string>;
  timeout?: string;
  when?: string[];
}
export interface LambdaFunction {
  'function-name': string;
  'zip-directory'?: string;
  image?: string;
  build?: string;
  's3-bucket'?: string;
  alias?: string;
  canary?: string;
  'canary-interval'?: string;
  alarms?: string[];
  when?: string[];
}
export interface Site {
  directory: string;
  build?: string;
  bucket: string;
  prefix?: string;
  'distribution-id'?: string;
  'cache-control'?: string;
  state?: string;
  url?: string;
  when?: string[];
}
export interface Database {
  migrations?: string;
  command?: string;
  backup?: boolean;
  'dry-run'?: boolean;
  'run-task'?: { service: string; container?: string; command: string };
  when?: string[];
}
export interface Smoke {
  checks?: Record<string, unknown>[];
  timeout?: string;
  'max-p95'?: string;
  'load-requests'?: number;
  'load-concurrency'?: number;
}
export interface EnvironmentConfig {
  filters: Record<string, unknown[]>;
  images: Record<string, Image>;
  services: Record<string, Service>;
  functions: Record<string, LambdaFunction>;
  site?: Site;
  database?: Database;
  smoke?: Smoke;
  slack?: { channel: string };
}

type Path = (string | number)[];

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
  const ajv = new Ajv({ allErrors: false, strict: false });
  const validate = ajv.compile(schema);
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

function checkReferences(config: EnvironmentConfig, fail: (path: Path, message: string) => never): void {
  const filterNames = Object.keys(config.filters);
  const checkWhen = (path: Path, when: string[] | undefined): void => {
    when?.forEach((name, index) => {
      if (!filterNames.includes(name)) fail([...path, 'when', index], `names no filter "${name}" (filters: ${filterNames.join(', ')})`);
    });
  };
  const imageNames = Object.keys(config.images);
  for (const [name, image] of Object.entries(config.images)) checkWhen(['images', name], image.when);
  for (const [name, service] of Object.entries(config.services)) {
    checkWhen(['services', name], service.when);
    for (const [container, image] of Object.entries(service.containers)) {
      if (!imageNames.includes(image)) fail(['services', name, 'containers', container], `names no image "${image}" (images: ${imageNames.join(', ') || 'none'})`);
    }
  }
  for (const [name, fn] of Object.entries(config.functions)) {
    checkWhen(['functions', name], fn.when);
    if (fn.image && !imageNames.includes(fn.image)) fail(['functions', name, 'image'], `names no image "${fn.image}" (images: ${imageNames.join(', ') || 'none'})`);
  }
  if (config.site) checkWhen(['site'], config.site.when);
  if (config.database) {
    checkWhen(['database'], config.database.when);
    const { migrations, command } = config.database;
    if ((migrations === undefined) === (command === undefined)) fail(['database'], 'set exactly one of "migrations" or "command"');
    const runTask = config.database['run-task'];
    if (runTask && !(runTask.service in config.services)) fail(['database', 'run-task', 'service'], `names no service "${runTask.service}"`);
  }
  if (config.smoke?.checks) {
    config.smoke.checks.forEach((check, index) => {
      if (typeof check.url !== 'string') fail(['smoke', 'checks', index], 'every check needs a "url"');
      if (check.target !== undefined && !allTargetIds(config).includes(String(check.target))) {
        fail(['smoke', 'checks', index, 'target'], `names no target "${String(check.target)}" (targets: ${allTargetIds(config).join(', ')})`);
      }
    });
  }
}

/** Every target id of a description: images.<name>, services.<name>, functions.<name>, site, database. */
export function allTargetIds(config: Pick<EnvironmentConfig, 'images' | 'services' | 'functions' | 'site' | 'database'>): string[] {
  return [
    ...Object.keys(config.images).map((name) => `images.${name}`),
    ...Object.keys(config.services).map((name) => `services.${name}`),
    ...Object.keys(config.functions).map((name) => `functions.${name}`),
    ...(config.site ? ['site'] : []),
    ...(config.database ? ['database'] : []),
  ];
}
