import type { Socket } from 'node:net';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
} from 'fastify';
import { ServiceError } from '../../errors/index.js';
import { routeOf } from './route-of.js';

/** Payloads that already are an envelope (errors) and must not be wrapped again. */
const enveloped = new WeakSet<object>();

function envelope(status: string, message: string): Record<string, string> {
  const body = { status, message };
  enveloped.add(body);
  return body;
}

function isBinaryRoute(request: FastifyRequest): boolean {
  return routeOf(request).config?.binary === true;
}

function validationStatus(error: FastifyError): ServiceError {
  const first = error.validation?.[0];
  if (first?.keyword === 'required') {
    const field = (first.params as { missingProperty?: string }).missingProperty ?? '';
    const where = `${first.instancePath}/${field}`.replace(/^\//, '');
    return new ServiceError(
      'missing-element',
      `missing element '${where}' in ${error.validationContext ?? 'request'}`,
    );
  }
  const where = first?.instancePath?.replace(/^\//, '') || error.validationContext || 'request';
  return new ServiceError('wrong-syntax', `'${where}' ${first?.message ?? 'is malformed'}`);
}

/** Maps any thrown error to the spec's status envelope (spec 2.1). */
export function toApiError(error: unknown, log: { error(obj: object, msg: string): void }): ServiceError {
  if (error instanceof ServiceError) return error;
  const fe = error as FastifyError;
  if (fe.validation) return validationStatus(fe);
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ServiceError('too-large', 'the request body is too large');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_TYPE':
      return new ServiceError('wrong-syntax', fe.message);
    default:
      break;
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new ServiceError('wrong-syntax', fe.message);
  }
  log.error({ err: error }, 'unexpected error');
  return new ServiceError('fail', 'an unexpected error occurred');
}

export function installEnvelope(app: FastifyInstance): void {
  // Bodies are JSON whatever the Content-Type says (the spec's own example sends
  // none); upload routes (config.rawBody) get the raw bytes instead.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    const buf = body as Buffer;
    if (routeOf(request).config?.rawBody) return done(null, buf);
    if (buf.length === 0 || buf.toString('utf8').trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(buf.toString('utf8')) as unknown);
    } catch {
      done(new ServiceError('wrong-syntax', 'the request body is not valid JSON'), undefined);
    }
  });

  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  app.addHook('preSerialization', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (
      isBinaryRoute(request) ||
      payload === null ||
      typeof payload !== 'object' ||
      Buffer.isBuffer(payload)
    ) {
      return payload;
    }
    if (enveloped.has(payload)) return payload;
    if (reply.statusCode !== 200) return payload;
    return { status: 'ok', ...(payload as Record<string, unknown>) };
  });

  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error, request.log);
    if (isBinaryRoute(request)) {
      return reply.code(404).type('text/plain').send('');
    }
    return reply.code(200).type('application/json').send(envelope(apiError.status, apiError.message));
  });

  // An unknown method or URL is a request whose syntax matches no API call (spec 2.1 wrong-syntax).
  // The operator's /admin/… (off when ADMIN_KEY is unset) is no API call of the spec: a plain 404.
  app.setNotFoundHandler((request, reply) => {
    if (/^\/admin(\/|\?|$)/.test(request.url)) {
      return reply
        .code(404)
        .type('application/json')
        .send({ message: `not found: ${request.method} ${request.url.split('?')[0] ?? ''}` });
    }
    return reply
      .code(200)
      .type('application/json')
      .send(envelope('wrong-syntax', `no API call ${request.method} ${request.url.split('?')[0] ?? ''}`));
  });
}

/**
 * The answers Fastify and Node's HTTP parser give before any route runs, in
 * the envelope too (spec 2.1: every JSON answer is HTTP 200; issue 14 item 6):
 * a malformed URL (Fastify: 400), a path parameter over maxParamLength
 * (Fastify: 414), headers or request line over Node's limit (431) and
 * unparsable HTTP (400). The last two close the connection: the parser
 * cannot find the next request in the stream.
 */
export const envelopeServerOptions: Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> = {
  frameworkErrors: (error, _request, reply) => {
    const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path element is too long' : error.message;
    const plain = reply as unknown as FastifyReply;
    void plain.code(200).type('application/json').send(envelope('wrong-syntax', message));
  },
  clientErrorHandler: (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const message =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? 'the request line or headers are too large'
        : 'the request is not valid HTTP';
    const body = JSON.stringify({ status: 'wrong-syntax', message });
    socket.end(
      `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  },
};
