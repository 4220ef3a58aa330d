"""Products: the read-heavy catalog (models, schemas, repository, service, router)."""
