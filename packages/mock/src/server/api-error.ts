/** An HTTP error answered with Spotify's error body `{"error":{"status","message"}}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly reason: string | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    message: string,
    options: { reason?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.reason = options.reason;
    this.headers = options.headers ?? {};
  }

  body(): { error: { status: number; message: string; reason?: string } } {
    return {
      error: {
        status: this.status,
        message: this.message,
        ...(this.reason === undefined ? {} : { reason: this.reason }),
      },
    };
  }
}

/** An OAuth error of the token endpoint: `{"error":"invalid_grant","error_description":"..."}`. */
export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;

  constructor(error: string, description: string, status = 400) {
    super(description);
    this.error = error;
    this.status = status;
  }
}
