import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP front for one service, standing in for a Kubernetes Service: new connections go round
 * robin to the endpoints currently in rotation; connections already open stay with their
 * endpoint until either side closes them. With no endpoint in rotation a connection is refused
 * at once, like a Service whose pods are all unready.
 */
export class Balancer {
  private readonly endpoints: number[] = [];
  private readonly sockets = new Set<Socket>();
  private next = 0;
  private server: Server | undefined;

  constructor(readonly port: number) {}

  async listen(): Promise<void> {
    const server = createServer((client) => this.route(client));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  add(port: number): void {
    if (!this.endpoints.includes(port)) this.endpoints.push(port);
  }

  remove(port: number): void {
    const index = this.endpoints.indexOf(port);
    if (index >= 0) this.endpoints.splice(index, 1);
  }

  get inRotation(): readonly number[] {
    return this.endpoints;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private route(client: Socket): void {
    this.track(client);
    if (this.endpoints.length === 0) {
      client.destroy();
      return;
    }
    const port = this.endpoints[this.next++ % this.endpoints.length]!;
    const upstream = connect({ port, host: '127.0.0.1' });
    this.track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    // Half-open sockets would hide a closed endpoint from the client: end both sides together.
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.once('close', end);
    upstream.once('close', end);
    client.on('error', end);
    upstream.on('error', end);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }
}
