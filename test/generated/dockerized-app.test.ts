import { describeContainerSuite } from '../helpers/container-suite.ts';
import { projectsAndTasksFlow } from '../helpers/crud-flow.ts';
import { generateProject } from '../helpers/python-project.ts';

/**
 * The standalone milestone (api, db, crud, docker), with every container check:
 * its projects-and-tasks flow served by gunicorn in the container and stored in
 * the machine's PostgreSQL, plus layer caching, sizes, Nginx and the test stage.
 */
describeContainerSuite({
  title: 'dockerized-app: the image, the compose stack and the container, for real',
  name: 'shipyard',
  generate: () => generateProject('shipyard', ['--milestone', 'dockerized-app']),
  thorough: true,
  services: ['app', 'db', 'migrate'],
  mainFlow: projectsAndTasksFlow,
});
