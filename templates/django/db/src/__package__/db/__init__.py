"""Database plumbing shared by every app: health checks and transactions."""
