/**
 * The environment description (.github/deploy/<environment>.yml) as the plan
 * reads it, and the references a schema cannot express (a `when` naming no
 * filter, a container naming no image). Parsing and schema validation live in
 * parse-config.ts, loaded only once the inputs are read.
 */

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

/** Where in the description: keys and list indexes from the top. */
export type Path = (string | number)[];

export function checkReferences(config: EnvironmentConfig, fail: (path: Path, message: string) => never): void {
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
