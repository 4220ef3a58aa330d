import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The host each CI provider's repositories (and container registry paths) live on. */
const HOSTS: Readonly<Record<string, string>> = { github: 'github.com', gitlab: 'gitlab.com' };

/**
 * A repository as a path, `owner/name` (GitLab: `group/subgroup/name`), in
 * lower case as container registries want it, from what a user types or a git
 * remote holds: the path itself, an https URL, `ssh://` or scp-like
 * `git@host:owner/name.git`. Returns the host too when the text had one.
 */
export function parseRepository(text: string): { host?: string; path: string } {
  const value = text.trim();
  const scp = /^[\w.-]+@([\w.-]+):(?!\/\/)(.+)$/.exec(value);
  let host: string | undefined;
  let rest = value;
  if (scp) {
    host = scp[1];
    rest = scp[2]!;
  } else {
    const url = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/(.+)$/i.exec(value);
    if (url) {
      host = url[1];
      rest = url[2]!;
    }
  }
  const repositoryPath = rest.replace(/\/+$/, '').replace(/\.git$/, '').toLowerCase();
  return host === undefined ? { path: repositoryPath } : { host: host.toLowerCase(), path: repositoryPath };
}

/** The repository a remote URL names, when it is on the CI provider's own host; otherwise nothing. */
export function repositoryFromRemote(url: string, ci: string | undefined): string | undefined {
  const { host, path: repositoryPath } = parseRepository(url);
  const expected = HOSTS[ci ?? 'github'];
  return host !== undefined && host === expected ? repositoryPath : undefined;
}

/** gitRemoteUrl, asked at most once, and only when an answer needs it. */
export function remoteOf(dir: string): () => string | undefined {
  let url: { value: string | undefined } | undefined;
  return () => (url ??= { value: gitRemoteUrl(dir) }).value;
}

/** The URL of the git remote `origin` of the repository holding `dir` (or its nearest existing parent). */
export function gitRemoteUrl(dir: string): string | undefined {
  let existing = path.resolve(dir);
  while (!existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  try {
    const url = execFileSync('git', ['remote', 'get-url', 'origin'], {
      cwd: existing,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
    }).trim();
    return url === '' ? undefined : url;
  } catch {
    return undefined;
  }
}
