import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The generated suite's global setup: one directory for this run's caches that outlive
 * a test file (the workers' mypy caches, python-project.ts), handed to the workers
 * through the environment they start with, and removed when the run ends.
 */
export default function setup(): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cprp-run-'));
  process.env['CPRP_GENERATED_RUN_DIR'] = dir;
  return () => {
    if (!process.env['KEEP_TEST_DIRS']) rmSync(dir, { recursive: true, force: true });
  };
}
