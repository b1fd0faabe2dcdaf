import { MAX_AUDIO_BYTES, MAX_IMAGE_BYTES } from '@spoti/catalog';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient } from './api-client.js';
import { type TestServer, startTestServer } from './helpers.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

type Schema = Record<string, unknown>;
interface MediaType {
  schema?: Schema;
  encoding?: Record<string, { contentType?: string }>;
}
interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { required?: boolean; content?: Record<string, MediaType> };
  responses?: Record<string, { description?: string; content?: Record<string, MediaType> }>;
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

/** Every problem with the document's structure (OpenAPI 3.1 rules the server relies on). */
function structuralProblems(doc: Document): string[] {
  const problems: string[] = [];
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addKeyword('x-max-bytes');
  const compiles = (where: string, schema: Schema | undefined) => {
    if (schema === undefined) return problems.push(`${where}: no schema`);
    try {
      ajv.compile(schema);
    } catch (error) {
      problems.push(`${where}: ${String(error)}`);
    }
  };
  if (doc.openapi !== '3.1.0') problems.push(`openapi is ${doc.openapi}`);
  if (!doc.info?.title || !doc.info?.version) problems.push('info needs title and version');
  const ids = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith('/')) problems.push(`${path}: must start with /`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(item)) {
      const at = `${method.toUpperCase()} ${path}`;
      if (!METHODS.has(method)) problems.push(`${at}: unknown method`);
      if (!op.operationId || ids.has(op.operationId)) problems.push(`${at}: operationId`);
      ids.add(op.operationId ?? '');
      const inPath = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      if (templated.join() !== inPath.join()) problems.push(`${at}: path parameters ${inPath}`);
      for (const p of op.parameters ?? []) {
        if (p.in === 'path' && p.required !== true) problems.push(`${at}: ${p.name} required`);
        compiles(`${at} parameter ${p.name}`, p.schema);
      }
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
        compiles(`${at} request ${type}`, media.schema);
        for (const field of Object.keys(media.encoding ?? {})) {
          const properties = (media.schema?.properties ?? {}) as Schema;
          if (!(field in properties)) problems.push(`${at}: encoding of unknown ${field}`);
        }
      }
      if (Object.keys(op.responses ?? {}).length === 0) problems.push(`${at}: no responses`);
      for (const [status, r] of Object.entries(op.responses ?? {})) {
        if (!/^[1-5]\d\d$/.test(status)) problems.push(`${at}: status ${status}`);
        if (typeof r.description !== 'string') problems.push(`${at} ${status}: description`);
        for (const [type, media] of Object.entries(r.content ?? {}))
          compiles(`${at} ${status} ${type}`, media.schema);
      }
    }
  }
  return problems;
}

describe('the OpenAPI document', () => {
  let t: TestServer;
  let doc: Document;
  beforeAll(async () => {
    t = await startTestServer('pglite');
    doc = (await new ApiClient(t.url).document()) as unknown as Document;
  });
  afterAll(async () => t?.close());

  it('is structurally valid OpenAPI 3.1: every schema compiles as JSON Schema 2020-12', () => {
    expect(structuralProblems(doc)).toEqual([]);
    // The check itself finds what it looks for.
    const broken = structuredClone(doc);
    const upload = broken.paths['/songs/{id}/audio']?.put as Operation;
    upload.parameters = [];
    (upload.requestBody?.content?.['multipart/form-data']?.schema as Schema).type = 'file';
    expect(structuralProblems(broken)).toHaveLength(2);
  });

  it('describes every upload as a multipart/form-data body with its limits', () => {
    const uploads = [
      ['/songs/{id}/audio', MAX_AUDIO_BYTES, 'audio/flac'],
      ['/albums/{id}/cover', MAX_IMAGE_BYTES.cover, 'image/png'],
      ['/me/avatar', MAX_IMAGE_BYTES.avatar, 'image/webp'],
    ] as const;
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addKeyword('x-max-bytes');
    for (const [path, maxBytes, type] of uploads) {
      const body = doc.paths[path]?.put?.requestBody;
      expect(body?.required, path).toBe(true);
      expect(Object.keys(body?.content ?? {}), path).toEqual(['multipart/form-data']);
      const form = body?.content?.['multipart/form-data'] as MediaType;
      const properties = form.schema?.properties as Record<string, Schema>;
      expect(form.schema?.required).toEqual(['file']);
      expect(properties.file).toMatchObject({
        type: 'string',
        format: 'binary',
        'x-max-bytes': maxBytes,
      });
      expect(String(properties.file?.description)).toContain(`at most ${maxBytes} bytes`);
      expect(form.encoding?.file?.contentType?.split(', ')).toEqual(
        expect.arrayContaining([type, 'application/octet-stream']),
      );
      const valid = ajv.compile(form.schema as Schema);
      expect(valid({ file: 'bytes', size: '1234' })).toBe(true);
      expect(valid({ file: 'bytes', size: '12 kB' })).toBe(false);
      expect(valid({ size: '1234' })).toBe(false);
    }
  });
});
