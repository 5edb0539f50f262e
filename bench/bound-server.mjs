// The bound the benchmark compares against: a bare Fastify route answering a fixed JSON body of
// a given size, in its own process, on 127.0.0.1. Prints its port on stdout.
import Fastify from 'fastify';

const size = Number(process.argv[2] ?? 40_000);
const filler = 'x'.repeat(Math.max(0, size - 40));
const body = JSON.stringify({ data: { filler } });

const app = Fastify({ logger: false });
app.get('/bound', async (_request, reply) => reply.type('application/json').send(body));
await app.listen({ host: '127.0.0.1', port: 0 });
console.log(app.server.address().port);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
