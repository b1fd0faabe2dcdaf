/**
 * Input of {@link renderConfirmation}.
 *
 * @example
 * ```ts
 * const input: ConfirmationRenderInput = { recipientName: null, confirmUrl: 'https://example.com/c?token=t', cadence: 'biweekly', expiresAt: Date.now() + 86_400_000, timeZone: 'UTC' };
 * ```
 */
export interface ConfirmationRenderInput {
  readonly recipientName: string | null;
  readonly confirmUrl: string;
  readonly cadence: 'biweekly' | 'weekly' | null;
  /** When the link stops working (Unix ms). */
  readonly expiresAt: number;
  readonly timeZone: string;
}

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Renders the double opt-in mail: one link that confirms the address. Pure.
 *
 * @example
 * ```ts
 * const { subject, html, text } = renderConfirmation({ recipientName: 'Ada', confirmUrl, cadence: 'weekly', expiresAt, timeZone: 'Europe/Oslo' });
 * ```
 */
export function renderConfirmation(input: ConfirmationRenderInput): {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
} {
  const subject = 'Confirm your new-release digest';
  const greeting = input.recipientName ? `Hi ${input.recipientName},` : 'Hi,';
  const every =
    input.cadence === 'weekly'
      ? 'every week'
      : input.cadence === 'biweekly'
        ? 'every two weeks'
        : 'regularly';
  const until = new Date(input.expiresAt).toLocaleString('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: input.timeZone,
  });
  const text = [
    greeting,
    '',
    `Please confirm that you want the new releases of the artists you follow by email, ${every}.`,
    '',
    `Confirm: ${input.confirmUrl}`,
    '',
    `The link works until ${until}. If you did not ask for this, ignore this mail: nothing will be sent.`,
    '',
  ].join('\n');
  const e = escapeHtml;
  const html = [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${e(subject)}</title></head>`,
    '<body style="font-family:Helvetica,Arial,sans-serif;color:#191414;max-width:640px;margin:auto">',
    `<p>${e(greeting)}</p>`,
    `<p>Please confirm that you want the new releases of the artists you follow by email, ${e(every)}.</p>`,
    `<p><a href="${e(input.confirmUrl)}" style="font-weight:bold">Confirm my subscription</a></p>`,
    `<p style="font-size:12px;color:#777">The link works until ${e(until)}. If you did not ask for this, ignore this mail: nothing will be sent.</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, html, text };
}
