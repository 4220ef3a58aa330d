import { parse } from 'yaml';

/**
 * The shell steps of a generated CI pipeline, read from the pipeline file
 * itself (GitHub Actions workflow or .gitlab-ci.yml), so the tests run exactly
 * what CI would run instead of a copy of it that could drift.
 */
export interface PipelineStep {
  readonly job: string;
  /** The step's name (GitHub) or the script line itself (GitLab). */
  readonly name: string;
  /** A shell script, run with `bash -eo pipefail`. */
  readonly script: string;
  /** The variables CI sets for it: workflow/default, job and step levels merged. */
  readonly env: Readonly<Record<string, string>>;
}

export interface PipelineService {
  /** The image, e.g. postgres:17-bookworm. */
  readonly image: string;
  /** The host name the job reaches it by (GitHub maps ports to localhost). */
  readonly host: string;
}

export interface PipelineJob {
  readonly name: string;
  readonly steps: readonly PipelineStep[];
  /** `uses:` steps (GitHub) that set the runner up; the local machine stands in for them. */
  readonly actions: readonly string[];
  readonly services: readonly PipelineService[];
  /** GitLab's `coverage:` regular expression, when the job has one. */
  readonly coverageRegex?: RegExp;
}

type YamlMap = Record<string, unknown>;

function isMap(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringMap(value: unknown, where: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isMap(value)) throw new Error(`${where}: expected a map of variables`);
  return Object.fromEntries(
    Object.entries(value).map(([key, entry]) => {
      if (typeof entry === 'object' && entry !== null) {
        // GitLab's long form: { value, description }.
        const long = (entry as YamlMap)['value'];
        return [key, String(long)];
      }
      return [key, String(entry)];
    }),
  );
}

/** The `run:` steps of the named jobs of a GitHub Actions workflow. */
export function githubJobs(workflowText: string): Map<string, PipelineJob> {
  const workflow = parse(workflowText) as YamlMap;
  const rootEnv = stringMap(workflow['env'], 'workflow env');
  const jobs = new Map<string, PipelineJob>();
  for (const [name, raw] of Object.entries((workflow['jobs'] ?? {}) as YamlMap)) {
    if (!isMap(raw)) throw new Error(`job ${name} is not a map`);
    const jobEnv = { ...rootEnv, ...stringMap(raw['env'], `${name}.env`) };
    const steps: PipelineStep[] = [];
    const actions: string[] = [];
    for (const step of (raw['steps'] ?? []) as YamlMap[]) {
      if (typeof step['uses'] === 'string') {
        actions.push(step['uses']);
        continue;
      }
      const script = step['run'];
      if (typeof script !== 'string') throw new Error(`job ${name}: a step with neither run nor uses`);
      steps.push({
        job: name,
        name: typeof step['name'] === 'string' ? step['name'] : script,
        script,
        env: { ...jobEnv, ...stringMap(step['env'], `${name} step env`) },
      });
    }
    const services = Object.entries((raw['services'] ?? {}) as YamlMap).map(([, service]) => ({
      image: String((service as YamlMap)['image']),
      host: 'localhost',
    }));
    jobs.set(name, { name, steps, actions, services });
  }
  return jobs;
}

/** GitLab's `/pattern/` syntax as a JavaScript RegExp (the patterns used here need no RE2-only feature). */
function gitlabRegex(source: string): RegExp {
  const match = /^\/(.*)\/([a-z]*)$/s.exec(source);
  if (!match?.[1]) throw new Error(`not a /regex/: ${source}`);
  return new RegExp(match[1], `${match[2] ?? ''}m`);
}

/**
 * The jobs of a .gitlab-ci.yml with `default:` and `extends:` applied the way
 * GitLab merges them (maps deep-merged, everything else replaced). Each line of
 * `before_script` and `script` is a step; `after_script` is left out: it runs
 * in a separate shell whatever happened, for housekeeping of the runner's cache.
 */
export function gitlabJobs(pipelineText: string): Map<string, PipelineJob> {
  const pipeline = parse(pipelineText) as YamlMap;
  const reserved = new Set(['default', 'workflow', 'stages', 'variables', 'include', 'image', 'services', 'cache']);
  const globalVariables = stringMap(pipeline['variables'], 'variables');
  const defaults = isMap(pipeline['default']) ? pipeline['default'] : {};

  const merge = (base: YamlMap, over: YamlMap): YamlMap => {
    const out: YamlMap = { ...base };
    for (const [key, value] of Object.entries(over)) {
      const previous = out[key];
      out[key] = isMap(previous) && isMap(value) ? merge(previous, value) : value;
    }
    return out;
  };
  const resolve = (name: string, seen: Set<string>): YamlMap => {
    const raw = pipeline[name];
    if (!isMap(raw)) throw new Error(`no job ${name}`);
    if (seen.has(name)) throw new Error(`extends cycle at ${name}`);
    const parents = raw['extends'] === undefined ? [] : ([] as unknown[]).concat(raw['extends']).map(String);
    let base: YamlMap = {};
    for (const parent of parents) base = merge(base, resolve(parent, new Set([...seen, name])));
    return merge(base, raw);
  };

  const jobs = new Map<string, PipelineJob>();
  for (const name of Object.keys(pipeline)) {
    if (reserved.has(name) || name.startsWith('.')) continue;
    const job = merge(defaults, resolve(name, new Set()));
    const env = { ...globalVariables, ...stringMap(job['variables'], `${name}.variables`) };
    const lines = [
      ...((job['before_script'] ?? []) as unknown[]),
      ...((job['script'] ?? []) as unknown[]),
    ].map(String);
    const services = ((job['services'] ?? []) as unknown[]).map((service) =>
      typeof service === 'string'
        ? { image: service, host: service.split(':')[0]!.replaceAll('/', '__') }
        : { image: String((service as YamlMap)['name']), host: String((service as YamlMap)['alias']) },
    );
    jobs.set(name, {
      name,
      steps: lines.map((line) => ({ job: name, name: line, script: line, env })),
      actions: [],
      services,
      ...(typeof job['coverage'] === 'string' ? { coverageRegex: gitlabRegex(job['coverage']) } : {}),
    });
  }
  return jobs;
}

/** The kind of database server a URL names: PostgreSQL and MySQL/MariaDB, whatever the driver suffix. */
function databaseFamily(protocol: string): 'postgres' | 'mysql' | undefined {
  const scheme = protocol.replace(/:$/, '').split('+')[0];
  if (scheme === 'postgres' || scheme === 'postgresql') return 'postgres';
  if (scheme === 'mysql' || scheme === 'mariadb') return 'mysql';
  return undefined;
}

/**
 * Points a step's variables at this machine's servers instead of the job's
 * service containers: a database URL on a service host becomes `database`
 * (a throwaway database on the same kind of server), a Redis URL keeps its
 * database number but talks to 127.0.0.1.
 */
export function onThisMachine(
  env: Readonly<Record<string, string>>,
  services: readonly PipelineService[],
  database: string,
): Record<string, string> {
  const hosts = new Set(services.map((service) => service.host));
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (url && hosts.has(url.hostname) && databaseFamily(url.protocol) !== undefined) {
      if (databaseFamily(url.protocol) !== databaseFamily(new URL(database).protocol)) {
        throw new Error(`${key} names a ${url.protocol} server, and the stand-in database is ${database}`);
      }
      out[key] = database;
    } else if (url && hosts.has(url.hostname) && url.protocol === 'redis:') {
      url.hostname = '127.0.0.1';
      out[key] = url.toString();
    } else {
      out[key] = value;
    }
  }
  return out;
}
