import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { errorMessage, NetpulseError } from '../errors/index.ts';

export interface Problem {
  path: string;
  message: string;
}

const CONTEXT: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 409: 'Conflict', 412: 'Precondition Failed', 413: 'Payload Too Large', 415: 'Unsupported Media Type',
  422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
};

/** 'bad-response': a backend (InfluxDB) answered with something that is not its protocol: 502 with the error, which names the backend and the body's start */
const KIND_STATUS: Record<string, number> = { 'not-found': 404, conflict: 409, invalid: 422, 'bad-response': 502, unavailable: 503 };

export function errorPayload(statusCode: number, message: string, problems?: Problem[]) {
  return { statusCode, error: STATUS_TEXT[statusCode] ?? 'Error', message, ...(problems ? { problems } : {}) };
}

/** `Invalid input: expected string, received undefined` → `required (expected string)` */
function tidy(message: string): string {
  const m = /^Invalid input: expected (.+), received undefined$/.exec(message);
  if (m) return `required (expected ${m[1]})`;
  const t = message.replace(/^Invalid input: /, '');
  return t.charAt(0).toLowerCase() + t.slice(1);
}

/** a name as a reader tells names apart: not by letter case nor Unicode normalization */
export const nameKey = (name: string) => name.normalize('NFKC').toLowerCase();

/** names that differ only in case (or Unicode normalization) are the same name to a reader */
export const sameName = (a: string, b: string) => nameKey(a) === nameKey(b);

/** the 409 body of a create or replace whose name another entry holds (`holder`: which one) */
export const nameConflict = (holder: string) => {
  const message = `${holder}; names must differ in more than letter case`;
  return errorPayload(409, `body.name: ${message}`, [{ path: 'body.name', message }]);
};

/** the 404 body of a route whose `params.id` names no device */
export const noDevicePayload = (id: string) => errorPayload(404, `params.id: no device "${id}"`);

/** zod issues as Fastify hands them over → one problem per bad field, named like `body.address` */
export function validationProblems(err: FastifyError): Problem[] {
  const ctx = CONTEXT[err.validationContext ?? 'body'] ?? String(err.validationContext);
  const problems: Problem[] = [];
  for (const v of err.validation ?? []) {
    const base = [ctx, ...v.instancePath.split('/').filter(Boolean)].join('.');
    const keys = (v.params as { keys?: unknown }).keys;
    if (v.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
      for (const k of keys) problems.push({ path: `${base}.${String(k)}`, message: 'unknown field' });
    } else {
      problems.push({ path: base, message: tidy(v.message ?? 'invalid') });
    }
  }
  return problems;
}

/** Bad input is always a 4xx naming what is wrong; only our own faults are a 500, logged without the body. */
export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (hasZodFastifySchemaValidationErrors(err)) {
    const problems = validationProblems(err);
    const message = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    return reply.code(400).send(errorPayload(400, message, problems));
  }
  if (err instanceof NetpulseError && KIND_STATUS[err.kind]) {
    const code = KIND_STATUS[err.kind];
    // the server's own trouble (a store that cannot save): the cause goes to the log, not to the client
    if (code >= 500) req.log.error({ err: { message: err.message, cause: errorMessage(err.cause) } }, 'request failed');
    if (code === 503) void reply.header('retry-after', '5');
    return reply.code(code).send(errorPayload(code, err.message));
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return reply.code(status).send(errorPayload(status, clientMessage(err, req)));
  }
  req.log.error({ err: { message: err.message, code: err.code, stack: err.stack } }, 'request failed');
  return reply.code(500).send(errorPayload(500, `internal error while handling ${req.method} ${req.routeOptions.url ?? req.url}`));
}

function clientMessage(err: FastifyError, req: FastifyRequest): string {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `body: larger than the ${req.routeOptions.bodyLimit ?? 'configured'} bytes allowed here`;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `headers.content-type: unsupported media type ${JSON.stringify(req.headers['content-type'] ?? '')}`;
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'body: empty, but content-type is application/json (send {} or no content-type)';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'headers.content-length: does not match the body';
    default:
      // V8 quotes the start of the body (`Unexpected token 's', "{"community":s3cret}" is not valid JSON`): a secret must not echo back
      if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return `body: invalid JSON (${err.message.replace(/, ".*" is not valid JSON$/s, '')})`;
      return err.message;
  }
}
