import { beforeEach, expect } from 'vitest';

/**
 * Unit tests run with this setup file: a test that reaches its end without a
 * single `expect` fails, so a case that loops over an empty list, or a check
 * behind a branch that never runs, cannot pass by asserting nothing.
 */
beforeEach(() => {
  expect.hasAssertions();
});
