import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { HttpMetrics } from './http-metrics.js';
import { MetricsRegistry } from './metrics-registry.js';

const request = (route: string) => ({ method: 'GET', routeOptions: { url: route } }) as FastifyRequest;
const reply = (statusCode: number, elapsedMs: number) => ({ statusCode, elapsedTime: elapsedMs }) as FastifyReply;

async function scrape(registry: MetricsRegistry, prefix: string): Promise<string[]> {
  return (await registry.render()).split('\n').filter((line) => line.startsWith(prefix));
}

describe('HttpMetrics', () => {
  it('renders cumulative buckets, sum and count per route and status, and requests in flight', async () => {
    const registry = new MetricsRegistry('test');
    const metrics = new HttpMetrics(registry);
    for (const elapsedMs of [3, 15, 15, 700]) {
      metrics.started();
      metrics.finished(request('/things/:id'), reply(200, elapsedMs));
    }
    metrics.started();
    metrics.started();
    metrics.aborted();
    const series = 'method="GET",route="/things/:id",status_code="200"';
    const buckets = await scrape(registry, 'http_server_request_duration_seconds_bucket');
    expect(buckets).toEqual(expect.arrayContaining([
      `http_server_request_duration_seconds_bucket{${series},le="0.005",service="test"} 1`,
      `http_server_request_duration_seconds_bucket{${series},le="0.02",service="test"} 3`,
      `http_server_request_duration_seconds_bucket{${series},le="0.5",service="test"} 3`,
      `http_server_request_duration_seconds_bucket{${series},le="1",service="test"} 4`,
      `http_server_request_duration_seconds_bucket{${series},le="+Inf",service="test"} 4`,
    ]));
    expect(await scrape(registry, 'http_server_request_duration_seconds_count')).toEqual([`http_server_request_duration_seconds_count{${series},service="test"} 4`]);
    const [sum] = await scrape(registry, 'http_server_request_duration_seconds_sum');
    expect(Number(sum!.split(' ').pop())).toBeCloseTo(0.733, 6);
    expect(await scrape(registry, 'http_server_requests_total')).toEqual([`http_server_requests_total{${series},service="test"} 4`]);
    expect(await scrape(registry, 'http_server_requests_in_flight')).toEqual(['http_server_requests_in_flight{service="test"} 1']);
  });

  it('folds label sets past its bound into one overflow series instead of growing without end', async () => {
    const registry = new MetricsRegistry('test');
    const metrics = new HttpMetrics(registry);
    for (let route = 0; route < 5_010; route++) {
      metrics.started();
      metrics.finished(request(`/r${route}`), reply(200, 1));
    }
    const counted = await scrape(registry, 'http_server_requests_total');
    expect(counted).toHaveLength(5_001);
    expect(counted).toContain('http_server_requests_total{method="other",route="overflow",status_code="other",service="test"} 10');
  });
});
