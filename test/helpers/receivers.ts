import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';

/*
 * Webhook receivers for tests: real HTTP servers on 127.0.0.1, each with a behaviour per request:
 * answer with a status, or hang (never answer; the sender's timeout ends it).
 */

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** The status answered, or null while hanging / when the sender gave up. */
  answered: number | null;
}

export type Behaviour = (attempt: number, received: Received) => number | 'hang';

export interface Receiver {
  url: string;
  received: Received[];
  /** Requests still waiting for an answer. */
  open: () => number;
  /** Event ids of the requests answered with a 2xx. */
  acceptedIds: () => string[];
  close(): Promise<void>;
}

export async function startReceiver(behaviour: Behaviour, path = '/hooks'): Promise<Receiver> {
  const received: Received[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const entry: Received = {
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        answered: null,
      };
      received.push(entry);
      const action = behaviour(received.length, entry);
      if (action === 'hang') {
        hanging.add(response);
        response.on('close', () => hanging.delete(response));
        return;
      }
      entry.answered = action;
      response
        .writeHead(action, { 'content-type': 'text/plain' })
        .end(action < 300 ? 'thanks' : `refused with ${action}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    open: () => hanging.size,
    acceptedIds: () =>
      received.filter((r) => r.answered !== null && r.answered < 300).map((r) => String(r.headers['webhook-id'])),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const always =
  (status: number): Behaviour =>
  () =>
    status;
export const failingFirst =
  (failures: number, status = 503): Behaviour =>
  (attempt) =>
    attempt <= failures ? status : 200;
export const hanging: Behaviour = () => 'hang';
