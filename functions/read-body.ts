/** Reads a request body, refusing to buffer more than `maxBytes`. Undefined: too large. */
export async function readBodyLimited(request: Request, maxBytes: number): Promise<string | undefined> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return undefined;
  // A declared length within the limit is all the body there is (the HTTP parser holds the sender to it):
  // read it whole, which the Node server does without a web stream — as long as nothing asked for
  // `request.body` first, which makes it build the whole web Request and a stream over the socket.
  if (Number.isFinite(declared)) return await request.text();
  if (!request.body) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = (request.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
