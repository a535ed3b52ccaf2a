import { afterEach, describe, expect, it } from 'vitest';
import { createHttpAgent, HttpSender } from '../../../../src/main/core/gateway/http';
import { startServer, type TestServer } from './testServer';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('HttpSender', () => {
  it('closes a connection pool it made, and leaves a shared one open for the rest of the app', async () => {
    server = await startServer();
    const shared = createHttpAgent();
    const borrowing = new HttpSender({ dispatcher: shared });
    const owning = new HttpSender({});
    for (const sender of [borrowing, owning]) {
      const r = await sender.post({ url: server.url, headers: {}, body: 'x', endpoint: 'test' });
      expect(r.ok && r.value.status).toBe(200);
      await sender.close();
    }
    expect(shared.closed).toBe(false);
    expect((await owning.post({ url: server.url, headers: {}, body: 'x', endpoint: 'test' })).ok).toBe(false);
    await shared.close();
  });

  // Without a listener on the body it destroys unread, the abort error it emits is uncaught: vitest
  // fails the run, and a process (the CLI, the app's main) ends.
  it('refuses an answer declared over its body limit, even one already arrived whole, with nothing uncaught', async () => {
    server = await startServer();
    server.handle((_req, res) => {
      res.end('y'.repeat(2_000));
    });
    const sender = new HttpSender({ maxBodyBytes: 1_000 });
    const r = await sender.post({ url: server.url, headers: {}, body: 'x', endpoint: 'consume' });
    expect(r.ok || r.error).toMatchObject({ kind: 'bad_answer', code: 'answer_too_large', endpoint: 'consume' });
    await sender.close();
  });
});
