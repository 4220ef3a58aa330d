"""Tasks: the work items of a project (models, schemas, repository, service, router)."""
