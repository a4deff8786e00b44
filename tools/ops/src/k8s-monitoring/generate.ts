// Writes k8s/base/monitoring from monitoring/ (rules and dashboards). Run after editing either:
//   pnpm exec nx run ops:k8s-monitoring
// tools/ops/test/k8s-monitoring.spec.ts fails when the committed manifests differ from this output.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { K8S_MONITORING_DIR, renderK8sMonitoring } from './render.js';

const rendered = renderK8sMonitoring();
mkdirSync(K8S_MONITORING_DIR, { recursive: true });
// A rule file or dashboard removed from monitoring/ must not linger in the cluster manifests.
for (const file of readdirSync(K8S_MONITORING_DIR)) if (!(file in rendered)) rmSync(join(K8S_MONITORING_DIR, file));
for (const [file, text] of Object.entries(rendered)) {
  writeFileSync(join(K8S_MONITORING_DIR, file), text);
  console.log(`wrote ${join(K8S_MONITORING_DIR, file)}`);
}
