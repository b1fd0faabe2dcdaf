import { describe, expect, it } from 'vitest';
import { createMutex } from '../src/index.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe('createMutex', () => {
  it('lets one holder in at a time, in arrival order', async () => {
    const mutex = createMutex();
    const events: string[] = [];
    const hold = (name: string) =>
      mutex.run(async () => {
        events.push(`${name} in`);
        await tick();
        events.push(`${name} out`);
      });
    await Promise.all([hold('a'), hold('b'), hold('c')]);
    expect(events).toEqual(['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
  });

  it('releases when the function throws, and passes the error on', async () => {
    const mutex = createMutex();
    await expect(mutex.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.run(async () => 7)).resolves.toBe(7);
  });

  it('lock() holds until the release function is called, which is safe to call twice', async () => {
    const mutex = createMutex();
    const release = await mutex.lock();
    let entered = false;
    const waiting = mutex.run(async () => {
      entered = true;
    });
    await tick();
    expect(entered).toBe(false);
    release();
    release();
    await waiting;
    expect(entered).toBe(true);
    await expect(mutex.run(async () => 'free')).resolves.toBe('free');
  });
});
