import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * A graceful stop that does not wait on idle clients. Node closes the connections that are idle
 * when the server closes, but a keep-alive connection whose request was still in flight goes idle
 * afterwards and would hold the process until it timed out. So once closing starts, every answer
 * says `Connection: close`, and each finished request closes whatever has gone idle since.
 * `app.shutdownSignal` lets long work (an import) stop early instead of holding the stop.
 */
export const shutdownPlugin = fp(async (app: FastifyInstance) => {
  const closing = new AbortController();
  app.decorate('shutdownSignal', closing.signal);
  app.addHook('preClose', async () => {
    closing.abort(new Error('The server is shutting down'));
  });
  // Hooks on every request take a callback: no promise per hook per request.
  app.addHook('onSend', (_request, reply, payload, next) => {
    if (closing.signal.aborted) reply.header('connection', 'close');
    next(null, payload);
  });
  app.addHook('onResponse', (_request, _reply, next) => {
    if (closing.signal.aborted) app.server.closeIdleConnections();
    next();
  });
});
