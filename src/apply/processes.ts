/**
 * For tests only: a pause between staged (or journalled) files, so a test can
 * interrupt a write while it is under way. Unset in normal use.
 */
export const TEST_WRITE_DELAY_ENV = 'CREATE_PYTHON_ROADMAP_PROJECT_TEST_WRITE_DELAY_MS';

/** Whether a process of this machine is still running (EPERM: it runs as another user). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
