import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/**
 * A minimal `fetch` over `node:http` with a keep-alive agent: still real HTTP to the mock on
 * 127.0.0.1, without undici's per-request overhead (thousands of simulated polls per test).
 */
export const httpFetch: typeof fetch = async (input, init = {}) => {
  const request = new Request(input, init);
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, key) => {
    headers[key] = value;
  });
  const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
  if (body !== undefined) headers['content-length'] = String(body.length);
  return new Promise<Response>((resolve, reject) => {
    const req = http.request(url, { method: request.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const out = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (Array.isArray(v)) for (const item of v) out.append(k, item);
          else if (v !== undefined) out.set(k, v);
        }
        const status = res.statusCode ?? 0;
        const nullBody = status === 204 || status === 304;
        resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, headers: out }));
      });
    });
    req.on('error', reject);
    const signal = init.signal ?? request.signal;
    if (signal) {
      if (signal.aborted) req.destroy(signal.reason as Error);
      else
        signal.addEventListener('abort', () => req.destroy(signal.reason as Error), { once: true });
    }
    if (body !== undefined) req.write(body);
    req.end();
  });
};
