/**
 * Fastify and an undici pool, nothing else (no auth, limits, metrics, logging or resilience):
 * beside minimal-proxy.ts (node:http + undici), shows what the framework itself adds, and beside
 * the gateway, what the platform's hooks and the gateway's features cost.
 */
import Fastify from 'fastify';
import { Pool } from 'undici';

const port = Number(process.env.PORT ?? 0);
const pool = new Pool(process.env.UPSTREAM_URL!, { connections: 64 });
const app = Fastify({ logger: false });
app.all('/*', async (request, reply) => {
  const response = await pool.request({ method: request.method as 'GET', path: request.url, headers: { 'x-forwarded-for': request.ip } });
  reply.code(response.statusCode);
  reply.header('content-type', response.headers['content-type'] as string);
  return reply.send(Buffer.from(await response.body.arrayBuffer()));
});
await app.listen({ port, host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
