"""Projects: named groups of tasks (models, schemas, repository, service, router)."""
