import type { Feature } from './feature.ts';

/**
 * A model from raw data to an HTTP answer: a typed pandas pipeline (load, validate,
 * clean, features, a split without leakage), a scikit-learn `Pipeline` checked
 * against a baseline and saved in a versioned local registry, and an inference
 * router on the api feature's app. `python -m <package>` stays the server; the
 * data work runs as `python -m <package>.ml`.
 */
export const dataFeature: Feature = {
  id: 'data',
  title: 'A typed pandas pipeline, a scikit-learn model in a local registry, and its inference service',
  requires: ['api'],
  dependencies: ['numpy', 'pandas', 'pyarrow', 'scikitLearn', 'joblib', 'matplotlib'],
  devDependencies: ['pandasStubs', 'hypothesis', 'hadolint'],
  templateDirs: () => ['data'],
  // The router, its lifespan and the tests are FastAPI's: other frameworks are refused (exit 2).
  frameworks: { fastapi: {} },
  routers: [{ module: 'predictions.router', name: 'router', alias: 'predictions_router' }],
  healthChecks: [{ key: 'model', module: 'predictions.health', name: 'check_model' }],
  readingPath: () => ({
    stops: [
      { file: 'src/{package}/synthetic.py', why: 'the raw data, made by code: a known signal, noise, and the mess real exports have' },
      { file: 'src/{package}/schema.py', why: 'the contract every row must meet: dtypes and rules, bad rows reported, never dropped silently' },
      { file: 'src/{package}/features.py', why: 'feature engineering as whole-column NumPy/pandas operations' },
      { file: 'src/{package}/split.py', why: 'a train/test split that cannot leak one customer into both sides' },
      { file: 'src/{package}/training.py', why: 'the scikit-learn `Pipeline`, cross-validation and the baseline it must beat' },
      { file: 'src/{package}/registry.py', why: 'versioned model folders: the model, its metrics, chart and provenance' },
      { file: 'src/{package}/predictions/router.py', why: 'the served model: input checked against the training schema, answers name the version' },
    ],
    skip: [{ file: 'src/{package}/ml.py', why: 'the command line around the same functions: generate, train, evaluate, score' }],
  }),
  nextSteps: () => [
    { stage: 'prepare', command: 'make data', why: 'write the synthetic raw data set to data/raw/' },
    { stage: 'prepare', command: 'make train', why: 'validate, train, cross-validate and register a model version under models/' },
    { stage: 'run', command: 'make run', why: 'serve the latest registered model on http://127.0.0.1:8000 (POST /api/v1/predictions)' },
  ],
};
