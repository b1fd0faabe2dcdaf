import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { expect } from 'vitest';

type Operation = {
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};
type OpenApi = { paths: Record<string, Record<string, Operation>> };

/** A parsed JSON body; its shape is checked against the OpenAPI document at run time. */
// biome-ignore lint/suspicious/noExplicitAny: bodies are validated by ajv, tests read them freely
export type Json = any;

/** One answer of the API, with its body parsed. */
export interface ApiAnswer<T = Json> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/**
 * A client of `/api/v1` that checks EVERY answer against the server's own OpenAPI document:
 * the operation must exist, the status must be documented, and the body must match its schema.
 */
export class ApiClient {
  readonly #ajv = new Ajv2020({ strict: false, allErrors: true });
  readonly #validators = new Map<string, ValidateFunction>();
  #doc: OpenApi | undefined;
  /** Operations answered, as `METHOD /template status` (for coverage checks). */
  readonly seen = new Set<string>();

  constructor(
    readonly base: string,
    readonly token: string | null = null,
  ) {}

  /** The same client with another bearer token. */
  as(token: string | null): ApiClient {
    const other = new ApiClient(this.base, token);
    other.#doc = this.#doc;
    return other;
  }

  async document(): Promise<OpenApi> {
    if (this.#doc === undefined) {
      const res = await fetch(`${this.base}/api/v1/openapi.json`);
      expect(res.status).toBe(200);
      this.#doc = (await res.json()) as OpenApi;
    }
    return this.#doc;
  }

  #template(doc: OpenApi, method: string, path: string): string {
    const clean = path.split('?')[0] ?? path;
    for (const template of Object.keys(doc.paths)) {
      const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      if (re.test(clean) && doc.paths[template]?.[method] !== undefined) return template;
    }
    throw new Error(`${method.toUpperCase()} ${clean} is not in the OpenAPI document`);
  }

  async request<T = Json>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer<T>> {
    const doc = await this.document();
    const m = method.toLowerCase();
    const template = this.#template(doc, m, path);
    const res = await fetch(`${this.base}/api/v1${path}`, {
      method,
      headers: {
        ...(this.token === null ? {} : { authorization: `Bearer ${this.token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const type = (res.headers.get('content-type') ?? '').split(';')[0] ?? '';
    const parsed = text === '' ? undefined : JSON.parse(text);
    const op = doc.paths[template]?.[m];
    const documented = op?.responses[String(res.status)];
    if (documented === undefined)
      throw new Error(
        `${method} ${template} answered ${res.status}, which is not documented: ${text}`,
      );
    const content = documented.content;
    if (content === undefined) {
      expect(text, `${method} ${template} ${res.status} must be empty`).toBe('');
    } else {
      const media = content[type];
      if (media === undefined)
        throw new Error(
          `${method} ${template} ${res.status} sent ${type}, documented ${Object.keys(content)}`,
        );
      const key = `${m} ${template} ${res.status} ${type}`;
      let validate = this.#validators.get(key);
      if (validate === undefined) {
        validate = this.#ajv.compile(media.schema as object);
        this.#validators.set(key, validate);
      }
      if (!validate(parsed))
        throw new Error(
          `${method} ${path} ${res.status} does not match its schema: ${this.#ajv.errorsText(validate.errors)}\n${text.slice(0, 500)}`,
        );
    }
    this.seen.add(`${method} ${template} ${res.status}`);
    return { status: res.status, headers: res.headers, body: parsed as T };
  }

  get<T = Json>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = Json>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body ?? {});
  }
  put<T = Json>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }
  patch<T = Json>(path: string, body: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  delete<T = Json>(path: string) {
    return this.request<T>('DELETE', path);
  }
}

let counter = 0;

/**
 * Registers an account and logs in over HTTP; answers a client holding its token. Emails are
 * made unique per call; the password is a fake that passes the rules.
 */
export async function registerAndLogin(
  api: ApiClient,
  name: string,
): Promise<{ client: ApiClient; id: string; email: string; token: string }> {
  counter += 1;
  const email = `${name.toLowerCase()}-${counter}-${Date.now()}@example.test`;
  const password = 'fake-Pass-phrase-for-tests';
  const reg = await api.as(null).post('/auth/register', { email, password, displayName: name });
  expect(reg.status, JSON.stringify(reg.body)).toBe(201);
  const login = await api.as(null).post('/auth/login', { email, password });
  expect(login.status).toBe(201);
  return { client: api.as(login.body.token), id: reg.body.id, email, token: login.body.token };
}
