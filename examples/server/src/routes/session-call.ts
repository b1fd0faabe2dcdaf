/**
 * Promisified `req.session.regenerate` / `save` / `destroy`:
 * `await sessionCall((cb) => req.session.save(cb))`.
 */
export const sessionCall = (fn: (cb: (err?: unknown) => void) => void): Promise<void> =>
  new Promise<void>((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));
