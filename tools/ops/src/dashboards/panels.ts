import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

/** Every panel queries the data source picked in the `$datasource` variable. */
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

export interface Query {
  expr: string;
  legend: string;
}

export interface PanelSpec {
  title: string;
  description: string;
  /** Grafana unit id: reqps, percentunit, s, bytes, short, ... */
  unit: string;
  queries: Query[];
  /** Grid width (24 = full row); height is fixed per kind. */
  width?: number;
}

function targets(queries: Query[]): cog.Builder<cog.Dataquery>[] {
  return queries.map((query, index) =>
    new DataqueryBuilder()
      .datasource(DATASOURCE)
      .expr(query.expr)
      .legendFormat(query.legend)
      .refId(String.fromCharCode(65 + index)),
  );
}

export function timeseries(spec: PanelSpec): cog.Builder<dashboard.Panel> {
  return new TimeseriesPanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .unit(spec.unit)
    .datasource(DATASOURCE)
    .targets(targets(spec.queries))
    .height(8)
    .span(spec.width ?? 12);
}

export function stat(spec: PanelSpec): cog.Builder<dashboard.Panel> {
  return new StatPanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .unit(spec.unit)
    .datasource(DATASOURCE)
    .targets(targets(spec.queries))
    .height(5)
    .span(spec.width ?? 6);
}

/** 5xx over all requests; `or ... * 0` shows 0 instead of "no data" when nothing failed. */
export function errorRatio(selector: string, by: string): string {
  const all = `sum by (${by}) (rate(http_server_requests_total{${selector}}[$__rate_interval]))`;
  const failed = `sum by (${by}) (rate(http_server_requests_total{${selector},status_code=~"5.."}[$__rate_interval]))`;
  return `(${failed} or ${all} * 0) / ${all}`;
}

export function latencyQuantile(quantile: number, selector: string, by: string): string {
  const groups = by ? `${by}, le` : 'le';
  return `histogram_quantile(${quantile}, sum by (${groups}) (rate(http_server_request_duration_seconds_bucket{${selector}}[$__rate_interval])))`;
}
