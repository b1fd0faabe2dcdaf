import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeDataExport } from '@spoti/mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Agent, type TestServer, activeListener, startTestServer } from './helpers.js';
import { zipArchive } from './import-archives.js';

vi.setConfig({ testTimeout: 120_000 });

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** What happens to an upload once its import is over: removed when done and when failed. */
describe('the upload of an import', () => {
  let t: TestServer;
  let agent: Agent;

  beforeAll(async () => {
    t = await startTestServer('pglite');
    agent = new Agent(t.url);
    await agent.signIn(activeListener(t.mock));
    await t.server.context.runner.idle();
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Uploads `zip`, waits for the import to end and returns the job and its upload folder. */
  async function importZip(zip: Buffer) {
    const token = await agent.csrf('/import');
    const form = new FormData();
    form.append('export', new Blob([new Uint8Array(zip)]), 'my_spotify_data.zip');
    const upload = await agent.request(`/import?_csrf=${encodeURIComponent(token)}`, {
      method: 'POST',
      body: form,
    });
    expect(upload.status).toBe(303);
    const id = (upload.headers.get('location') ?? '').split('/').pop() ?? '';
    await t.server.context.runner.idle();
    const job = await t.server.context.importJobs.get(id);
    return { id, job, folder: join(t.server.context.uploadDir, id) };
  }

  it('is removed once the import has failed for good', async () => {
    const history = 'Spotify Extended Streaming History/Streaming_History_Audio_2024_0.json';
    const broken = zipArchive([{ name: history, data: Buffer.from('[{"ts": "2024-01-01') }]);
    const { job, folder } = await importZip(broken);
    expect(job?.status).toBe('failed');
    expect(job?.error).toMatch(/not valid JSON/);
    expect(await exists(folder)).toBe(false);
    // The upload folder itself still holds the others' uploads (none here), never removed whole.
    expect(await exists(t.server.context.uploadDir)).toBe(true);
  });

  it('is removed once the import is done', async () => {
    const zip = join(t.dataDir, 'export.zip');
    await writeDataExport({
      seed: 3,
      persona: 'heavy-pop',
      plays: 500,
      out: zip,
      accountData: false,
    });
    const { job, folder } = await importZip(await readFile(zip));
    expect(job?.status).toBe('done');
    expect(await exists(folder)).toBe(false);
  });

  it('left behind by a failed import is removed when its job runs again', async () => {
    const { id, job } = await importZip(zipArchive([]));
    expect(job?.status).toBe('failed');
    // As if the process had stopped between saving the failure and removing the upload.
    const folder = join(t.server.context.uploadDir, id);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'my_spotify_data.zip'), zipArchive([]));
    t.server.context.runner.start('import-export', { jobId: id }, job?.userId ?? '');
    await t.server.context.runner.idle();
    expect(await exists(folder)).toBe(false);
    expect((await t.server.context.importJobs.get(id))?.status).toBe('failed');
  });
});
