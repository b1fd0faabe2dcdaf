import { type SafeHtml, html } from '../views/html.js';
import { type OperationSpec, jsonSchemaOf, openApiPath } from './openapi.js';

/**
 * Prose of the operation registry, where `backticks` mark code as in Markdown: the text between
 * a pair becomes `<code>`, everything is escaped, and an unpaired backtick stays as text.
 */
export function proseHtml(text: string): SafeHtml {
  const parts = text.split('`');
  if (parts.length % 2 === 0) return html`${text}`;
  return html`${parts.map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`;
}

function schemaBlock(label: string, schema: Record<string, unknown>): SafeHtml {
  return html`<details><summary>${label}</summary><pre>${JSON.stringify(schema, null, 2)}</pre></details>`;
}

function parameterRows(op: OperationSpec): SafeHtml {
  const rows: SafeHtml[] = [];
  for (const [where, schema] of [
    ['path', op.params],
    ['query', op.query],
  ] as const) {
    if (schema === undefined) continue;
    const json = jsonSchemaOf(schema, 'input') as {
      properties?: Record<
        string,
        { type?: unknown; description?: string; default?: unknown; enum?: unknown[] }
      >;
      required?: string[];
    };
    for (const [name, p] of Object.entries(json.properties ?? {})) {
      const type = Array.isArray(p.enum) ? p.enum.join(' | ') : String(p.type ?? 'any');
      const required = where === 'path' || (json.required ?? []).includes(name);
      rows.push(
        html`<tr><td><code>${name}</code></td><td>${where}</td><td>${type}</td><td>${required ? 'yes' : p.default === undefined ? 'no' : `default ${JSON.stringify(p.default)}`}</td><td>${proseHtml(p.description ?? '')}</td></tr>`,
      );
    }
  }
  if (rows.length === 0) return html``;
  return html`<div class="scroll"><table><thead><tr><th scope="col">Parameter</th><th scope="col">In</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">About</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function operation(op: OperationSpec): SafeHtml {
  const id = op.operationId;
  const auth =
    op.auth === 'none'
      ? 'no token'
      : op.auth === 'optional'
        ? 'token optional'
        : `bearer token${op.roles === undefined ? '' : ` (${op.roles.join(', ')})`}`;
  const responses = Object.entries(op.responses).map(
    ([status, r]) =>
      html`<li><strong>${status}</strong> ${proseHtml(r.description)}${r.schema === undefined ? '' : schemaBlock('Body schema', jsonSchemaOf(r.schema, 'output'))}</li>`,
  );
  return html`<section class="op" id="${id}">
  <h3><span class="method method-${op.method}">${op.method.toUpperCase()}</span> <code>/api/v1${openApiPath(op.path)}</code></h3>
  <p>${proseHtml(op.summary)}. <em>${auth}</em></p>
  ${op.description === undefined ? '' : html`<p>${proseHtml(op.description)}</p>`}
  ${parameterRows(op)}
  ${op.body === undefined ? '' : schemaBlock('Request body (application/json)', jsonSchemaOf(op.body, 'input'))}
  ${op.multipart === undefined ? '' : schemaBlock('Request body (multipart/form-data)', op.multipart)}
  <ul class="responses">${responses}<li>Errors: <code>application/problem+json</code> with a stable <code>code</code>.</li></ul>
</section>`;
}

/**
 * The readable API reference: one server-rendered page from the same registry as the OpenAPI
 * document, no script (CSP safe), grouped by tag.
 */
export function apiDocsPage(operations: readonly OperationSpec[]): string {
  const tags = [...new Set(operations.map((o) => o.tag))];
  const body = tags.map(
    (tag) =>
      html`<h2 id="tag-${tag.toLowerCase()}">${tag}</h2>${operations.filter((o) => o.tag === tag).map(operation)}`,
  );
  const toc = tags.map((tag) => html`<li><a href="#tag-${tag.toLowerCase()}">${tag}</a></li>`);
  return `<!doctype html>${
    html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Platform API · spoti</title>
<link rel="stylesheet" href="/static/app.css">
<link rel="stylesheet" href="/static/api-docs.css">
</head>
<body>
<header class="top"><a class="brand" href="/">spoti</a></header>
<main id="main" class="api-docs">
<h1>Platform API <small>v1</small></h1>
<p>REST and JSON under <code>/api/v1</code>. Register, log in for a token, then send <code>Authorization: Bearer &lt;token&gt;</code>. The machine-readable description is <a href="/api/v1/openapi.json">openapi.json</a> (OpenAPI 3.1).</p>
<nav aria-label="Sections"><ul class="toc">${toc}</ul></nav>
${body}
</main>
</body>
</html>`.value
  }`;
}
