import { Logger } from '@nestjs/common';
import type { Connection, ConnectOptions } from 'mongoose';

const RETRY_DELAY_MS = 1_000;

/**
 * Mongoose gives up after a failed *initial* connection (later outages are handled by the driver).
 * Retrying it here lets a service start while the database is down: liveness stays green,
 * readiness turns green as soon as the database answers, no restart needed.
 */
export function keepConnecting(connection: Connection, uri: string, options: ConnectOptions): Connection {
  const logger = new Logger('MongoConnection');
  let connectedOnce = false;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  connection.on('connected', () => {
    connectedOnce = true;
  });
  connection.on('close', () => {
    closed = true;
    clearTimeout(retry);
  });
  connection.on('error', (error: Error) => {
    if (connectedOnce || closed || retry) return;
    logger.warn(`initial connection failed (${error.name}); retrying in ${RETRY_DELAY_MS} ms`);
    retry = setTimeout(() => {
      retry = undefined;
      if (!closed) connection.openUri(uri, options).catch(() => undefined);
    }, RETRY_DELAY_MS);
    retry.unref();
  });
  return connection;
}
