// The benchmarks' load generator: autocannon in a process of its own (loopback only), JSON out.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** What one autocannon run measured. */
export interface Load {
  /** Requests answered. */
  requests: number;
  /** Mean requests per second. */
  rps: number;
  /** Mean response bytes per second, in MiB. */
  mibPerSecond: number;
  /** Latency percentiles, ms. */
  p50: number;
  p99: number;
  /** Failed connections plus answers outside 2xx. */
  errors: number;
  /** CPU time of the calling process per answered request, ms (its server, when in-process). */
  cpuMs: number;
}

/** Loads `url` with `connections` for `durationS` seconds, sending `headers` (`name=value`). */
export async function autocannon(
  url: string,
  options: { connections: number; durationS: number; headers?: readonly string[] },
): Promise<Load> {
  const bin = join(import.meta.dirname, '..', 'node_modules', '.bin', 'autocannon');
  const args = ['-c', String(options.connections), '-d', String(options.durationS), '-j'];
  for (const h of options.headers ?? []) args.push('-H', h);
  const cpu = process.cpuUsage();
  const child = spawn(bin, [...args, url], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  for await (const chunk of child.stdout) out += String(chunk);
  const used = process.cpuUsage(cpu);
  const r = JSON.parse(out) as {
    requests: { average: number; total: number };
    throughput: { average: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
  };
  return {
    requests: r.requests.total,
    rps: r.requests.average,
    mibPerSecond: r.throughput.average / 1024 ** 2,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx,
    cpuMs: (used.user + used.system) / 1000 / Math.max(1, r.requests.total),
  };
}
