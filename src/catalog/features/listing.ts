import type { Feature } from './feature.ts';

/**
 * Paginated, searchable lists: the page parameters and envelope
 * (`pagination.py`) and the SQL helpers that count, page and search
 * (`db/queries.py`). Not a milestone of its own: the features that serve lists
 * (crud, auth) require it, so a project without lists does not carry it, and
 * `generate resource` asks for it (`add listing`) where it is missing.
 */
export const listingFeature: Feature = {
  id: 'listing',
  title: 'Paginated, filtered and searchable lists in SQL',
  requires: ['api', 'db'],
  dependencies: [],
  devDependencies: [],
  templateDirs: () => [],
  // Pydantic page models and SQLAlchemy helpers (`listing/sqlalchemy`), shared by FastAPI and
  // Flask; Django pages its querysets itself.
  frameworks: {
    fastapi: { templateDirs: ['listing/sqlalchemy'] },
    flask: { templateDirs: ['listing/sqlalchemy'] },
    django: { templateDirs: ['listing/django'] },
  },
};
