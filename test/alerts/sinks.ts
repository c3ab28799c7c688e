import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';

export interface WebhookHit {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** node:http on 127.0.0.1:0 recording POSTs; `respond` picks the status (or 0 to hang). */
export async function webhookServer(respond: (hit: WebhookHit, n: number) => number = () => 200) {
  const hits: WebhookHit[] = [];
  const server: Server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const hit = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      hits.push(hit);
      const status = respond(hit, hits.length);
      if (status === 0) return; // hang
      res.writeHead(status).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    hits,
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

export interface Mail {
  from: string;
  to: string[];
  data: string;
}

/**
 * The conversation loop of a test SMTP server: greets, splits the commands, answers DATA and QUIT,
 * collects each message's data; `command` answers every other line. `seen` sees every line.
 */
export function smtpSession(
  sock: Socket, greeting: string, command: (line: string, reply: (s: string) => void) => void,
  onMail: (data: string) => void, seen?: (line: string) => void,
): void {
  let buf = '';
  let inData = false;
  const reply = (s: string) => sock.write(s + '\r\n');
  reply(greeting);
  sock.on('data', (chunk) => {
    buf += chunk.toString('latin1');
    for (;;) {
      if (inData) {
        const end = buf.indexOf('\r\n.\r\n');
        if (end < 0) return;
        onMail(buf.slice(0, end));
        buf = buf.slice(end + 5);
        inData = false;
        reply('250 2.0.0 queued');
        continue;
      }
      const nl = buf.indexOf('\r\n');
      if (nl < 0) return;
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 2);
      seen?.(line);
      const cmd = line.split(' ')[0].toUpperCase();
      if (cmd === 'DATA') { inData = true; reply('354 go ahead'); }
      else if (cmd === 'QUIT') { reply('221 bye'); sock.end(); }
      else command(line, reply);
    }
  });
}

/** A tiny SMTP sink on 127.0.0.1:0 (no TLS, no auth). `failMail` answers MAIL FROM with 451. */
export async function smtpSink(opts: { failMail?: () => boolean } = {}) {
  const mails: Mail[] = [];
  const server: TcpServer = createTcpServer((sock) => {
    let cur: Mail = { from: '', to: [], data: '' };
    smtpSession(sock, '220 sink ESMTP', (line, reply) => {
      const cmd = line.slice(0, 4).toUpperCase();
      if (cmd === 'EHLO') reply('250-sink\r\n250 8BITMIME');
      else if (cmd === 'HELO') reply('250 sink');
      else if (cmd === 'MAIL') {
        if (opts.failMail?.()) reply('451 4.3.0 try again later');
        else { cur.from = line.slice(10); reply('250 OK'); }
      } else if (cmd === 'RCPT') { cur.to.push(line.slice(8)); reply('250 OK'); }
      else reply('250 OK');
    }, (data) => {
      mails.push({ ...cur, data });
      cur = { from: '', to: [], data: '' };
    });
    sock.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    mails,
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
