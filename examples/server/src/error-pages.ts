import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { AppContext } from './context.js';
import { pageContext, sendPage } from './routes/page-context.js';
import { isServerError } from './server-error.js';
import { messagePage } from './views/layout.js';

const STATUS_OF: Record<string, number> = {
  INVALID_INPUT: 400,
  UNSUPPORTED_FILE: 415,
  UPLOAD_TOO_LARGE: 413,
  NOT_FOUND: 404,
  NOT_SIGNED_IN: 401,
  RATE_LIMITED: 429,
};

/** The page for a path no route answered. */
export const notFoundPage: RequestHandler = (req, res) => {
  sendPage(
    res,
    404,
    messagePage(pageContext(req, res), {
      title: 'Not found',
      text: `Nothing lives at ${req.path}.`,
      action: { href: '/', label: 'Home' },
    }),
  );
};

interface HttpishError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message?: string;
}

/** The HTTP status of a thrown error: a ServerError's code, else its own status, else 500. */
function statusOf(error: unknown): number {
  const e = error as HttpishError;
  const status = isServerError(error)
    ? (STATUS_OF[error.code] ?? 500)
    : (e.status ?? e.statusCode ?? 500);
  return status < 400 || status > 599 ? 500 : status;
}

function titleOf(status: number): string {
  if (status === 403) return 'Refused';
  if (status === 429) return 'Slow down';
  if (status === 413) return 'Too large';
  return status < 500 ? 'That did not work' : 'Server error';
}

/**
 * The error page: the message of a ServerError or of an exposed client error, a generic text
 * otherwise (logged when it is a server error); JSON for downloads and JSON clients.
 */
export function errorPage(ctx: AppContext): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const status = statusOf(error);
    const e = error as HttpishError;
    const message =
      isServerError(error) || (e.expose === true && status < 500)
        ? String(e.message)
        : 'Something went wrong on our side. Try again in a moment.';
    if (status >= 500) req.log?.error({ err: error }, 'request failed');
    if (res.headersSent) return res.end();
    if (req.path.startsWith('/dashboard/download/') || req.accepts(['html', 'json']) === 'json') {
      res.status(status).json({ error: message });
      return;
    }
    const referer = req.get('referer');
    sendPage(
      res,
      status,
      messagePage(pageContext(req, res), {
        title: titleOf(status),
        text: message,
        action: {
          href: referer?.startsWith(ctx.publicUrl()) ? new URL(referer).pathname : '/',
          label: 'Back',
        },
      }),
    );
  };
}
