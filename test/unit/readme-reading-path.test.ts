import { describe, expect, it } from 'vitest';
import { planMilestones, plannedText } from '../helpers/plan-milestones.ts';
import { catalog } from '../helpers/template-tree.ts';

/**
 * Every README opens with a reading path: about ten files, in order, one line
 * each, then the advanced machinery a first reading can skip. (That every file
 * it names exists is checked with the other README lines, in
 * test/unit/project-honesty.test.ts and the matrix.)
 */
describe('the README opens with "Read the code in this order"', () => {
  const stopsOf = (readme: string): string[] => [...readme.matchAll(/^(\d+)\. `([^`]+)`: .+\.$/gm)].map((match) => match[2] ?? '');
  const section = (readme: string): string => /## Read the code in this order\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';

  for (const milestone of catalog.milestones) {
    it(`${milestone.id}: the first section, numbered stops, at most thirteen`, () => {
      const readme = plannedText(planMilestones('reader', [milestone.id]), 'README.md');
      expect(readme.match(/^## .*/m)?.[0]).toBe('## Read the code in this order');
      const stops = stopsOf(section(readme));
      expect(stops.length).toBeGreaterThanOrEqual(5);
      expect(stops.length).toBeLessThanOrEqual(13);
      expect(new Set(stops).size).toBe(stops.length);
      expect([...section(readme).matchAll(/^(\d+)\. /gm)].map((match) => Number(match[1]))).toEqual(stops.map((_, index) => index + 1));
    });
  }

  it.each([
    ['rest-api-auth', ['auth/rate_limit.py', 'WWW-Authenticate', 'users/promote.py']],
    ['background-jobs', ['jobs/embedded_broker.py', "beat's schedule", 'jobs/sweeper.py']],
  ])('%s marks the advanced machinery a first reading can skip', (milestone, skipped) => {
    const readme = plannedText(planMilestones('reader', [milestone]), 'README.md');
    const skip = /Advanced machinery a first reading can skip[^\n]*\n\n((?:- .*\n)+)/.exec(section(readme))?.[1] ?? '';
    for (const item of skipped) expect(skip).toContain(item);
    for (const stop of stopsOf(section(readme))) expect(skip).not.toContain(`\`${stop}\``);
  });

  it('follows the options: the chosen CI provider and deploy target', () => {
    const readme = plannedText(planMilestones('reader', ['cloud-deploy'], { ci: 'gitlab', deploy: 'kubernetes' }), 'README.md');
    expect(stopsOf(section(readme)).slice(-2)).toEqual(['.gitlab-ci.yml', 'k8s/deploy.sh']);
  });
});

describe('learning objectives follow the options', () => {
  const REPLICA_OBJECTIVE = 'Send list reads to a replica';

  it.each([
    ['fastapi', true],
    ['flask', true],
    ['django', false],
  ])('scalable-service on %s: the replica objective is listed only where the project reads lists from a replica', (framework, listed) => {
    const readme = plannedText(planMilestones('reader', ['scalable-service'], { framework }), 'README.md');
    expect(readme).toContain('Put a cache in front of the database');
    expect(readme.includes(REPLICA_OBJECTIVE)).toBe(listed);
  });
});
