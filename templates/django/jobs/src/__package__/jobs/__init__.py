"""Background jobs: the job ledger, running a job, and submitting one."""
