/**
 * The audio as an HTTP response, with byte ranges (what <audio> asks for to seek and to learn
 * the duration), from bytes read out of the AudioStore.
 */
export function audioResponse(bytes: Buffer, contentType: string, range: string | undefined): Response {
  const headers: Record<string, string> = { 'content-type': contentType, 'accept-ranges': 'bytes', 'cache-control': 'private, max-age=300' };
  const match = range === undefined ? undefined : /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!match || (match[1] === '' && match[2] === '')) {
    return new Response(new Uint8Array(bytes), { status: 200, headers: { ...headers, 'content-length': String(bytes.length) } });
  }
  const size = bytes.length;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(size - 1, Number(match[2]));
  }
  if (start >= size || start > end) {
    return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${size}` } });
  }
  return new Response(new Uint8Array(bytes.subarray(start, end + 1)), {
    status: 206,
    headers: { ...headers, 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': String(end - start + 1) },
  });
}
