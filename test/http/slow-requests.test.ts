import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { until } from '../helpers/process.js';

/*
 * A request whose headers or body do not arrive within REQUEST_TIMEOUT_MS is refused with 408
 * problem+json and its connection closed, instead of being held open for minutes. Over a real
 * socket on 127.0.0.1, with a short timeout set here; the waits are bounded, and nothing is timed.
 */

let t: TestApp;
let port: number;
beforeAll(async () => {
  t = await startTestApp({ seed: false, env: { REQUEST_TIMEOUT_MS: '1000' } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  port = (t.app.server.address() as { port: number }).port;
});
const sockets: Socket[] = [];
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await t?.close();
});

/** Sends `start`, then nothing more; collects what the server answers until it closes. */
async function stall(start: string): Promise<{ answer: string; socket: Socket }> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let answer = '';
  let closed = false;
  socket.on('data', (d) => (answer += d));
  socket.on('close', () => (closed = true));
  socket.on('error', () => (closed = true));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(start);
  // Bounded: far longer than the timeout even on a busy machine, so only a server that never
  // answers fails here.
  await until(() => closed, 'the server to close the stalled connection', 60_000);
  return { answer, socket };
}

describe('requests that arrive too slowly', () => {
  it('refuses a body that stops arriving with 408 problem+json and closes the connection', async () => {
    const body = '{"query":"{ categories { slug } }"}';
    const { answer } = await stall(
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
      status: 408,
      code: 'REQUEST_TIMEOUT',
    });
  }, 90_000);

  it('refuses headers that stop arriving the same way', async () => {
    const { answer } = await stall('GET /v1/categories HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  }, 90_000);

  it('still answers a request that arrives in time on the same server', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
  });
});
