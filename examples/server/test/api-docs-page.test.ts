import { describe, expect, it } from 'vitest';
import { proseHtml } from '../src/api/docs-page.js';

describe('API reference prose', () => {
  it('shows `code` spans as code and escapes everything', () => {
    expect(proseHtml('Send `Range: bytes=a-b` or <b>').value).toBe(
      'Send <code>Range: bytes=a-b</code> or &lt;b&gt;',
    );
    expect(proseHtml('`<img src=x>` then `x`').value).toBe(
      '<code>&lt;img src=x&gt;</code> then <code>x</code>',
    );
  });

  it('leaves an unpaired backtick as text', () => {
    expect(proseHtml('a ` b').value).toBe('a &#96; b');
    expect(proseHtml('').value).toBe('');
  });
});
