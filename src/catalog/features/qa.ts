import type { Feature } from './feature.ts';

/**
 * The qa-automation milestone: a small web app under test (server-rendered
 * pages and a JSON API, FastAPI + Jinja2) shipped beside a test framework the
 * learner extends: page objects for Playwright in a real Chromium, an API
 * client, OpenAPI contract checks, environments from settings. It owns its
 * own app rather than building on `api`, so the app stays small enough to be
 * the thing under test rather than the lesson.
 */
export const qaFeature: Feature = {
  id: 'qa',
  title: 'A web app under test with Playwright UI tests, API contract tests and a test framework',
  requires: ['base'],
  dependencies: ['fastapi', 'uvicorn', 'jinja2', 'pythonMultipart', 'httpx', 'playwright', 'jsonschema'],
  devDependencies: ['pytestPlaywright', 'pytestXdist', 'pytestHtml', 'typesJsonschema'],
  templateDirs: () => ['qa'],
  coverageSources: ['tests/framework'],
  readingPath: () => ({
    stops: [
      { file: 'src/{package}/app/main.py', why: 'the app under test: pages, its JSON API and the routes they share' },
      { file: 'tests/framework/server.py', why: 'the app started on a real socket, on a port the OS picks' },
      { file: 'tests/conftest.py', why: 'markers, the environment, the live server or a remote base URL' },
      { file: 'tests/framework/pages/products.py', why: 'a page object: roles and test ids, no CSS paths' },
      { file: 'tests/ui/test_products.py', why: 'UI tests that read like the user story, in every viewport' },
      { file: 'tests/framework/contract.py', why: 'responses checked against the OpenAPI document' },
      { file: 'tests/api/test_products_table.py', why: 'data-driven tests: one row of a CSV table per case' },
    ],
    skip: [{ file: 'tests/framework/browser.py', why: 'how the Chromium to drive is found; read it when it is not' }],
  }),
  runCommand: (project) => `$(RUN) python -m ${project.packageName}`,
  nextSteps: () => [
    { stage: 'run', command: 'make smoke', why: 'the smoke tests, in parallel, in a headless Chromium' },
    { stage: 'run', command: 'make report', why: 'every test, with the HTML report in reports/report.html' },
  ],
};
