import { describe, expect, it } from 'vitest';
import type { BulkColumn } from '../src/internal/sql-bulk.js';
import { copyText } from '../src/internal/sql-copy.js';

describe('COPY text format of bulk columns', () => {
  const columns: BulkColumn[] = [
    { name: 'name', type: 'text', values: ['plain', 'a\tb\nc\rd\\e', '\\N', null, '\\.'] },
    { name: 'ids', type: 'jsonb', values: [['x'], ['q"u\\o\te'], [], ['\n'], ['😀']] },
    { name: 'at', type: 'int8', values: [1_700_000_000_000, 0, -5, null, 2 ** 53 - 1] },
    { name: 'ms', type: 'int4', values: [1, 2, 3, 4, 5] },
    { name: 'flag', type: 'bool', values: [true, false, null, true, false] },
  ];

  it('escapes backslash, tab, newline and CR, writes null as \\N and jsonb as JSON text', () => {
    expect(copyText(columns, 0, 5).split('\n')).toEqual([
      '0\tplain\t["x"]\t1700000000000\t1\tt',
      '1\ta\\tb\\nc\\rd\\\\e\t["q\\\\"u\\\\\\\\o\\\\te"]\t0\t2\tf',
      '2\t\\\\N\t[]\t-5\t3\t\\N',
      '3\t\\N\t["\\\\n"]\t\\N\t4\tt',
      '4\t\\\\.\t["😀"]\t9007199254740991\t5\tf',
      '',
    ]);
  });

  it('numbers the rows of a slice from 0 (their order in the staging table)', () => {
    expect(
      copyText(columns, 3, 5)
        .split('\n')
        .map((line) => line.split('\t')[0]),
    ).toEqual(['0', '1', '']);
    expect(copyText(columns, 2, 2)).toBe('');
  });
});
