/** Request fields from a POST body: multipart/form-data (what the API pages send) or urlencoded. */
import type { IncomingMessage } from 'node:http';

/** Far above any real call (a 1000-byte memo); a bigger body is refused, not buffered. */
export const MAX_REQUEST_BYTES = 64 * 1024;

export class FormError extends Error {}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) throw new FormError(`request body over ${MAX_REQUEST_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const body = await readBody(req);
  const type = req.headers['content-type'] ?? '';
  const fields: Record<string, string> = {};
  if (/^multipart\/form-data/i.test(type)) {
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
    } catch (e) {
      throw new FormError(`unreadable multipart body: ${e instanceof Error ? e.message : String(e)}`);
    }
    for (const [name, value] of form) fields[name] = typeof value === 'string' ? value : await value.text();
    return fields;
  }
  for (const [name, value] of new URLSearchParams(body.toString('utf8'))) fields[name] = value;
  return fields;
}
