import { randomFillSync } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyRequest } from 'fastify';

/** RFC 9110 §7.6.1 connection-specific fields, plus Host, which undici sets for the upstream. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

const TRACEPARENT = /^[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

type Headers = Record<string, string | string[] | undefined>;

/** Fields named in `Connection` are hop-by-hop too (RFC 9110 §7.6.1). */
function connectionListed(headers: Headers): Set<string> | undefined {
  const connection = headers.connection;
  if (typeof connection !== 'string' || connection === '' || connection === 'keep-alive' || connection === 'close') return undefined;
  return new Set(connection.split(',').map((name) => name.trim().toLowerCase()));
}

/** Copies end-to-end fields only, without `alsoDrop` and names starting with `dropPrefix`. */
export function endToEnd(headers: Headers, alsoDrop?: ReadonlySet<string>, dropPrefix?: string): Record<string, string | string[]> {
  const listed = connectionListed(headers);
  const copy: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || listed?.has(name) || alsoDrop?.has(name)) continue;
    if (dropPrefix !== undefined && name.startsWith(dropPrefix)) continue;
    copy[name] = value;
  }
  return copy;
}

export function isValidTraceparent(value: unknown): value is string {
  return typeof value === 'string' && TRACEPARENT.test(value);
}

/** Random bytes for trace ids, drawn in bulk: one CSPRNG call per 170 traces instead of one each. */
const TRACE_BYTES = 24;
const entropy = Buffer.alloc(TRACE_BYTES * 170);
let entropyOffset = entropy.length;

/** A new W3C trace context, sampled, for requests that arrive without one. */
export function newTraceparent(): string {
  if (entropyOffset === entropy.length) {
    randomFillSync(entropy);
    entropyOffset = 0;
  }
  const at = entropyOffset;
  entropyOffset += TRACE_BYTES;
  return `00-${entropy.toString('hex', at, at + 16)}-${entropy.toString('hex', at + 16, at + TRACE_BYTES)}-01`;
}

/** `expect: 100-continue` is answered by the gateway's own server; undici refuses to send it. */
const REQUEST_ONLY_DROPPED = new Set(['expect', 'host', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'forwarded', 'x-request-id', 'traceparent']);
/** A `tracestate` belongs to the trace its `traceparent` names: with a new trace it goes. */
const REQUEST_ONLY_DROPPED_NEW_TRACE = new Set([...REQUEST_ONLY_DROPPED, 'tracestate']);

/**
 * Headers sent upstream: end-to-end fields of the client's request, the gateway's request id,
 * the caller's trace context (or a new one), and X-Forwarded-* describing the client. A client's
 * own X-Forwarded-For is kept only behind a trusted proxy; otherwise it could spoof its address.
 */
export function upstreamRequestHeaders(request: FastifyRequest, behindTrustedProxy: boolean): Record<string, string | string[]> {
  const incoming: IncomingHttpHeaders = request.headers;
  const traceparent = isValidTraceparent(incoming.traceparent) ? incoming.traceparent : undefined;
  const headers = endToEnd(incoming, traceparent ? REQUEST_ONLY_DROPPED : REQUEST_ONLY_DROPPED_NEW_TRACE);
  const remote = request.raw.socket.remoteAddress ?? request.ip;
  const prior = incoming['x-forwarded-for'];
  headers['x-forwarded-for'] = behindTrustedProxy && typeof prior === 'string' && prior !== '' ? `${prior}, ${remote}` : remote;
  headers['x-forwarded-proto'] = request.protocol;
  headers['x-forwarded-host'] = request.host;
  headers['x-request-id'] = String(request.id);
  headers.traceparent = traceparent ?? newTraceparent();
  return headers;
}

const RESPONSE_DROPPED = new Set(['x-request-id']);

/**
 * Upstream response fields minus hop-by-hop ones. The request id and CORS stay the gateway's:
 * CORS is decided once at the edge from config, not by whichever service answered.
 */
export function downstreamResponseHeaders(headers: Headers): Record<string, string | string[]> {
  return endToEnd(headers, RESPONSE_DROPPED, 'access-control-');
}
