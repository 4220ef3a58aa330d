import { expect } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { describeContainerSuite } from '../helpers/container-suite.ts';
import { projectsAndTasksFlow } from '../helpers/crud-flow.ts';
import { generateProject, mustRun } from '../helpers/python-project.ts';

/**
 * The docker feature added to a project that already exists: a crud-db project,
 * installed (uv.lock written), gains dockerized-app with `add`; `uv sync` updates
 * the lock, and the image built from the grown project serves the crud flow.
 * Only the checks that depend on the milestone combination run here; the
 * dockerized-app suite runs the ones that depend on the Dockerfile alone.
 */
describeContainerSuite({
  title: 'crud-db, then add dockerized-app: the grown project builds and runs in a container',
  name: 'fleet',
  generate: async () => {
    const dir = await generateProject('fleet', ['--milestone', 'crud-db']);
    await mustRun(dir, ['uv', 'sync']);
    const added = await runCli(['add', 'dockerized-app', '--yes'], { cwd: dir });
    expect(added.exitCode, `${added.stdout}\n${added.stderr}`).toBe(0);
    expect(added.stdout).toContain('created   Dockerfile');
    return dir;
  },
  thorough: false,
  services: ['app', 'db', 'migrate'],
  mainFlow: projectsAndTasksFlow,
});
