import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultDecision } from './faults.js';
import { sendJson, sleep } from './http.js';

/**
 * Lets the handler answer as usual (the write is applied) but keeps the answer from the client:
 * the connection is dropped when the answer is complete, or the answer is sent `delayMs` later
 * (after the client gave up waiting).
 */
export function loseAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  delayMs: number | undefined,
): void {
  const writeHead = res.writeHead.bind(res);
  const end = res.end.bind(res);
  let head: Parameters<typeof writeHead> | undefined;
  res.writeHead = ((...args: Parameters<typeof writeHead>) => {
    head = args;
    return res;
  }) as typeof res.writeHead;
  res.end = ((chunk?: unknown) => {
    if (delayMs === undefined) {
      req.socket.destroy();
      return res;
    }
    setTimeout(() => {
      if (req.socket.destroyed) return;
      if (head !== undefined) writeHead(...head);
      end(chunk as string | undefined);
    }, delayMs).unref();
    return res;
  }) as typeof res.end;
}

/**
 * Applies the parts of a fault decision that stand in for the real answer: latency, a dropped
 * connection, an error status or a malformed body. Returns the status to log (0 for a dropped
 * connection) when the fault answered, or `undefined` when the request goes on to its handler.
 */
export async function answerFault(
  req: IncomingMessage,
  res: ServerResponse,
  fault: FaultDecision,
): Promise<number | undefined> {
  if (fault.lostAnswer !== undefined) loseAnswer(req, res, fault.lostAnswer.delayMs);
  if (fault.latencyMs > 0) await sleep(fault.latencyMs);
  if (fault.drop) {
    req.socket.destroy();
    return 0;
  }
  if (fault.status !== undefined) {
    const headers: Record<string, string> = {};
    if (fault.status === 429) {
      headers['Retry-After'] = String(fault.retryAfterSeconds ?? 1);
      res.removeHeader('Access-Control-Allow-Origin');
    }
    const message =
      fault.status === 429
        ? 'API rate limit exceeded'
        : fault.status >= 500
          ? 'Server error'
          : 'Error';
    sendJson(res, fault.status, { error: { status: fault.status, message } }, headers);
    return fault.status;
  }
  if (fault.malformed) {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end('{"error": {"status": 200, "message": "trunc');
    return 200;
  }
  return undefined;
}
