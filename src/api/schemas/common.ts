import { Type, type TSchema } from '@sinclair/typebox';
import { GENERIC_STATUSES } from '../../errors/index.js';

/**
 * Element formats taken from the spec's regular expressions. Patterns written in
 * the spec with stray spaces (`^. {5,50}$`) are read as what they plainly mean.
 */
export const P = {
  uuid: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  username: '^[a-zA-Z0-9]{2,20}$',
  password: '^.{5,50}$',
  partner: '^[a-zA-Z0-9]{2,20}$',
  key: '^.{5,50}$',
  email: '^[^@\\s]{1,64}@[^@\\s]{1,255}$',
  name50: '^.{1,50}$',
  name100: '^.{1,100}$',
  birthday: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
  country: '^[a-z]{2}$',
  countryCode: '^\\+?[0-9]{1,3}$',
  countryCodePlus: '^\\+[0-9]{1,3}$',
  pin: '^[0-9]{4}$',
  code: '^[a-zA-Z0-9]{1,50}$',
  captcha: '^[a-zA-Z0-9]{1,20}$',
  faxIdent: '^[+ 0-9]{0,20}$',
  faxHeader: '^.{0,40}$',
  metadataKey: '^[a-z0-9]{2,50}(\\.[a-z0-9]{2,50}){1,10}$',
  tagLabel: '^.{1,50}$',
  featurePack: '^.{1,50}$',
} as const;

export const Str = (pattern: string, description?: string): TSchema =>
  Type.String(description ? { pattern, description } : { pattern });

export const Uuid = Type.String({ pattern: P.uuid, description: 'UUID (v1)' });
export const Language = Type.Union([Type.Literal('de'), Type.Literal('en')], {
  description: 'language identifier',
});

/** Documents the envelope and every status string a call can answer with. */
export function statusResponse(statuses: Record<string, string> = {}, body?: TSchema): { 200: TSchema } {
  const all = { ...GENERIC_STATUSES, ...statuses };
  const description = Object.entries(all)
    .map(([s, d]) => `- \`${s}\`: ${d}`)
    .join('\n');
  return {
    200: Type.Object(
      {
        status: Type.String({ enum: Object.keys(all) }),
        message: Type.Optional(Type.String()),
        ...(body && 'properties' in body ? (body.properties as Record<string, TSchema>) : {}),
      },
      { description: `Status strings:\n${description}`, additionalProperties: true },
    ),
  };
}

/** Binary downloads: the file, or HTTP 404 without a body (spec 2.1). */
export const binaryResponse = (mime: string): Record<string, unknown> => ({
  200: {
    description: `the file (${mime})`,
    content: { [mime]: { schema: { type: 'string', format: 'binary' } } },
  },
  404: { description: 'not found or not authorized; no body', type: 'null' },
});
