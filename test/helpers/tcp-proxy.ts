import { createConnection, createServer, type Server, type Socket } from 'node:net';

/*
 * A TCP proxy on 127.0.0.1 in front of a real server (PostgreSQL), so a test can take the
 * database away from one client and give it back without touching the server itself:
 * - cut(): every open connection is destroyed and new ones are refused (the server is down);
 * - stall(): connections stay open but nothing passes, new ones are accepted and left hanging
 *   (a network that silently drops everything);
 * - restore(): traffic flows again; stalled connections carry on where they stopped.
 */

interface Pair {
  client: Socket;
  upstream: Socket | undefined;
}

export class TcpProxy {
  private server: Server;
  private readonly pairs = new Set<Pair>();
  private mode: 'open' | 'cut' | 'stalled' = 'open';

  private constructor(
    private readonly target: { host: string; port: number },
    private listenPort: number,
  ) {
    this.server = this.makeServer();
  }

  /** Starts on a free port of 127.0.0.1 in front of host:port. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target, 0);
    await proxy.listen();
    return proxy;
  }

  /** The same connection string, through the proxy. */
  urlFor(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.listenPort);
    return url.toString();
  }

  get connections(): number {
    return this.pairs.size;
  }

  cut(): Promise<void> {
    this.mode = 'cut';
    for (const pair of this.pairs) this.drop(pair);
    // Closing the listener makes new connections fail with "connection refused".
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  stall(): void {
    this.mode = 'stalled';
    for (const { client, upstream } of this.pairs) {
      client.pause();
      upstream?.pause();
    }
  }

  async restore(): Promise<void> {
    const was = this.mode;
    this.mode = 'open';
    if (was === 'cut') {
      this.server = this.makeServer();
      await this.listen();
      return;
    }
    for (const pair of this.pairs) {
      if (pair.upstream) {
        pair.client.resume();
        pair.upstream.resume();
      } else {
        this.connect(pair);
      }
    }
  }

  async close(): Promise<void> {
    this.mode = 'cut';
    for (const pair of this.pairs) this.drop(pair);
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private makeServer(): Server {
    return createServer((client) => {
      if (this.mode === 'cut') return void client.destroy();
      const pair: Pair = { client, upstream: undefined };
      this.pairs.add(pair);
      client.on('error', () => this.drop(pair));
      client.on('close', () => this.drop(pair));
      if (this.mode === 'stalled') client.pause();
      else this.connect(pair);
    });
  }

  private connect(pair: Pair) {
    const upstream = createConnection(this.target.port, this.target.host);
    pair.upstream = upstream;
    upstream.on('error', () => this.drop(pair));
    upstream.on('close', () => this.drop(pair));
    pair.client.pipe(upstream);
    upstream.pipe(pair.client);
  }

  private drop(pair: Pair) {
    if (!this.pairs.delete(pair)) return;
    pair.client.destroy();
    pair.upstream?.destroy();
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.listenPort, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.listenPort = (this.server.address() as { port: number }).port;
        resolve();
      });
    });
  }
}
