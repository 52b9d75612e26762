/**
 * Requests Node's HTTP parser refuses before any handler runs (headers over the size limit, a
 * malformed header line) get a problem+json answer like every other error of the API, instead
 * of Node's default of a status line and an empty body.
 */
import type { Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { buildProblem, PROBLEM_CONTENT_TYPE } from '../functions/http/problem';

export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // Nothing to answer on a socket that is gone or already carries a response.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const problem =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? buildProblem('header-too-large', 'the request headers are over the server limit; send a shorter token or fewer headers', {
            errors: [{ path: '(headers)', message: 'must fit the server limit (16 KB in all)' }],
          })
        : buildProblem('invalid', 'the request could not be read as HTTP: a header or the request line is malformed', {
            errors: [{ path: '(headers)', message: 'must be well-formed HTTP' }],
          });
    const body = JSON.stringify(problem);
    socket.end(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}\r\n` +
        `content-type: ${PROBLEM_CONTENT_TYPE}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
}
