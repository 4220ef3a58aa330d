import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { execa } from 'execa';
import { REPO_ROOT } from './cli.ts';
import { hasExecutable } from './requirements.ts';

/**
 * Podman as this machine (and CI) can run it: no registry is reachable, the
 * default OCI runtime does not work here (runc does), and the ulimits must be
 * explicit. Everything container-specific about the test environment lives in
 * this file and in test/fixtures/podman/, never in the generated Dockerfile.
 */
const GLOBAL_FLAGS = ['--runtime', 'runc'];
const LIMIT_FLAGS = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];

export const FIXTURE_SCRIPT = path.join(REPO_ROOT, 'test', 'fixtures', 'podman', 'build-images.sh');

export interface PodmanResult {
  readonly exitCode: number;
  readonly output: string;
}

/** Runs `podman <args>` with the machine's global flags; never throws on a non-zero exit. */
export async function podman(args: readonly string[], timeoutMs = 10 * 60_000): Promise<PodmanResult> {
  const result = await execa('podman', [...GLOBAL_FLAGS, ...args], {
    all: true,
    reject: false,
    timeout: timeoutMs,
    stdin: 'ignore',
  });
  return { exitCode: result.exitCode ?? -1, output: String(result.all ?? '') };
}

/** Like podman(), but a failure throws with the output. */
export async function mustPodman(args: readonly string[], timeoutMs?: number): Promise<string> {
  const result = await podman(args, timeoutMs);
  if (result.exitCode !== 0) {
    throw new Error(`\`podman ${args.join(' ')}\` exited ${result.exitCode}:\n${result.output.slice(-6000)}`);
  }
  return result.output;
}

/**
 * Podman can run the container tests here: the binary exists, and the fixture
 * images can be built (debootstrap, and the rootful podman that stores them, need root).
 */
export function podmanUsable(): boolean {
  if (!hasExecutable('podman')) return false;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return isRoot && hasExecutable('debootstrap');
}

export interface FixtureImages {
  /** The base both Dockerfile stages start from (the Dockerfile's PYTHON_IMAGE). */
  readonly pythonImage: string;
  /** uv's image under the name the Dockerfile's UV_IMAGE default expects. */
  readonly uvImage: string;
  /** Debian's nginx, serving whatever is mounted into /etc/nginx/conf.d/. */
  readonly nginxImage: string;
}

/** Builds the fixture images when missing (minutes, once) and returns their names (instant when cached). */
export async function ensureFixtureImages(): Promise<FixtureImages> {
  const result = await execa('bash', [FIXTURE_SCRIPT], { all: true, reject: false, timeout: 15 * 60_000 });
  const output = String(result.all ?? '');
  if (result.exitCode !== 0) throw new Error(`the podman fixture failed (exit ${result.exitCode}):\n${output.slice(-4000)}`);
  const value = (key: string): string => {
    const match = new RegExp(`^${key}=(.+)$`, 'm').exec(String(result.stdout));
    if (!match?.[1]) throw new Error(`the podman fixture printed no ${key}:\n${output}`);
    return match[1];
  };
  return { pythonImage: value('PYTHON_IMAGE'), uvImage: value('UV_IMAGE'), nginxImage: value('NGINX_IMAGE') };
}

/**
 * Images and containers one test run creates, labelled and named uniquely so
 * that concurrent runs (two engineers, CI) never touch each other's, and
 * removed together at the end. Layers an image shares with another stay.
 */
export class PodmanSession {
  readonly id = randomBytes(4).toString('hex');
  readonly label = `cprp.test-run=${this.id}`;
  private readonly containers: string[] = [];
  private readonly networks: string[] = [];

  /** A unique image reference for this run. */
  image(name: string, tag = 'latest'): string {
    return `localhost/cprp-test/${name}-${this.id}:${tag}`;
  }

  /**
   * `podman build` with the machine's flags: never pull, keep HEALTHCHECK (the
   * OCI format drops it; the docker format keeps it), and give RUN steps the
   * host's network so that reaching PyPI needs no bridge or NAT rules.
   */
  async build(contextDir: string, args: readonly string[]): Promise<PodmanResult> {
    return podman([
      'build',
      ...LIMIT_FLAGS,
      '--pull=never',
      '--format',
      'docker',
      '--network',
      'host',
      '--label',
      this.label,
      ...args,
      contextDir,
    ]);
  }

  /**
   * `podman run --detach`, on the host network unless `network` says otherwise
   * (e.g. ['--network', 'container:<name>'] to share another container's).
   * The image's health check runs only when a test asks (`podman healthcheck
   * run`): podman's periodic timers need systemd, absent here (podman logs an
   * error about it and carries on).
   */
  async start(
    image: string,
    options: { env?: Record<string, string>; network?: readonly string[]; flags?: readonly string[]; command?: readonly string[] },
  ): Promise<string> {
    const name = `cprp-${this.id}-${this.containers.length}`;
    this.containers.push(name);
    await mustPodman([
      'run',
      '--detach',
      '--name',
      name,
      ...(options.network ?? ['--network', 'host']),
      ...LIMIT_FLAGS,
      ...(options.flags ?? []),
      ...Object.entries(options.env ?? {}).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
      image,
      ...(options.command ?? []),
    ]);
    return name;
  }

  /**
   * `podman run --rm` to completion on the host network, without the image's
   * health check (a one-off command serves nothing); never throws on a non-zero exit.
   */
  async run(
    image: string,
    options: { env?: Record<string, string>; network?: readonly string[]; flags?: readonly string[]; command?: readonly string[] },
  ): Promise<PodmanResult> {
    return podman([
      'run',
      '--rm',
      ...(options.network ?? ['--network', 'host']),
      '--no-healthcheck',
      ...LIMIT_FLAGS,
      ...(options.flags ?? []),
      ...Object.entries(options.env ?? {}).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
      image,
      ...(options.command ?? []),
    ]);
  }

  /**
   * A bridge network of this run's own, with a /24 subnet no other network uses,
   * so its containers can be given fixed addresses (`--ip`) that survive a restart.
   * Returns its name and the first three octets of its addresses (`10.89.7`).
   * Podman 4.3's CNI backend has no DNS between containers: give them names with
   * `--add-host name:address`, as compose's DNS would.
   */
  async network(): Promise<{ name: string; prefix: string }> {
    const name = `cprp-${this.id}-net${this.networks.length}`;
    let last = '';
    // A random third octet; another run (or a leftover) may hold it: try a few.
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const prefix = `10.89.${randomBytes(1)[0]}`;
      const created = await podman(['network', 'create', '--label', this.label, '--subnet', `${prefix}.0/24`, name]);
      if (created.exitCode === 0) {
        this.networks.push(name);
        return { name, prefix };
      }
      last = created.output;
    }
    throw new Error(`podman network create ${name} failed:\n${last}`);
  }

  /**
   * Removes this run's containers, then its images without `--force`: a forced
   * `rmi` also removes the image's untagged parent layers and every container
   * using them, and another suite's build running at the same moment may be
   * standing on one of those cached layers (its build container vanished
   * mid-build: "identifier is not a container"). Unforced, podman keeps any
   * layer still in use; what stays is cache the next build reuses.
   */
  async cleanup(): Promise<void> {
    // Newest first: a container sharing another's network (`container:<name>`)
    // depends on it, and podman refuses to remove a container with dependents.
    for (const name of [...this.containers].reverse()) await podman(['rm', '--force', '--time', '0', name]);
    for (const name of this.networks) await podman(['network', 'rm', '--force', name]);
    const images = await podman(['images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', `label=${this.label}`]);
    const names = [...new Set(images.output.split('\n').map((line) => line.trim()).filter(Boolean))];
    // By name, so an image tagged twice loses both names and then its layers.
    for (const name of names) await podman(['rmi', name]);
  }
}

/** Size in bytes of a local image. */
export async function imageSize(image: string): Promise<number> {
  const output = await mustPodman(['image', 'inspect', '--format', '{{.Size}}', image]);
  return Number(output.trim());
}
