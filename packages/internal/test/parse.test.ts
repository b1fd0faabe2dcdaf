import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeIssues, parseOrFail } from '../src/index.js';

class ExampleError extends Error {
  constructor(
    message: string,
    override readonly cause: unknown,
  ) {
    super(message);
  }
}

const schema = z.object({ name: z.string(), limits: z.object({ max: z.number().int() }) }).strict();
const fail = (problems: string, cause: z.ZodError) =>
  new ExampleError(`Invalid thing: ${problems}`, cause);

describe('parseOrFail', () => {
  it('returns the parsed value', () => {
    expect(parseOrFail(schema, { name: 'a', limits: { max: 3 } }, fail)).toEqual({
      name: 'a',
      limits: { max: 3 },
    });
  });

  it("throws the caller's error naming every bad path, with the zod error as its cause", () => {
    let caught: unknown;
    try {
      parseOrFail(schema, { name: 1, limits: { max: 1.5 }, extra: true }, fail);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ExampleError);
    const { message, cause } = caught as ExampleError;
    expect(message).toMatch(/^Invalid thing: /);
    for (const path of ['name: ', 'limits.max: ', '(root): ']) expect(message).toContain(path);
    expect(cause).toBeInstanceOf(z.ZodError);
  });

  it('names the value itself as asked and keeps to the first problems when asked', () => {
    const parsed = z.array(z.number()).safeParse(['a', 'b', 'c']);
    if (parsed.success) throw new Error('expected a failure');
    expect(describeIssues(parsed.error).split('; ')).toHaveLength(3);
    expect(describeIssues(parsed.error, { maxIssues: 2 }).split('; ')).toHaveLength(2);
    const whole = z.number().safeParse('x');
    if (whole.success) throw new Error('expected a failure');
    expect(describeIssues(whole.error, { root: 'value' })).toMatch(/^value: /);
  });
});
