/** A clock read from a URL answering `{ "now": <ms> }`, refreshed in the background. */
export interface RemoteClock {
  now(): number;
  close(): void;
}

/**
 * Follows a simulated clock served over HTTP (the reliability suite serves the mock's clock, so
 * every worker process sees the same simulated time). Resolves once the first reading arrived.
 */
export async function followRemoteClock(url: string, everyMs = 50): Promise<RemoteClock> {
  const read = async () => {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    const body = (await response.json()) as { now?: unknown };
    if (typeof body.now !== 'number') throw new Error(`${url} did not answer { now }`);
    return body.now;
  };
  let current = await read();
  const timer = setInterval(() => {
    read().then(
      (now) => {
        if (now > current) current = now;
      },
      () => undefined,
    );
  }, everyMs);
  timer.unref();
  return { now: () => current, close: () => clearInterval(timer) };
}
