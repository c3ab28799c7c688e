/**
 * Splits a byte stream into its lines: InfluxDB's chunked query answers are one JSON document
 * per line. A line longer than `maxBytes` fails with `tooLong()` as soon as it passes the
 * bound, without waiting for its end; stopping the iteration cancels `body`.
 */
export async function* jsonLines(body: AsyncIterable<Uint8Array>, maxBytes: number, tooLong: () => Error): AsyncGenerator<string> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const piece of body) {
    let buf = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10)) {
      if (pendingBytes + nl > maxBytes) throw tooLong();
      pending.push(buf.subarray(0, nl));
      const line = Buffer.concat(pending).toString('utf8');
      pending = [];
      pendingBytes = 0;
      buf = buf.subarray(nl + 1);
      if (line.trim()) yield line;
    }
    pendingBytes += buf.length;
    if (pendingBytes > maxBytes) throw tooLong();
    if (buf.length) pending.push(buf);
  }
  const rest = Buffer.concat(pending).toString('utf8');
  if (rest.trim()) yield rest;
}
