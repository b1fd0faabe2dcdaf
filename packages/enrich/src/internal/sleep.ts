import { EnrichError } from '../errors/enrich-error.js';

/** Waits `ms`, rejecting with ABORTED when the signal fires. */
export function sleep(
  ms: number,
  signal: AbortSignal | undefined,
  provider: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(aborted(provider, signal.reason));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted(provider, signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The ABORTED error of a provider. */
export function aborted(provider: string, cause: unknown): EnrichError {
  return new EnrichError({
    code: 'ABORTED',
    message: `${provider}: the request was aborted`,
    provider,
    cause,
  });
}

/** Whether the signal has fired (a function, so that TypeScript does not narrow it stale). */
export function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
