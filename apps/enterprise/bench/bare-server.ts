/** A bare Fastify route serving a fixed JSON body: the ceiling the HTTP benchmark compares with. */
import Fastify from 'fastify';

const body = process.env.BENCH_BODY ?? '{}';
const server = Fastify({ logger: false });
server.get('/clinic', async (_request, reply) => reply.header('content-type', 'application/json; charset=utf-8').send(body));
await server.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.send?.('ready');
