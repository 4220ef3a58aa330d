import type { Feature } from './feature.ts';

/**
 * `commit_or_conflict` (`db/transactions.py`): one commit per use case, and a
 * broken unique or foreign-key rule answered with 409 instead of a 500. Only
 * features whose clients can hit such a rule require it (crud, and generated
 * resources with a unique field).
 */
export const transactionsFeature: Feature = {
  id: 'transactions',
  title: 'Commits that turn a broken database rule into a 409 Conflict',
  requires: ['api', 'db'],
  dependencies: [],
  devDependencies: [],
  templateDirs: () => [],
  frameworks: {
    fastapi: { templateDirs: ['transactions'] },
    flask: { templateDirs: ['transactions'] },
    django: { templateDirs: ['django/transactions'] },
  },
};
