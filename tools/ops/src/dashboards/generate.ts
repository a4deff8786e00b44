// Writes the Grafana dashboards to monitoring/grafana/dashboards. Run after editing any panel:
//   pnpm exec nx run ops:dashboards
// tools/ops/test/dashboards.spec.ts fails when the committed JSON differs from this output.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDashboards } from './index.js';

const target = join(import.meta.dirname, '../../../../monitoring/grafana/dashboards');
for (const [file, json] of Object.entries(renderDashboards())) {
  writeFileSync(join(target, file), json);
  console.log(`wrote ${join(target, file)}`);
}
