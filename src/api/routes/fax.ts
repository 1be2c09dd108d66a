import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fs from 'node:fs/promises';
import type { Services } from '../../services/index.js';
import { requireUser } from '../plugins/session-auth.js';
import { binaryResponse, P, statusResponse, Str, Uuid } from '../schemas/common.js';
import type { FaxSendRequest } from '../../services/fax-send.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'config' | 'faxes' | 'faxSend'>;

const Description = Str('^.{0,200}$', 'a short description of this fax');
const Params = Type.Object({ uuid: Uuid });

const WRONG_FAX = { 'wrong-fax': 'The given UUID does not match a fax accessible by the current user' };
const DENIED = {
  'access-denied':
    'The user does not have sufficient privileges on the fax (at least write privileges are required)',
};

/** `inline`, plus the sid / did+dkey parameters of spec 2.3 downloads. */
const DownloadQuery = {
  inline: Type.Optional(
    Type.String({ description: 'if present: Content-Disposition inline, else attachment' }),
  ),
  did: Type.Optional(Type.String()),
  dkey: Type.Optional(Type.String()),
  sid: Type.Optional(Type.String()),
};

const fileName = (ext: string, what: string): ReturnType<typeof Str> =>
  Str(`^[^/]{1,200}\\.${ext}$`, `${what}: a file name chosen by the user agent, ending in .${ext}`);

/** Spec 2.3: `inline` asks for inline display, otherwise the file is an attachment. */
function send(
  request: FastifyRequest,
  reply: FastifyReply,
  mime: string,
  data: Buffer | Uint8Array,
): FastifyReply {
  const inline = Object.hasOwn(request.query as object, 'inline');
  return reply
    .type(mime)
    .header('content-disposition', inline ? 'inline' : 'attachment')
    .header('cache-control', 'private, no-cache')
    .send(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}

/** Spec 3.13: fax objects, their PDF uploads, the converted TIFF/PNG/PDF and sender reports. */
export function registerFaxRoutes(app: FastifyInstance, services: Deps): void {
  const { faxes, faxSend, config } = services;

  app.post(
    '/api/fax',
    {
      schema: {
        tags: ['fax'],
        summary: 'Create a new fax object',
        description: 'The new fax has status `empty` and carries tag_all and tag_outbox (event object_new).',
        body: Type.Object({ description: Type.Optional(Description) }),
        response: statusResponse({}, Type.Object({ uuid: Uuid })),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { description } = request.body as { description?: string };
      const obj = await faxes.create(userId, description);
      return { uuid: obj.uuid };
    },
  );

  app.get(
    '/api/fax/:uuid',
    {
      schema: {
        tags: ['fax'],
        summary: 'Get information about fax uuid',
        description:
          '`page_count`, `x_res` and `y_res` show only while the fax has contents (status `ok`). ' +
          '`report` is keyed by fax report UUID and ordered by time.',
        params: Params,
        response: statusResponse(WRONG_FAX, Type.Object({ fax: Type.Record(Type.String(), Type.Unknown()) })),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      return { fax: await faxes.describe(userId, uuid) };
    },
  );

  app.post(
    '/api/fax/:uuid',
    {
      schema: {
        tags: ['fax'],
        summary: 'Modify fax uuid',
        params: Params,
        body: Type.Object({ description: Type.Optional(Description) }),
        response: statusResponse({ ...WRONG_FAX, ...DENIED }),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      const { description } = request.body as { description?: string };
      await faxes.setDescription(userId, uuid, description);
      return {};
    },
  );

  app.delete(
    '/api/fax/:uuid',
    {
      schema: {
        tags: ['fax'],
        summary: 'Delete the fax uuid (into the trash, or permanently with purge)',
        params: Params,
        querystring: Type.Object({
          purge: Type.Optional(Type.String({ description: 'if present: delete permanently' })),
        }),
        response: statusResponse({ ...WRONG_FAX, ...DENIED }),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      await faxes.get(userId, uuid, 'write');
      // A fax being sent stops: its report ends with `cancel` (spec 3.13).
      await faxSend.cancelSends(uuid);
      await faxes.remove(userId, uuid, Object.hasOwn(request.query as object, 'purge'));
      return {};
    },
  );

  app.post(
    '/api/fax/:uuid/:file',
    {
      bodyLimit: config.faxMaxBytes,
      config: { rawBody: true },
      schema: {
        tags: ['fax'],
        summary: 'Post fax uuid contents in PDF format (raw PDF body)',
        description:
          'The PDF is checked at once (not a PDF, encrypted or without pages: malformed-file), stored, ' +
          'and converted to a 1728-pixel-wide TIFF-F at 204x196 dpi by the media worker: status ' +
          '`convert`, then `ok` or `fail` with the event fax_convert.',
        params: Type.Object({ uuid: Uuid, file: fileName('pdf', 'xxx.pdf') }),
        querystring: Type.Object({
          orientation: Type.Optional(
            Type.String({ enum: ['landscape'], description: 'landscape: pages are turned 90 degrees' }),
          ),
          mode: Type.Optional(
            Type.String({ enum: ['photo'], description: 'photo: dithered instead of black and white' }),
          ),
        }),
        response: statusResponse({
          ...WRONG_FAX,
          ...DENIED,
          'wrong-state':
            'The contents of this fax cannot be changed, because it is an incoming fax or because it ' +
            'was already transmitted to some destination',
          'too-large': `The contents are too large to be handled by the system (over ${config.faxMaxBytes} bytes)`,
          'malformed-file': 'The content is malformed (not a PDF, encrypted, or without pages)',
        }),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      const q = request.query as { orientation?: 'landscape'; mode?: 'photo' };
      const body: unknown = request.body;
      const data = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
      await faxes.upload(userId, uuid, data, { orientation: q.orientation, mode: q.mode });
      return {};
    },
  );

  app.get(
    '/api/fax/:uuid/:file',
    {
      config: { binary: true, didParam: 'uuid' },
      schema: {
        tags: ['fax'],
        summary: 'Get contents of fax uuid as PDF (xxx.pdf) or as TIFF-F (xxx.tif)',
        description: 'Accepts did + dkey with the fax UUID (spec 2.3). HTTP 404 without a body on failure.',
        params: Type.Object({
          uuid: Uuid,
          file: Str('^[^/]{1,200}\\.(pdf|tif)$', 'xxx.pdf or xxx.tif: a file name chosen by the user agent'),
        }),
        querystring: Type.Object(DownloadQuery),
        response: { ...binaryResponse('application/pdf'), ...binaryResponse('image/tiff') },
      },
    },
    async (request, reply) => {
      const { userId } = requireUser(request);
      const { uuid, file } = request.params as { uuid: string; file: string };
      const tif = file.endsWith('.tif');
      const found = await faxes.contentFile(userId, uuid, tif ? 'tif' : 'pdf');
      return send(request, reply, tif ? 'image/tiff' : 'application/pdf', await fs.readFile(found));
    },
  );

  const pageRoute = async (
    request: FastifyRequest,
    reply: FastifyReply,
    page: number,
  ): Promise<FastifyReply> => {
    const { userId } = requireUser(request);
    const { uuid } = request.params as { uuid: string };
    return send(request, reply, 'image/png', await faxes.pagePng(userId, uuid, page));
  };

  app.get(
    '/api/fax/:uuid/page/:page/:file',
    {
      config: { binary: true, didParam: 'uuid' },
      schema: {
        tags: ['fax'],
        summary: 'Get page N (from 1) of fax uuid in PNG format',
        description: 'Accepts did + dkey with the fax UUID (spec 2.3). HTTP 404 without a body on failure.',
        params: Type.Object({
          uuid: Uuid,
          page: Str('^[1-9][0-9]{0,3}$', 'the page number, from 1'),
          file: fileName('png', 'xxx.png'),
        }),
        querystring: Type.Object(DownloadQuery),
        response: binaryResponse('image/png'),
      },
    },
    async (request, reply) => pageRoute(request, reply, Number((request.params as { page: string }).page)),
  );

  // The spec's form `page/xxx.png`: a numeric name is the page number, else `?page=N` (default 1).
  app.get(
    '/api/fax/:uuid/page/:file',
    {
      config: { binary: true, didParam: 'uuid' },
      schema: {
        tags: ['fax'],
        summary: 'Get a page of fax uuid in PNG format (page/N.png, or page/xxx.png?page=N)',
        description: 'Accepts did + dkey with the fax UUID (spec 2.3). HTTP 404 without a body on failure.',
        params: Type.Object({ uuid: Uuid, file: fileName('png', 'N.png or xxx.png') }),
        querystring: Type.Object({
          ...DownloadQuery,
          page: Type.Optional(Str('^[1-9][0-9]{0,3}$', 'the page number, from 1 (default 1)')),
        }),
        response: binaryResponse('image/png'),
      },
    },
    async (request, reply) => {
      const { file } = request.params as { file: string };
      const numbered = /^([1-9][0-9]{0,3})\.png$/.exec(file);
      const q = (request.query as { page?: string }).page;
      return pageRoute(request, reply, Number(numbered?.[1] ?? q ?? '1'));
    },
  );

  app.post(
    '/api/fax/:uuid/send',
    {
      schema: {
        tags: ['fax'],
        summary: 'Send the fax uuid out to a destination (queue fax transmission)',
        description:
          'Creates an outgoing report in status `dial` (event fax_report) and queues the transmission; ' +
          'the report then walks transmit -> ok / fail / busy / cancel / error, with retries after busy, ' +
          'no answer or a line failure (FAX_RETRIES, FAX_RETRY_DELAYS). Returns the report UUID.',
        params: Params,
        body: Type.Object({
          from: Str('^\\+[0-9]{3,20}$', "one of the user's unlocked phone numbers"),
          to: Str('^\\+[0-9]{3,20}$', 'the destination'),
          fax_ident: Type.Optional(
            Str(P.faxIdent, "the transmitting station ID (TSI); the user's by default"),
          ),
          // The spec prints ^\.{0,40}$ (dots only); its user profile field of the same name is ^.{0,40}$.
          fax_header: Type.Optional(
            Str(P.faxHeader, "a header line printed on top of each page; the user's by default"),
          ),
        }),
        response: statusResponse(
          {
            ...WRONG_FAX,
            ...DENIED,
            'wrong-phone':
              "The phone number in the from field does not match one of the user's phone numbers",
            'locked-phone': 'The phone number in the from field has not yet been unlocked',
            'quota-exceeded': "The send operation would exceed the user's quota",
            'no-content': 'The fax does not have any content to be sent',
            'forbidden-to': 'Sending to this number is not allowed for this account',
          },
          Type.Object({ uuid: Uuid }),
        ),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      const report = await faxSend.send(userId, uuid, request.body as FaxSendRequest);
      return { uuid: report.uuid };
    },
  );

  app.get(
    '/api/fax/:uuid/report/:report/:file',
    {
      // Spec 3.13: with did + dkey, the dkey's object is the fax REPORT UUID.
      config: { binary: true, didParam: 'report' },
      schema: {
        tags: ['fax'],
        summary: 'Get the fax sender report of fax uuid and fax report report in PDF format',
        description:
          'Accepts did + dkey with the report UUID (spec 2.3). HTTP 404 without a body on failure.',
        params: Type.Object({ uuid: Uuid, report: Uuid, file: fileName('pdf', 'xxx.pdf') }),
        querystring: Type.Object(DownloadQuery),
        response: binaryResponse('application/pdf'),
      },
    },
    async (request, reply) => {
      const { userId } = requireUser(request);
      const { uuid, report } = request.params as { uuid: string; report: string };
      return send(request, reply, 'application/pdf', await faxes.senderReportPdf(userId, uuid, report));
    },
  );
}
