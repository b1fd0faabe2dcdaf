/** Full-jitter exponential backoff: uniform in [0, min(maxTimeout, minTimeout * factor^(attempt-1))). */
export function backoffDelay(
  attempt: number,
  settings: { minTimeout: number; maxTimeout: number; factor: number },
  random: () => number,
): number {
  const ceiling = Math.min(
    settings.maxTimeout,
    settings.minTimeout * settings.factor ** (attempt - 1),
  );
  return Math.floor(random() * ceiling);
}
