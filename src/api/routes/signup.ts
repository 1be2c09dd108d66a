import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import type { Session } from '../../services/session-store.js';
import type { SignupUserInput } from '../../services/signup-service.js';
import { ServiceError } from '../../errors/index.js';
import { Language, P, statusResponse, Str, Uuid } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'signup'>;

const UNKNOWN_VERIFICATION = { 'unknown-verification': 'the given verification key is unknown' };

const VerificationBody = Type.Object({
  captcha: Type.Optional(Str(P.captcha, 'the captcha solution (user sign-up)')),
  email: Type.Optional(Str(P.email, 'the e-mail address to be verified')),
  info: Type.Optional(Type.Unknown({ description: 'any JSON, at most 10000 characters serialized' })),
  'hardware-code': Type.Optional(Str('^.{10,50}$', 'the sensor device access code')),
});
type VerificationBody = { captcha?: string; email?: string; info?: unknown; 'hardware-code'?: string };

const VerificationParams = Type.Object({ verification: Str(P.code) });

const SignupUserBody = Type.Object({
  username: Str(P.username),
  firstname: Str(P.name50),
  lastname: Str(P.name50),
  display_name: Type.Optional(Str(P.name100, 'default "firstname lastname"')),
  country_code: Type.Optional(Str(P.countryCodePlus, 'default +49')),
  password: Str(P.password),
  email: Type.Optional(
    Str(P.email, 'required when the verification key carries no e-mail address (partner sign-up)'),
  ),
  language: Type.Optional(Language),
  newsletter: Type.Optional(Type.Boolean({ description: 'default true' })),
  verification: Str(P.code),
});

/**
 * Sign-up (spec 3.2). Only the partner-controlled path is served: captcha and
 * e-mail delivery and hardware codes do not exist here, so the user-style
 * forms of POST /api/signup/verification answer as if the captcha or code were
 * wrong (no captcha was ever requested; no hardware code is known).
 */
export function registerSignupRoutes(app: FastifyInstance, services: Deps): void {
  const { signup } = services;

  app.post(
    '/api/signup/verification',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['signup'],
        summary: 'Request a sign-up verification key (partner-controlled sign-up)',
        body: VerificationBody,
        response: statusResponse(
          {
            'wrong-captcha': 'the captcha solution is wrong, or no captcha was previously requested',
            'email-failure': 'the verification e-mail could not be sent out',
            'already-exist': 'the e-mail address matches an existing user record',
            'wrong-code': 'the hardware code is invalid',
            'exceeded-limit': 'the hardware code was used for the maximum of 5 verifications',
          },
          Type.Object({
            verification: Type.Optional(Type.String()),
            uuid: Type.Optional(Uuid),
            info: Type.Optional(Type.Unknown()),
          }),
        ),
      },
    },
    async (request) => {
      const session = request.session as Session;
      const body = request.body as VerificationBody;
      if (session.kind === 'partner' && session.partnerId) {
        return signup.createPartnerVerification(session.partnerId, { info: body.info, email: body.email });
      }
      if (body['hardware-code'] !== undefined) {
        if (body.email === undefined) throw new ServiceError('missing-element', 'email is required');
        throw new ServiceError('wrong-code', 'the hardware code is invalid');
      }
      if (body.captcha === undefined) throw new ServiceError('missing-element', 'captcha is required');
      if (body.email === undefined) throw new ServiceError('missing-element', 'email is required');
      throw new ServiceError('wrong-captcha', 'no captcha was previously requested');
    },
  );

  app.get(
    '/api/signup/verification/:verification',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['signup'],
        summary: 'Get the information of a verification key',
        params: VerificationParams,
        response: statusResponse(
          UNKNOWN_VERIFICATION,
          Type.Object({
            partner: Type.Optional(Type.String()),
            uuid: Type.Optional(Uuid),
            email: Type.Optional(Type.String()),
            info: Type.Optional(Type.Unknown()),
          }),
        ),
      },
    },
    async (request) => signup.get((request.params as { verification: string }).verification),
  );

  app.delete(
    '/api/signup/verification/:verification',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['signup'],
        summary: 'Delete a verification key',
        params: VerificationParams,
        response: statusResponse(UNKNOWN_VERIFICATION),
      },
    },
    async (request) => {
      await signup.delete((request.params as { verification: string }).verification);
      return {};
    },
  );

  app.post(
    '/api/signup/user',
    {
      config: { auth: 'anonymous' },
      schema: {
        tags: ['signup'],
        summary: 'Create a user account with a verification key; the session is authenticated with it',
        body: SignupUserBody,
        response: statusResponse({
          'duplicate-username': 'the selected username is already taken',
          'unknown-verification': 'the verification key is unknown',
          'already-exist': 'the e-mail address matches an existing user record',
          'already-auth': 'the session is already authenticated',
        }),
      },
    },
    async (request) => {
      await signup.createUser(request.session as Session, request.body as SignupUserInput);
      return {};
    },
  );
}
