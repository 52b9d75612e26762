/**
 * Serving the HTTP app on a local port with @hono/node-server, with a clear message when the port
 * is taken, and problem+json for requests Node's parser refuses.
 */
import { createAdaptorServer } from '@hono/node-server';
import type { Http2Bindings, HttpBindings } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerClientErrors } from './client-errors';

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly envVar: string,
  ) {
    super(`port ${port} is already in use: stop whatever is using it, or set ${envVar} to a free port`);
    this.name = 'PortInUseError';
  }
}

export interface RunningServer {
  url: string;
  port: number;
  close: () => Promise<void>;
}

export async function listen(server: Server, port: number, envVar: string, host = '127.0.0.1'): Promise<RunningServer> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, envVar) : error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Fetch = (request: Request, env: HttpBindings) => Response | Promise<Response>;

export async function serveFetch(fetch: Fetch, port: number, envVar: string): Promise<RunningServer> {
  const server = createAdaptorServer({
    fetch: async (request: Request, env: HttpBindings | Http2Bindings) => {
      const http1 = env as HttpBindings;
      const response = await fetch(request, http1);
      // A 413 is sent before the body is read: close the connection so no client reuses a
      // socket with an unread body on it (a fetch Response cannot carry a Connection header).
      if (response.status === 413) http1.outgoing.shouldKeepAlive = false;
      return response;
    },
  });
  answerClientErrors(server as Server);
  return listen(server as Server, port, envVar);
}
