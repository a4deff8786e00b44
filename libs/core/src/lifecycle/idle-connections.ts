import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** A socket is closed once it has carried nothing for this long; a request in transit arrives well within it. */
export const IDLE_GRACE_MS = 500;
const SWEEP_INTERVAL_MS = 100;

/** Node sets this on a socket while a response is being written on it. */
type HttpSocket = Socket & { _httpMessage?: unknown };

interface Watched {
  bytesRead: number;
  quietSince: number;
}

/**
 * Closes a draining server's idle keep-alive sockets without the reset race.
 *
 * `http.Server.close()` destroys every socket without a request in progress at that instant,
 * including a socket whose request is still in the kernel buffer: a connection the cluster master
 * handed over a moment before, or a pooled socket the client just picked. Its client sees a reset
 * for a request it already sent. Here the close leaves sockets open, and each is closed only after
 * it has read no byte and had no response in progress for IDLE_GRACE_MS.
 */
export class IdleConnectionCloser {
  private readonly sockets = new Set<HttpSocket>();

  constructor(private readonly server: Server) {
    server.on('connection', (socket: HttpSocket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** Call just before closing the server; returns a function that stops the sweeping. */
  start(): () => void {
    this.server.closeIdleConnections = () => undefined;
    const watched = new WeakMap<HttpSocket, Watched>();
    const sweep = () => {
      const now = Date.now();
      for (const socket of this.sockets) {
        const seen = watched.get(socket);
        if (socket._httpMessage || !seen || seen.bytesRead !== socket.bytesRead) {
          watched.set(socket, { bytesRead: socket.bytesRead, quietSince: now });
        } else if (now - seen.quietSince >= IDLE_GRACE_MS) {
          socket.destroy();
        }
      }
    };
    sweep();
    const timer = setInterval(sweep, SWEEP_INTERVAL_MS);
    return () => clearInterval(timer);
  }
}
