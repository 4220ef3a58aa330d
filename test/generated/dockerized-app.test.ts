import { expect } from 'vitest';
import { describeContainerSuite } from '../helpers/container-suite.ts';

describeContainerSuite({
  title: 'dockerized-app: the image, the compose stack and the container, for real',
  name: 'shipyard',
  args: ['--milestone', 'dockerized-app'],
  services: ['app', 'db', 'migrate'],
  mainFlow: async (baseUrl) => {
    const response = await fetch(`${baseUrl}/health`);
    expect(response.status).toBe(200);
  },
});
