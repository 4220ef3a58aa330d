import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const created: string[] = [];

afterAll(() => {
  if (process.env['KEEP_TEST_DIRS']) return;
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory under the OS temp dir, removed after the file's tests (unless KEEP_TEST_DIRS is set). */
export function makeTempDir(label = 'cprp'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `${label}-`));
  created.push(dir);
  return dir;
}
