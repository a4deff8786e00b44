import { Injectable, Logger } from '@nestjs/common';
import { GatewayEnv } from '../config/gateway.env.js';
import { UpstreamRegistry } from '../proxy/upstream-registry.js';
import { RouteTable } from '../routing/route-table.js';
import { SpecUnavailableError, UnknownServiceSpecError } from './api-docs.errors.js';

export interface OpenApiDocument {
  openapi: string;
  info: Record<string, unknown>;
  servers?: { url: string; description?: string }[];
  paths: Record<string, unknown>;
  [key: string]: unknown;
}

interface CacheEntry {
  document: OpenApiDocument;
  fetchedAt: number;
}

const FETCH_TIMEOUT_MS = 2_000;

/**
 * Each upstream's OpenAPI document, fetched from the service itself and cached. A service that is
 * down keeps its last document on the page (stale beats empty for people reading the docs).
 */
@Injectable()
export class SpecAggregator {
  private readonly logger = new Logger(SpecAggregator.name);
  private readonly cache = new Map<string, CacheEntry>();
  private readonly pending = new Map<string, Promise<OpenApiDocument>>();

  constructor(
    private readonly routes: RouteTable,
    private readonly upstreams: UpstreamRegistry,
    private readonly env: GatewayEnv,
  ) {}

  /** Names of the services with a document, in a stable order. */
  services(): string[] {
    return [...this.routes.upstreams.keys()];
  }

  async document(service: string, gatewayOrigin: string): Promise<OpenApiDocument> {
    if (!this.routes.upstreams.has(service)) throw new UnknownServiceSpecError(service);
    const cached = this.cache.get(service);
    let document: OpenApiDocument;
    if (cached && Date.now() - cached.fetchedAt < this.env.API_DOCS_CACHE_TTL_MS) document = cached.document;
    else {
      try {
        document = await this.refresh(service);
      } catch (error) {
        if (!cached) throw new SpecUnavailableError(service);
        this.logger.warn(`serving a stale ${service} API document: ${(error as Error).message}`);
        document = cached.document;
      }
    }
    // "Try it out" must go through the gateway, never straight to the service.
    return { ...document, servers: [{ url: gatewayOrigin, description: 'API gateway' }] };
  }

  private refresh(service: string): Promise<OpenApiDocument> {
    // Concurrent page loads share one fetch per service.
    let pending = this.pending.get(service);
    if (!pending) {
      pending = this.fetch(service).finally(() => this.pending.delete(service));
      this.pending.set(service, pending);
    }
    return pending;
  }

  private async fetch(service: string): Promise<OpenApiDocument> {
    const { pool } = this.upstreams.get(service);
    const response = await pool.request({
      method: 'GET',
      path: this.env.API_DOCS_UPSTREAM_PATH,
      headersTimeout: FETCH_TIMEOUT_MS,
      bodyTimeout: FETCH_TIMEOUT_MS,
    });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new Error(`${service} answered ${response.statusCode}`);
    }
    const document = this.routedOnly(service, (await response.body.json()) as OpenApiDocument);
    this.cache.set(service, { document, fetchedAt: Date.now() });
    return document;
  }

  /** Keeps only the operations the gateway actually routes to this service. */
  private routedOnly(service: string, document: OpenApiDocument): OpenApiDocument {
    const paths: Record<string, unknown> = {};
    for (const [path, operations] of Object.entries(document.paths ?? {})) {
      const segment = path.split('/')[3];
      const routed = path.startsWith('/api/v1/') ? this.routes.segments.get(segment ?? '') : this.routes.exactPaths.get(path);
      if (routed === service) paths[path] = operations;
    }
    return { ...document, paths };
  }
}
