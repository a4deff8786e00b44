import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASOURCE } from './panels.js';

export function datasourceVariable() {
  return new dashboard.DatasourceVariableBuilder('datasource').label('Data source').type('prometheus');
}

export function namespaceVariable() {
  return new dashboard.QueryVariableBuilder('namespace')
    .label('Namespace')
    .datasource(DATASOURCE)
    .query('label_values(http_server_requests_total, namespace)')
    .definition('label_values(http_server_requests_total, namespace)')
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
}

export function serviceVariable() {
  return new dashboard.QueryVariableBuilder('service')
    .label('Service')
    .datasource(DATASOURCE)
    .query('label_values(http_server_requests_total{namespace="$namespace"}, service)')
    .definition('label_values(http_server_requests_total{namespace="$namespace"}, service)')
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
}
