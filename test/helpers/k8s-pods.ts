import http from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { parse } from 'yaml';

/**
 * A Kubernetes pod spec of generated manifests, run for real with podman: the settings
 * that could break the app map one to one onto `podman run` flags (runAsUser/runAsGroup →
 * --user, readOnlyRootFilesystem → --read-only, emptyDir mounts → --tmpfs, capabilities.drop
 * ALL → --cap-drop ALL, allowPrivilegeEscalation: false → no-new-privileges), the ConfigMap
 * of `k8s/` becomes the environment, and each Secret key the pod references takes its value
 * from `secrets` (a key the test did not provide is an error, not an empty variable).
 */
export function podFlags(pod: any, k8s: string, secrets: Record<string, string>): { flags: string[]; env: Record<string, string> } {
  const [spec] = pod.containers;
  const user = pod.securityContext;
  const flags = ['--user', `${user.runAsUser}:${user.runAsGroup}`, '--no-healthcheck'];
  if (spec.securityContext.readOnlyRootFilesystem) flags.push('--read-only');
  if (spec.securityContext.allowPrivilegeEscalation === false) flags.push('--security-opt', 'no-new-privileges');
  for (const capability of spec.securityContext.capabilities.drop) flags.push('--cap-drop', capability);
  for (const mount of spec.volumeMounts ?? []) {
    const volume = pod.volumes.find((entry: any) => entry.name === mount.name);
    expect(volume.emptyDir, `${mount.name} is an emptyDir`).toBeDefined();
    flags.push('--tmpfs', `${mount.mountPath}:size=${volume.emptyDir.sizeLimit.replace('Mi', 'm')}`);
  }
  const configMap = parse(readFileSync(path.join(k8s, 'configmap.yaml'), 'utf8'));
  const env: Record<string, string> = { ...configMap.data };
  for (const entry of spec.env) {
    const value = secrets[entry.valueFrom.secretKeyRef.key];
    if (value === undefined) throw new Error(`no value for the Secret's key ${entry.valueFrom.secretKeyRef.key}`);
    env[entry.name] = value;
  }
  return { flags, env };
}

/** A GET with the Host header a probe or a proxy would send (fetch() cannot set Host); status 0 when nothing answers. */
export function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const request = http.get(url, { headers: { host }, timeout: 5000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve({ status: 0, body: '' }));
  });
}
